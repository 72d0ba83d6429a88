"""Odd things where the lock file belongs give one clear line, never 'unexpected error'."""

from __future__ import annotations

import io
import os
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pcbudget.book import open_book, os_lock
from pcbudget.cli import main


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def lock_of(book: Path) -> Path:
    return book.with_name(book.name + ".lock")


def test_an_old_lock_that_is_not_utf8_is_stale_and_taken_over(sample_path: Path) -> None:
    lock = lock_of(sample_path)
    lock.write_bytes(b"\xff\xfe\xfa not a lock pcbudget wrote")
    hour_ago = time.time() - 3600
    os.utime(lock, (hour_ago, hour_ago))
    code, out, err = run("set", sample_path, "LC", "premises", "2019/20", "1000")
    assert code == 0 and err == "" and "-> £1,000.00" in out
    assert not lock.exists()


def test_a_fresh_lock_that_is_not_utf8_is_stale_at_once_when_nobody_holds_it(
    sample_path: Path,
) -> None:
    """A writer writes its note only once it holds the OS lock, so an unreadable note that no
    process holds was left by a crash (a full disk, say): there is nobody to wait for."""
    lock_of(sample_path).write_bytes(b"\xff\xfe\xfa")
    book = open_book(sample_path)
    try:
        assert not book.read_only
    finally:
        book.close()
    assert not lock_of(sample_path).exists()


def test_without_os_locks_a_fresh_unreadable_lock_is_honoured_for_a_minute(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a drive that keeps no OS locks the note alone decides, as before."""
    monkeypatch.setattr(os_lock, "try_lock", lambda fd, shared=False: os_lock.Outcome.UNSUPPORTED)
    lock_of(sample_path).write_bytes(b"\xff\xfe\xfa")
    book = open_book(sample_path)
    try:
        assert book.read_only and "another user" in (book.read_only_reason or "")
    finally:
        book.close()


def test_a_folder_where_the_lock_belongs_is_named(sample_path: Path) -> None:
    lock_of(sample_path).mkdir()
    code, _, err = run("set", sample_path, "LC", "premises", "2019/20", "1000")
    assert code == 2 and err.count("\n") == 1
    assert "llr.pcbook.lock is a folder, not pcbudget's lock file" in err
    assert lock_of(sample_path).is_dir()  # not ours to remove
    assert run("summary", sample_path)[0] == 0  # reading still works


def test_a_dangling_link_where_the_lock_belongs_is_replaced(sample_path: Path) -> None:
    lock_of(sample_path).symlink_to(sample_path.parent / "nowhere" / "x.lock")
    code, _, err = run("set", sample_path, "LC", "premises", "2019/20", "1000")
    assert code == 0 and err == ""
    assert not lock_of(sample_path).is_symlink()
