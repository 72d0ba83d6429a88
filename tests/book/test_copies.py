"""Writing over a book: a held book is never overwritten, a book is never copied onto itself,
and a book opened through a link is locked as the file it is."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.copies import write_copy
from pcbudget.io.resources import sample_book


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_book_someone_has_open_is_not_overwritten(sample_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "theirs.pcbook"
    shutil.copyfile(sample_path, other)
    before = digest(other)
    with open_book(other) as held, open_book(sample_path) as mine:
        assert not held.read_only
        # Held by this user's own (live) process: the refusal says where it is open.
        with pytest.raises(BookError, match="open in your other pcbudget window: it was not"):
            write_copy(mine.conn, other, own=mine.path)
    assert digest(other) == before


def test_a_book_is_never_copied_onto_itself(sample_path: Path) -> None:
    with open_book(sample_path) as book:
        with pytest.raises(BookError, match="this book itself"):
            write_copy(book.conn, sample_path, own=book.path)
        assert book.conn.execute("SELECT count(*) FROM orgs").fetchone()[0] > 0


def test_a_copy_replaces_a_free_book_whole_and_sets_aside_its_journal(
    sample_path: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "old.pcbook"
    dest.write_bytes(b"an old file")
    journal = tmp_path / "old.pcbook-journal"
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 600)
    write_copy(sample_book(), dest)
    assert not journal.exists()  # moved aside, never replayed onto the new copy
    assert list(tmp_path.glob("old.pcbook-journal.refused-*"))
    assert not list(tmp_path.glob(".old.pcbook.copying"))
    with open_book(dest, write=False) as copy:
        assert copy.meta("name").startswith("Leicester")


def test_a_book_opened_through_a_link_is_locked_as_its_file(
    sample_path: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.pcbook"
    link.symlink_to(sample_path)
    with open_book(link) as first, open_book(sample_path) as second:
        assert not first.read_only
        assert second.read_only  # one writer, whichever name it was opened by
