"""The tamper-evident change log: every change is a row whose SHA-256 chains to the previous row."""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from .lock import current_user

GENESIS = "0" * 64
_FIELDS = ("id", "batch", "at", "user", "host", "scenario", "target", "old", "new", "note", "data")


@dataclass(frozen=True)
class LogEntry:
    """One row of the change log, as `history` and the GUI show it."""

    id: int
    batch: int
    at: str
    user: str
    host: str
    scenario: str
    target: str
    old: str | None
    new: str | None
    note: str | None
    data: str | None = None


def row_hash(prev_hash: str, fields: tuple[object, ...]) -> str:
    """The SHA-256 of a row's fields chained to the previous row's hash."""
    payload = json.dumps([prev_hash, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """What one change did to one target: written as one change-log row."""

    scenario: str
    target: str
    old: str | None
    new: str | None
    note: str | None = None
    data: str | None = None


def append(
    conn: sqlite3.Connection,
    entries: list[Entry],
    *,
    at: str | None = None,
    who: tuple[str, str] | None = None,
) -> int:
    """Append rows for one change (inside the caller's transaction); returns the batch id.

    `at` and `who` (user, host) fix the stamp, so a sample book builds the same everywhere.
    """
    last = conn.execute("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    next_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    batch = next_id
    stamp = at or datetime.now(UTC).isoformat(timespec="milliseconds")
    user, host = who or (current_user(), socket.gethostname())
    rows = []
    for entry in entries:
        fields = (
            next_id,
            batch,
            stamp,
            user,
            host,
            entry.scenario,
            entry.target,
            entry.old,
            entry.new,
            entry.note,
            entry.data,
        )
        digest = row_hash(prev, fields)
        rows.append((*fields, prev, digest))
        next_id, prev = next_id + 1, digest
    conn.executemany(
        "INSERT INTO change_log (id, batch, at, user, host, scenario, target, old, new, note,"
        " data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    return batch


def verify(conn: sqlite3.Connection) -> list[str]:
    """Problems with the chain, in words; an empty list means every row is intact and linked."""
    problems: list[str] = []
    prev = GENESIS
    expected_id = None
    cols = ", ".join(_FIELDS)
    for row in conn.execute(f"SELECT {cols}, prev_hash, hash FROM change_log ORDER BY id"):
        fields, prev_hash, digest = tuple(row[: len(_FIELDS)]), row[-2], row[-1]
        row_id = fields[0]
        if expected_id is not None and row_id != expected_id:
            problems.append(f"change log: rows {expected_id} to {row_id - 1} are missing")
        if prev_hash != prev:
            problems.append(f"change log: row {row_id} does not link to the row before it")
        if row_hash(prev_hash, fields) != digest:
            problems.append(f"change log: row {row_id} was altered after it was written")
        prev, expected_id = digest, row_id + 1
        if len(problems) >= 20:
            problems.append("change log: further problems not listed")
            break
    return problems


def history(conn: sqlite3.Connection, limit: int | None = None) -> list[LogEntry]:
    """The newest rows first."""
    sql = f"SELECT {', '.join(_FIELDS)} FROM change_log ORDER BY id DESC"
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [LogEntry(*row) for row in conn.execute(sql, params)]
