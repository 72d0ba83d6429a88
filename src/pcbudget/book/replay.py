"""Replaying the change log against the stored figures: every row the log does not explain.

A book's creation row holds every row the book was made with (`snapshot`); each later row of
the log holds the rows it changed, old and new. Replayed in order from that start, the log must
arrive at exactly the rows stored, so a figure changed in the file by anything but pcbudget (an
`UPDATE` with no log row) is found, named by table, organisation, line and year. Books made by
an older pcbudget have no creation figures: their figures as found are recorded once, with their
first change by this release, and the replay starts there.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .operations import KINDS, describe, expand

#: Tables only creation writes: table -> (key columns, value columns). `meta` leaves out the
#: book's identity, which has change-log rows of its own (`identity.py`).
FIXED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "meta": (("key",), ("value",)),
    "years": (("idx",), ("label",)),
    "sections": (("code",), ("name", "sort")),
    "budget_types": (("code",), ("name", "sort")),
}
#: The change-log kinds that start a replay: a new book's rows, or an older book's as found.
STARTS = ("created", "snapshot")
#: Change-log targets of the rows that say what a book is (creation, identity, figures as found).
BOOK_TARGETS = ("book", "book identity", "book figures")
_LISTED = 20
_KIND_OF_TABLE = {k.table: name for name, k in KINDS.items()}


def _columns(table: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if table in FIXED:
        return FIXED[table]
    kind = KINDS[_KIND_OF_TABLE[table]]
    keys = ("scenario_id", *kind.keys) if kind.layered else kind.keys
    return keys, kind.values


def _tables() -> list[str]:
    return [*FIXED, *(k.table for k in KINDS.values())]


def _stored(conn: sqlite3.Connection, table: str) -> Iterator[tuple[tuple[Any, ...], tuple]]:
    keys, values = _columns(table)
    where = " WHERE key != 'identity'" if table == "meta" else ""
    sql = f"SELECT {', '.join((*keys, *values))} FROM {table}{where} ORDER BY {', '.join(keys)}"
    n = len(keys)
    for row in conn.execute(sql):
        yield tuple(row[:n]), tuple(row[n:])


def snapshot(conn: sqlite3.Connection) -> dict[str, list[list[Any]]]:
    """Every row the replay covers, as stored now: table -> [key columns + value columns]."""
    return {t: [[*k, *v] for k, v in _stored(conn, t)] for t in _tables()}


def replay_start(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """Where the replay starts: the kind and row of the last creation or figures-as-found row."""
    marks = ", ".join("?" for _ in BOOK_TARGETS)
    found = None
    for row_id, data in conn.execute(
        f"SELECT id, data FROM change_log WHERE target IN ({marks}) AND data IS NOT NULL"
        " ORDER BY id",
        BOOK_TARGETS,
    ):
        with contextlib.suppress(ValueError, AttributeError):  # the replay reports it
            kind = json.loads(data).get("kind")
            if kind in STARTS:
                found = (str(kind), int(row_id))
    return found


def has_start(conn: sqlite3.Connection) -> bool:
    """Whether the log holds a starting point for the replay (creation or figures as found)."""
    return replay_start(conn) is not None


def start_notes(started_at: str | None, start_row: int | None) -> list[str]:
    """What a check should say about where the replay starts (nothing for a whole log)."""
    if started_at is None:
        return [
            "this book was made by an older pcbudget that did not log the figures it was made "
            "with: only figures changed since are checked against the change log, until its "
            "first change by this release records them"
        ]
    if started_at == "snapshot":
        return [
            f"figures made by an older pcbudget are checked from change-log row "
            f"{start_row}, where this release recorded them as it found them"
        ]
    return []


def _same(a: tuple | None, b: tuple | None) -> bool:
    """Rows equal as SQLite stores them (a REAL column gives 12.0 for a logged 12)."""
    if a is None or b is None:
        return a is None and b is None
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        try:
            if isinstance(x, bool) or isinstance(y, bool) or float(x) != float(y):
                return False
        except (TypeError, ValueError):
            return False
    return True


@dataclass
class Replay:
    """What the log explains: rows by (table, key), None for a row the log removed."""

    rows: dict[tuple[str, tuple[Any, ...]], tuple | None] = field(default_factory=dict)
    started_at: str | None = None  # the kind of row the replay started from, if any
    start_row: int = 0
    identity: str | None = None
    problems: list[str] = field(default_factory=list)


def _key(item: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    kind = KINDS[item["kind"]]
    key = tuple(item["key"])
    return kind.table, ((item.get("scenario_id"), *key) if kind.layered else key)


def _start(replay: Replay, item: dict[str, Any], row_id: int) -> None:
    replay.rows = {}
    for table, rows in item["tables"].items():
        if table not in FIXED and table not in _KIND_OF_TABLE:
            continue
        n = len(_columns(table)[0])
        for r in rows:
            replay.rows[table, tuple(r[:n])] = tuple(r[n:])
    if replay.started_at is not None:
        replay.problems.append(
            f"change log: row {row_id} restarts the book's figures from scratch, which "
            "pcbudget never does after a book is made"
        )
    replay.started_at, replay.start_row = item["kind"], row_id
    if item.get("identity") is not None:
        replay.identity = item["identity"]


def run_log(conn: sqlite3.Connection, labels: _Labels) -> Replay:
    """Walk the log in order, applying each change's rows to what the log explains so far."""
    replay = Replay()
    for row_id, data in conn.execute(
        "SELECT id, data FROM change_log WHERE data IS NOT NULL ORDER BY id"
    ):
        try:
            item = json.loads(data)
            kind = item.get("kind")
            if kind in STARTS:
                _start(replay, item, row_id)
                continue
            if kind == "identity":
                replay.identity = item["new"]
                continue
            changes = [c for c in expand(item) if c["kind"] in KINDS]
            keyed = [(_key(c), c) for c in changes]
        except (ValueError, AttributeError, TypeError, KeyError):
            replay.problems.append(f"change log: row {row_id} holds data that cannot be read")
            continue
        for key, c in keyed:
            old = tuple(c["old"]) if c["old"] is not None else None
            new = tuple(c["new"]) if c["new"] is not None else None
            known = replay.started_at is not None
            if known and not _same(replay.rows.get(key), old) and len(replay.problems) < _LISTED:
                replay.problems.append(
                    f"change log: row {row_id} says {labels.name(*key)} was "
                    f"{labels.value(key[0], old)} before it, but the rows before it leave "
                    f"it at {labels.value(key[0], replay.rows.get(key))}"
                )
            replay.rows[key] = new
    return replay


class _Labels:
    """Rows named in the users' words: organisation, line and year codes, not ids."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.orgs = dict(conn.execute("SELECT id, code FROM orgs").fetchall())
        self.orgs[0] = "book-wide"
        self.lines = dict(conn.execute("SELECT id, code FROM lines").fetchall())
        self.years = dict(conn.execute("SELECT idx, label FROM years").fetchall())
        self.scenarios = dict(conn.execute("SELECT id, name FROM scenarios").fetchall())

    def name(self, table: str, key: tuple[Any, ...]) -> str:
        cols = _columns(table)[0]
        words = []
        scenario = ""
        for col, value in zip(cols, key, strict=False):
            if col == "scenario_id":
                if value != 0:
                    scenario = f" (scenario {self.scenarios.get(value, value)})"
            elif col == "org_id":
                words.append(str(self.orgs.get(value, f"organisation {value}")))
            elif col == "line_id" and table != "lines":
                words.append(str(self.lines.get(value, f"line {value}")))
            elif col == "year_idx":
                words.append(str(self.years.get(value, f"year {value}")))
            elif col == "id" and table == "orgs":
                words.append(str(self.orgs.get(value, f"organisation {value}")))
            elif col == "id" and table == "lines":
                words.append(str(self.lines.get(value, f"line {value}")))
            elif col == "id" and table == "scenarios":
                words.append(str(self.scenarios.get(value, f"scenario {value}")))
            else:
                words.append(str(value))
        return f"{table} {' '.join(words)}{scenario}"

    def value(self, table: str, row: tuple | None) -> str:
        if row is None:
            return "no row"
        kind = _KIND_OF_TABLE.get(table)
        try:
            return describe(kind, row) if kind else _plain(row)
        except (TypeError, ValueError, ArithmeticError):
            return _plain(row)


def _plain(row: tuple) -> str:
    return ", ".join("(empty)" if v is None else str(v) for v in row)


def unexplained(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """(problems, notes): every stored row the replayed log does not explain, in words."""
    labels = _Labels(conn)
    replay = run_log(conn, labels)
    problems = list(replay.problems)
    notes = start_notes(replay.started_at, replay.start_row)
    whole = replay.started_at is not None
    found: list[str] = []
    seen: set[tuple[str, tuple[Any, ...]]] = set()
    for table in _tables():
        for key, row in _stored(conn, table):
            seen.add((table, key))
            if (table, key) not in replay.rows:
                if whole:
                    found.append(
                        f"{labels.name(table, key)} ({labels.value(table, row)}) is in the "
                        "book, but no change in the log made it"
                    )
                continue
            want = replay.rows[table, key]
            if not _same(row, want):
                found.append(
                    f"{labels.name(table, key)} is {labels.value(table, row)} in the book, "
                    f"but the change log leaves it at {labels.value(table, want)}"
                )
    for (table, key), want in replay.rows.items():
        if want is not None and (table, key) not in seen:
            found.append(
                f"{labels.name(table, key)} is missing from the book, though the change log "
                f"leaves it at {labels.value(table, want)}"
            )
    problems += found[:_LISTED]
    if len(found) > _LISTED:
        problems.append(f"{len(found) - _LISTED} more rows the change log does not explain")
    stored = conn.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
    if (stored[0] if stored else None) != replay.identity:
        problems.append("meta: the book's identity is not the one its change log gave it")
    return problems, notes
