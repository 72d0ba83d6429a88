"""A book's identity: a random id of its own, so a return from Alice's copy never applies to Bob's.

Every book the app makes gets a fresh one (a new book, each copy it writes); a book made before
identities gets one with its first change by this release. Each is a logged change, so `check`
sees an identity changed in the file by anything else.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from .changelog import Entry, append
from .replay import has_start, snapshot


def stored_identity(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
    return row[0] if row else None


def book_identity(conn: sqlite3.Connection) -> str:
    """The book's identity; a book without one yet answers with its first change-log hash."""
    own = stored_identity(conn)
    if own:
        return own
    row = conn.execute("SELECT hash FROM change_log ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else "unknown"


def logged_identity(conn: sqlite3.Connection) -> str | None:
    """The identity the change log last gave the book (at creation or since), if any."""
    found: str | None = None
    for (data,) in conn.execute(
        "SELECT data FROM change_log WHERE target IN ('book', 'book identity')"
        " AND data IS NOT NULL ORDER BY id"
    ):
        item = json.loads(data)
        if item.get("kind") == "created":
            found = item.get("identity")
        elif item.get("kind") == "identity":
            found = item.get("new")
    return found


def new_identity() -> str:
    return str(uuid.uuid4())


def give_identity(conn: sqlite3.Connection, why: str) -> str:
    """Give the book a new identity, logged (inside the caller's transaction); returns it.

    A book made by an older pcbudget also has its figures as found logged here, once, so the
    change log explains every figure from now on (`replay.py`).
    """
    old, new = stored_identity(conn), new_identity()
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('identity', ?)", (new,))
    entries = [
        Entry(
            "baseline",
            "book identity",
            old,
            new,
            why,
            json.dumps({"kind": "identity", "old": old, "new": new}),
        )
    ]
    if not has_start(conn):
        entries.append(
            Entry(
                "baseline",
                "book figures",
                None,
                "recorded as found",
                "made by an older pcbudget: its figures are checked from here",
                json.dumps({"kind": "snapshot", "tables": snapshot(conn)}),
            )
        )
    append(conn, entries)
    return new


def ensure_identity(conn: sqlite3.Connection) -> None:
    """Give a book without an identity its own (inside the caller's first write)."""
    if stored_identity(conn) is None:
        give_identity(conn, "the book's own identity, given with its first change")
