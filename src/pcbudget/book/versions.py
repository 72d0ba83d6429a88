"""Named versions ('Board draft', 'Submitted to NHSE'): marks on the change log."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
    lines) is put back to its old row in the copy, newest first.
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
    with copy.transaction():
        restore_rows(copy, later)
    copy.close()
    return open_book(dest, write=False)
