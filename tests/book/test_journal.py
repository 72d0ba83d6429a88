"""A journal beside a book is read before SQLite acts on it: a crafted one never deletes a file."""

from __future__ import annotations

import hashlib
import io
import struct
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.journal import MAGIC
from pcbudget.cli import main


def page_size(book: Path) -> int:
    return struct.unpack(">H", book.read_bytes()[16:18])[0]


def craft_journal(book: Path, *, super_journal: Path | None, page: int | None = None) -> Path:
    """A hot rollback journal of `book` (one sector of header), naming `super_journal` if given."""
    ps = page or page_size(book)
    header = MAGIC + struct.pack(">IIIII", 0, 12345, book.stat().st_size // ps, 512, ps)
    data = header.ljust(512, b"\0")
    if super_journal is not None:
        name = str(super_journal).encode()
        lock_page = 1073741824 // ps + 1
        data += struct.pack(">I", lock_page) + name
        data += struct.pack(">II", len(name), sum(name)) + MAGIC
    journal = book.with_name(book.name + "-journal")
    journal.write_bytes(data)
    return journal


@pytest.fixture
def victim(sample_path: Path) -> Path:
    """A file named and filled as SQLite's own super-journal of the book would be."""
    path = sample_path.with_name(sample_path.name + "-mj01234567")
    path.write_bytes(str(sample_path.with_name(sample_path.name + "-journal")).encode() + b"\0")
    return path


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("write", [True, False])
def test_opening_never_deletes_the_file_a_crafted_journal_names(
    sample_path: Path, victim: Path, write: bool
) -> None:
    journal = craft_journal(sample_path, super_journal=victim)
    before = digest(sample_path)
    with pytest.raises(BookError, match="super-journal") as refused:
        open_book(sample_path, write=write)
    assert victim.exists()
    assert digest(sample_path) == before
    assert not journal.exists()  # moved aside, so it can never be rolled back
    (aside,) = sample_path.parent.glob("llr.pcbook-journal.refused-*")
    assert aside.name in str(refused.value)
    assert not sample_path.with_name("llr.pcbook.lock").exists()
    open_book(sample_path).close()  # the book itself opens once the journal is out of the way
    assert victim.exists()


@pytest.mark.parametrize("command", ["check", "summary"])
def test_check_and_summary_refuse_a_crafted_journal_in_one_line(
    sample_path: Path, victim: Path, command: str
) -> None:
    craft_journal(sample_path, super_journal=victim)
    code, _, err = run(command, sample_path)
    assert code == 2
    assert victim.exists()
    assert err.count("\n") == 1 and "super-journal" in err and "moved to" in err
    assert "Traceback" not in err


def test_a_super_journal_under_a_zeroed_header_is_refused_too(
    sample_path: Path, victim: Path
) -> None:
    """Not hot today, but the next save would write a header in front of the record."""
    journal = craft_journal(sample_path, super_journal=victim)
    data = bytearray(journal.read_bytes())
    data[:8] = bytes(8)
    journal.write_bytes(bytes(data))
    with pytest.raises(BookError, match="super-journal"):
        open_book(sample_path)
    assert victim.exists() and not journal.exists()


def test_a_journal_that_is_not_sqlites_is_refused(sample_path: Path) -> None:
    journal = sample_path.with_name("llr.pcbook-journal")
    journal.write_bytes(b"not a journal at all" * 40)
    before = digest(sample_path)
    with pytest.raises(BookError, match="not an SQLite rollback journal"):
        open_book(sample_path, write=False)
    assert digest(sample_path) == before and not journal.exists()


def test_a_journal_of_another_database_is_refused(sample_path: Path) -> None:
    other = 1024 if page_size(sample_path) != 1024 else 2048
    craft_journal(sample_path, super_journal=None, page=other)
    before = digest(sample_path)
    with pytest.raises(BookError, match="another database"):
        open_book(sample_path)
    assert digest(sample_path) == before


def test_a_journal_with_a_zeroed_header_is_harmless(sample_path: Path) -> None:
    """What a save killed before its journal synced leaves: nothing to roll back."""
    journal = sample_path.with_name("llr.pcbook-journal")
    journal.write_bytes(bytes(512) + b"\x01" * 4096)
    before = digest(sample_path)
    reader = open_book(sample_path, write=False)  # read-only: left where it is
    reader.close()
    assert journal.exists() and digest(sample_path) == before
    book = open_book(sample_path)  # the writer clears it, so no stale journal stays behind
    try:
        assert not book.read_only
    finally:
        book.close()
    assert not journal.exists() and digest(sample_path) == before


def test_a_plain_hot_journal_of_the_book_is_still_rolled_back(sample_path: Path) -> None:
    """A genuine cut-off save (header synced, pages written) is put back as SQLite intends."""
    journal = sample_path.with_name("llr.pcbook-journal")
    original = sample_path.read_bytes()
    ps = page_size(sample_path)
    # The journal holds page 2's original content; the file has page 2 overwritten.
    header = MAGIC + struct.pack(">IIIII", 1, 0, len(original) // ps, 512, ps)
    page2 = original[ps : 2 * ps]
    checksum = sum(page2[i] for i in range(ps - 200, 0, -200))  # SQLite's: nonce 0 + every 200th
    record = struct.pack(">I", 2) + page2 + struct.pack(">I", checksum)
    journal.write_bytes(header.ljust(512, b"\0") + record)
    damaged = bytearray(original)
    damaged[ps : 2 * ps] = b"\xee" * ps
    sample_path.write_bytes(bytes(damaged))
    book = open_book(sample_path)
    book.close()
    assert sample_path.read_bytes()[ps : 2 * ps] == page2
    assert not journal.exists()


def test_a_journal_that_cannot_be_moved_aside_still_stops_the_open(
    sample_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def denied(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    craft_journal(sample_path, super_journal=victim)
    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(
        BookError, match=r"could not be moved aside .*Move llr\.pcbook-journal away"
    ):
        open_book(sample_path, write=False)
    assert victim.exists()


def test_a_journal_that_is_a_link_is_moved_aside_and_its_target_kept(
    sample_path: Path, victim: Path
) -> None:
    journal = sample_path.with_name("llr.pcbook-journal")
    journal.symlink_to(victim)
    with pytest.raises(BookError, match="a link to another file"):
        open_book(sample_path)
    assert victim.exists() and not journal.is_symlink()


def write_foreign_lock(book: Path) -> None:
    lock = book.with_name(book.name + ".lock")
    lock.write_text(
        '{"user": "alice", "host": "FINANCE-PC-07", "pid": 1, "at": "2026-01-01T09:00:00+00:00"}'
    )


def test_a_reader_never_takes_a_live_writers_journal_away(sample_path: Path) -> None:
    """Read mid-save, a writer's journal can look torn: while the book is held it is left be."""
    write_foreign_lock(sample_path)
    journal = sample_path.with_name("llr.pcbook-journal")
    journal.write_bytes(b"\x00\x00\x00\x00\xd9\xd5\x05\xf9" + bytes(504))  # half its magic
    book = open_book(sample_path, write=False)
    book.close()
    assert not list(sample_path.parent.glob("llr.pcbook-journal.refused-*"))


def test_a_super_journal_is_refused_even_while_the_book_is_held(
    sample_path: Path, victim: Path
) -> None:
    write_foreign_lock(sample_path)
    craft_journal(sample_path, super_journal=victim)
    with pytest.raises(BookError, match="super-journal"):
        open_book(sample_path)
    assert victim.exists()
