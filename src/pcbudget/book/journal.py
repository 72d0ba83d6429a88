"""A rollback journal found beside a book is read before SQLite may act on it.

SQLite rolls a hot `BOOK-journal` back when it next opens the book, and a journal that names a
"super-journal" makes it delete that other file afterwards, whatever it is. Books travel by email
and sit in shared folders, so a journal beside one may be crafted: pcbudget reads the journal
itself first (format: sqlite.org/fileformat2.html, "The Rollback Journal") and only lets SQLite
see a plain rollback journal of this book. Anything else is moved aside, never rolled back.
"""

from __future__ import annotations

import os
import struct
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from .errors import BookError

#: Every rollback journal header, and the end of a super-journal record, starts with these bytes.
MAGIC = bytes.fromhex("d9d505f920a163d7")
_HEADER = 28  # magic, page count, nonce, initial size, sector size, page size
_SUPER = "it names another file for SQLite to delete (a super-journal)"
_LINK = "it is a link to another file"


class Journal(Enum):
    """What a journal beside a book is, as far as opening the book is concerned."""

    NONE = "none"  # no journal, or an empty one
    IDLE = "idle"  # header zeroed: SQLite ignores it (a save cut off before its journal synced)
    HOT = "hot"  # a plain rollback journal of this book: SQLite rolls the cut-off save back


def journal_path(path: Path) -> Path:
    """SQLite's name for a book's rollback journal: the file name with `-journal` added."""
    return path.with_name(path.name + "-journal")


def _page_size(book: Path) -> int:
    with book.open("rb") as handle:
        head = handle.read(18)
    (size,) = struct.unpack(">H", head[16:18]) if len(head) == 18 else (0,)
    return 65536 if size == 1 else size


def _power_of_two(n: int, low: int, high: int) -> bool:
    return low <= n <= high and not n & (n - 1)


def _fault(journal: Path, book: Path) -> str | None:
    """Why the journal is not a plain rollback journal of `book`, or None when it is."""
    size = journal.stat().st_size
    with journal.open("rb") as handle:
        head = handle.read(_HEADER)
        handle.seek(max(0, size - 8))
        tail = handle.read(8)
    # A super-journal record ends the file: name, its length, checksum, then the magic. Even
    # under a zeroed header it is refused: a later save would write a header in front of it.
    if size >= 16 and tail == MAGIC:
        return _SUPER
    if not any(head[:8]):
        return None
    if head[:8] != MAGIC:
        return "it is not an SQLite rollback journal"
    if len(head) < _HEADER:
        return None  # a header cut short: SQLite plays back nothing
    sector, page = struct.unpack(">II", head[20:28])
    if not _power_of_two(sector, 32, 65536) or not _power_of_two(page, 512, 65536):
        return "its header is not valid"
    if page != _page_size(book):
        return "it belongs to another database (its page size differs from the book's)"
    return None


def refuse_aside(journal: Path) -> Path:
    """Move a journal to `<journal>.refused-<UTC time>`, never over an earlier one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = journal.with_name(f"{journal.name}.refused-{stamp}")
    n = 2
    while aside.exists():
        aside = journal.with_name(f"{journal.name}.refused-{stamp}-{n}")
        n += 1
    os.replace(journal, aside)
    return aside


def inspect_journal(book: Path, *, holding_lock: bool, writer_elsewhere: bool = False) -> Journal:
    """Read the journal beside `book` before any connection does; refuse one that is not plain.

    A refused journal is moved aside and BookError raised naming where it went. With the book's
    lock held, an idle journal (zeroed header, nothing to roll back) is removed, so a stale
    leftover cannot lend its tail to a later save. While someone else holds the book, its
    journal may be read half-written: only one that would send SQLite to another file is
    refused then, so a reader never takes a live writer's journal away.
    """
    journal = journal_path(book)
    try:
        linked = journal.is_symlink()  # SQLite never makes one: it could point anywhere
        if not linked and (not journal.exists() or journal.stat().st_size == 0):
            return Journal.NONE
        if not linked and not journal.is_file():
            raise BookError(
                f"{journal.name} beside {book.name} is not a file; move it away, then open "
                "the book again."
            )
        fault = _LINK if linked else _fault(journal, book)
        if fault is not None and writer_elsewhere and fault not in (_LINK, _SUPER):
            return Journal.HOT  # the writer holds SQLite's lock: nothing rolls it back meanwhile
        if fault is not None:
            try:
                aside = refuse_aside(journal)
            except OSError as exc:
                raise BookError(
                    f"{book.name} was not opened: the journal beside it is not one pcbudget can "
                    f"trust ({fault}) and it could not be moved aside ({exc.strerror or exc}). "
                    f"Move {journal.name} away, then open the book again."
                ) from exc
            raise BookError(
                f"{book.name} was not opened: the journal beside it is not one pcbudget can "
                f"trust ({fault}). It was not rolled back; it was moved to {aside.name}. Open "
                "the book again, then run pcbudget check on it."
            )
        with journal.open("rb") as handle:
            idle = not any(handle.read(8))
        if idle and holding_lock:
            journal.unlink()
            return Journal.NONE
        return Journal.IDLE if idle else Journal.HOT
    except OSError as exc:
        raise BookError(
            f"The journal beside {book.name} cannot be read ({exc.strerror or exc}); the book "
            "was not opened."
        ) from exc
