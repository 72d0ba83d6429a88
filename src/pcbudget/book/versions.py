"""Named versions ('Board draft', 'Submitted to NHSE'): marks on the change log."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .bounds import name_text
from .errors import BookError
from .lock import current_user
from .operations import Operation, Write, apply, expand
from .store import Book, BookConnection, open_book


@dataclass(frozen=True)
class Version:
    name: str
    change_id: int
    at: str
    user: str
    note: str | None


def mark_version(book: Book, name: str, note: str | None = None) -> Version:
    """Name the book's state as it is now; the mark is itself logged."""
    name = name.strip()
    if not name:
        raise BookError("A version needs a name, e.g. 'Board draft'.")
    name = name_text(name, "A version")
    if book.conn.execute("SELECT 1 FROM versions WHERE name = ?", (name,)).fetchone():
        raise BookError(f"There is already a version named '{name}'.")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    last, vid = book.conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM change_log),"
        " (SELECT coalesce(max(id), 0) + 1 FROM versions)"
    ).fetchone()
    row = (name, last, stamp, current_user(), note)
    write = Write("version", (vid,), name, row)
    apply(book, Operation(f"Mark version {name}", "baseline", 0, (write,), note))
    return Version(name, last, stamp, current_user(), note)


def list_versions(book: Book) -> list[Version]:
    return [
        Version(*r)
        for r in book.conn.execute(
            "SELECT name, change_id, at, user, note FROM versions ORDER BY id"
        )
    ]


def book_at_version(book: Book, name: str, dest: Path) -> Book:
    """A read-only copy of the book as it stood when version `name` was marked.

    Every logged change made since (cells, left-shift parameters, scenarios, organisations and
    lines) is put back to its old row in the copy, newest first, and the copy's change log ends
    at the mark, so the copy (and any copy saved from it) is a book its own log explains.
    """
    from .edits import restore_rows

    row = book.conn.execute("SELECT change_id FROM versions WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise BookError(f"There is no version named '{name}'.")
    if dest.resolve() == book.path.resolve():
        raise BookError("A version is opened as a copy: choose another file than the book itself.")
    if dest.exists():
        dest.unlink()
    target = sqlite3.connect(str(dest))
    with target:
        book.conn.backup(target)
    target.close()
    copy = Book(
        dest, sqlite3.connect(str(dest), isolation_level=None, factory=BookConnection), lock=None
    )
    later = [
        item
        for r in book.conn.execute(
            "SELECT data FROM change_log WHERE id > ? AND data IS NOT NULL ORDER BY id DESC",
            (row[0],),
        )
        for item in expand(json.loads(r[0]))
    ]
    with copy.transaction() as conn:
        restore_rows(copy, later)
        _end_log_at_mark(conn, name, row[0])
    copy.close()
    return open_book(dest, write=False)


def _end_log_at_mark(conn: sqlite3.Connection, name: str, change_id: int) -> None:
    """Cut a version's copy's change log, versions and undo list after the version's own row."""
    from .identity import logged_identity

    vid = conn.execute("SELECT id FROM versions WHERE name = ?", (name,)).fetchone()[0]
    own = change_id
    for row_id, data in conn.execute(
        "SELECT id, data FROM change_log WHERE id > ? AND data IS NOT NULL ORDER BY id",
        (change_id,),
    ):
        item = json.loads(data)
        if item.get("kind") == "version" and item.get("key") == [vid]:
            own = row_id
            break
    conn.execute("DELETE FROM change_log WHERE id > ?", (own,))
    conn.execute("DELETE FROM versions WHERE id > ?", (vid,))
    conn.execute("DELETE FROM undo_steps WHERE batch > ?", (own,))
    identity = logged_identity(conn)
    if identity is None:
        conn.execute("DELETE FROM meta WHERE key = 'identity'")
    else:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'identity'", (identity,))
