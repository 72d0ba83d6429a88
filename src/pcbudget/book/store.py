"""Opening, creating and closing books: refuse what is not a sound book, without touching it.

A file is checked from its header before SQLite opens it for writing, so a foreign, truncated
or newer file is refused byte-for-byte untouched; a journal beside it is read first too
(`journal.py`), so SQLite never follows a crafted one. Books are kept in a rollback journal with
`synchronous=FULL`: safe on network drives, where WAL is not.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BookError
from .journal import Journal, inspect_journal, journal_path
from .lock import BookLock, LockHolder
from .schema import APPLICATION_ID, SCHEMA_VERSION, TABLES
from .schema_guard import guard_schema

if TYPE_CHECKING:
    from .inputs import BookInputs
    from .structure import Structure

_MAGIC = b"SQLite format 3\x00"


class BookConnection(sqlite3.Connection):
    """A book's connection, which also reads the book's figures for the engine.

    So code that holds only `book.conn` can still hand the engine a source of inputs.
    """

    def inputs(
        self,
        scenario: str | None = None,
        structure: Structure | None = None,
        *,
        scenario_only: bool = False,
    ) -> BookInputs:
        """A scenario's stored figures as plain records (`input_reader.read_inputs`)."""
        from .input_reader import read_inputs

        return read_inputs(self, scenario, structure, scenario_only=scenario_only)


@dataclass(frozen=True)
class Header:
    """The facts pcbudget reads from a book's first 100 bytes."""

    application_id: int
    user_version: int


def has_hot_journal(path: Path) -> bool:
    """A non-empty rollback journal: a save was cut off and SQLite must roll it back."""
    journal = journal_path(path)
    return journal.exists() and journal.stat().st_size > 0


def read_header(path: Path) -> Header:
    """Check that `path` is a whole SQLite file of pcbudget's, and read its version."""
    if not path.exists():
        raise BookError(f"There is no book at {path}.")
    if path.is_dir():
        raise BookError(f"{path} is a folder, not a book.")
    if not path.is_file():
        raise BookError(f"{path} is not a file, so it is not a book.")
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(100)
    if size == 0:
        raise BookError(f"{path.name} is empty: it is not a pcbudget book.")
    if not head.startswith(_MAGIC):
        raise BookError(f"{path.name} is not a pcbudget book (it is not a database file).")
    if len(head) < 100:
        raise BookError(f"{path.name} is damaged: the file is truncated.")
    (page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    if page_size < 512 or page_size & (page_size - 1):
        raise BookError(f"{path.name} is damaged: its header is not valid.")
    cut_off_save = has_hot_journal(path)  # the journal puts the file back to its last save
    if (
        valid_for == change_counter
        and page_count
        and size < page_count * page_size
        and not cut_off_save
    ):
        raise BookError(
            f"{path.name} is damaged: the file is truncated ({size:,} of "
            f"{page_count * page_size:,} bytes). Open a backup or an exported copy instead."
        )
    (user_version,) = struct.unpack(">I", head[60:64])
    (app_id,) = struct.unpack(">I", head[68:72])
    if app_id != APPLICATION_ID:
        raise BookError(f"{path.name} is not a pcbudget book (it is another program's database).")
    if user_version > SCHEMA_VERSION:
        raise BookError(
            f"{path.name} was made by a newer pcbudget (book format {user_version}; this "
            f"release reads up to {SCHEMA_VERSION}). Update pcbudget to open it."
        )
    return Header(app_id, user_version)


def _connect(path: Path) -> BookConnection:
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, factory=BookConnection
    )
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Book:
    """An open budget book: its connection, read-only state and lock.

    Writes go through `transaction()`, one per change; reads may use `conn` directly.
    """

    def __init__(
        self,
        path: Path,
        conn: BookConnection,
        *,
        lock: BookLock | None,
        held_by: LockHolder | None = None,
        read_only_reason: str | None = None,
        temp_copy: Path | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        self._lock = lock
        #: The upgraded temporary copy an older book is read from, removed on close.
        self._temp_copy = temp_copy
        self.held_by = held_by
        self.read_only_reason = read_only_reason
        self._identified = lock is None  # only a book opened for writing is given one
        self._wrote = False

    def inputs(
        self,
        scenario: str | None = None,
        structure: Structure | None = None,
        *,
        scenario_only: bool = False,
    ) -> BookInputs:
        """What the engine computes `scenario` from, read from this book."""
        from .input_reader import read_inputs  # any connection will do, a plain one too

        return read_inputs(self.conn, scenario, structure, scenario_only=scenario_only)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def require_writable(self) -> None:
        if self.read_only_reason is None and self._lock is not None and not self._lock.ours():
            # Someone deleted or replaced the lock while we held the book, so another program
            # may have written to it since: writing now could overwrite their change.
            self.read_only_reason = (
                f"{self.path.name}'s lock file was removed or replaced while the book was open, "
                "so another program may have changed it: nothing more is saved here. Close the "
                "book and open it again."
            )
        if self.read_only_reason is not None:
            raise BookError(self.read_only_reason)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write: committed (and synced) on success, rolled back on error."""
        self.require_writable()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise BookError(
                f"The book is busy or cannot be written ({exc}); nothing was changed."
            ) from exc
        try:
            if not self._identified:
                from .identity import ensure_identity

                ensure_identity(self.conn)  # rolled back with the change if it fails
            yield self.conn
            self.conn.execute("COMMIT")
            self._identified = self._wrote = True
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise BookError(f"The change could not be saved ({exc}); nothing was changed.") from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def close(self) -> None:
        """Close the book; one written to is anchored in the user's data folder (`anchor.py`)."""
        if self._wrote and self._lock is not None:
            from .anchor import record

            self._wrote = False
            with contextlib.suppress(sqlite3.Error):
                record(self.conn, self.path)
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._lock is not None:
            self._lock.release()
        if self._temp_copy is not None:
            from .migrate import remove_copy

            remove_copy(self._temp_copy)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_tables(conn: sqlite3.Connection, name: str) -> None:
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = [t for t in TABLES if t not in present]
        if missing:
            raise BookError(f"{name} is damaged: it has no {missing[0]} table.")
        conn.execute("SELECT count(*) FROM years").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BookError(f"{name} is damaged ({exc}). Open a backup or an exported copy.") from exc


def _guard_before_migrating(path: Path, version: int) -> None:
    """Refuse hidden SQL before a migration could set it off, and before any backup is made."""
    conn = _connect(path)
    try:
        conn.execute("PRAGMA query_only = ON")
        guard_schema(conn, path.name, version)
    finally:
        conn.close()


def held_reason(name: str, holder: LockHolder) -> str:
    """Why a book someone holds is open read-only, in words for whoever holds it."""
    if holder.is_mine():
        return (
            f"{name} is already open in your other pcbudget window (process {holder.pid}, "
            f"since {holder.since()}); it is open read-only here. Make changes there, or close "
            "it there and open it again."
        )
    return (
        f"{name} is open for editing by {holder.describe()}; "
        "it is open read-only until they close it."
    )


def open_book(path: str | os.PathLike[str], *, write: bool = True) -> Book:
    """Open a book; for writing unless someone else holds it, in which case read-only.

    Raises BookError for anything that is not a sound book of this release or an older one.
    """
    from .migrate import migrate_in_place, migrated_copy, remove_copy

    book_path = Path(path)
    header = read_header(book_path)
    lock: BookLock | None = None
    holder: LockHolder | None = None
    reason: str | None = None
    if write:
        lock = BookLock(book_path.resolve())  # a link and its target share one lock
        try:
            holder = lock.acquire()
        except OSError:
            lock, holder = None, None
            reason = f"The folder of {book_path.name} cannot be written to; it is open read-only."
        except BookError as exc:  # the lock's name is taken by something no writer leaves
            lock, holder = None, None
            reason = f"{exc} It is open read-only."
        if lock is None:
            pass
        elif holder is not None:
            lock = None
            reason = held_reason(book_path.name, holder)
        elif not os.access(book_path, os.W_OK):
            lock.release()
            lock = None
            reason = f"{book_path.name} is read-only on disk; it is open read-only."
    else:
        reason = f"{book_path.name} is open read-only."
    target = book_path
    try:
        elsewhere = lock is None and BookLock(book_path.resolve()).holder() is not None
        journal = inspect_journal(
            book_path, holding_lock=lock is not None, writer_elsewhere=elsewhere
        )
        if journal is Journal.HOT and not elsewhere:
            recover(book_path)
            header = read_header(book_path)
        if header.user_version < SCHEMA_VERSION:
            _guard_before_migrating(book_path, header.user_version)
            if lock is not None:
                migrate_in_place(book_path, header.user_version)
            else:
                target = migrated_copy(book_path, header.user_version)
        conn = _connect(target)
        if lock is not None:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
        else:
            conn.execute("PRAGMA query_only = ON")
        try:
            _check_tables(conn, book_path.name)
            guard_schema(conn, book_path.name)
        except BaseException:
            conn.close()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        if target != book_path:
            remove_copy(target)
        raise
    copy = target if target != book_path else None
    return Book(book_path, conn, lock=lock, held_by=holder, read_only_reason=reason, temp_copy=copy)


def recover(path: Path) -> None:
    """Let SQLite roll back a save that was cut off (a crash, a kill, a lost network drive)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BookError(
            f"{path.name} is damaged ({exc}). Open a backup or an exported copy."
        ) from exc
    finally:
        conn.close()


def create_empty(path: Path) -> BookConnection:
    """A new, empty book file with this release's schema (for `create_book` to fill)."""
    from .schema import DDL

    conn = _connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.executescript(DDL)
    return conn
