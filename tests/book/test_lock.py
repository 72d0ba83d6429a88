"""The book's lock with real processes: the OS says who is alive, so exactly one of several
processes racing for a book wins it, and a killed holder's book is free at once."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book import lock as lock_mod
from pcbudget.book.lock import BookLock

#: Opens the book when told to, says whether it could write, and holds it until told again.
CONTENDER = textwrap.dedent(
    """
    import sys
    from pcbudget.book import open_book, os_lock
    if sys.argv[2] == "no-os-locks":  # a drive that keeps no OS locks
        os_lock.try_lock = lambda fd, shared=False: os_lock.Outcome.UNSUPPORTED
    print("ready", flush=True)
    sys.stdin.readline()
    book = open_book(sys.argv[1])
    print("W" if not book.read_only else "R", flush=True)
    sys.stdin.readline()
    book.close()
    """
)


def lock_of(book: Path) -> Path:
    return book.with_name(book.name + ".lock")


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def start(book: Path, count: int, mode: str = "os-locks") -> list[subprocess.Popen[str]]:
    """`count` processes, each ready to open `book` the moment it is told."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONTENDER, str(book), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return procs


def race(procs: list[subprocess.Popen[str]]) -> list[str]:
    """Tell every process to open the book at once; what each got, W(rite) or R(ead)."""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    return [proc.stdout.readline().strip() for proc in procs if proc.stdout is not None]


def finish(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.communicate("quit\n", timeout=60)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def note(**fields: object) -> str:
    return json.dumps({"user": "alice", "at": "2026-11-20T09:14:00+00:00", **fields})


STALE = {
    "no lock file": None,
    "an empty note (a full disk)": "",
    "a note from a live process that no longer holds the OS lock": note(
        host=socket.gethostname(), pid=os.getpid(), os_lock=True
    ),
    "an older pcbudget's note from a dead process": note(host=socket.gethostname(), pid=0),
}


@pytest.mark.slow
@pytest.mark.parametrize("left", list(STALE), ids=list(STALE))
def test_of_processes_racing_for_a_book_exactly_one_wins(
    sample_path: Path, processes: list[subprocess.Popen[str]], left: str
) -> None:
    text = STALE[left]
    if text is not None:
        lock_of(sample_path).write_text(text)
    processes += start(sample_path, 4)
    results = race(processes)
    assert sorted(results) == ["R", "R", "R", "W"], results
    winner = processes[results.index("W")]
    assert json.loads(lock_of(sample_path).read_text())["pid"] == winner.pid
    finish(processes)
    assert not lock_of(sample_path).exists()


@pytest.mark.slow
def test_without_os_locks_one_process_takes_over_a_dead_processes_lock(
    sample_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    """The note's own rule, kept for drives without OS locks, still lets only one win."""
    lock_of(sample_path).write_text(note(host=socket.gethostname(), pid=dead_pid()))
    processes += start(sample_path, 4, "no-os-locks")
    assert sorted(race(processes)) == ["R", "R", "R", "W"]
    finish(processes)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holders_book_is_writable_at_once(
    sample_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    processes += start(sample_path, 1)
    (holder,) = processes
    assert race(processes) == ["W"]
    held = open_book(sample_path)
    try:  # alive, it is named: the same user on the same machine, so "your other window"
        assert held.read_only
        assert f"your other pcbudget window (process {holder.pid}" in (held.read_only_reason or "")
    finally:
        held.close()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert json.loads(lock_of(sample_path).read_text())["pid"] == holder.pid  # left behind
    book = open_book(sample_path)
    try:
        assert not book.read_only
        assert json.loads(lock_of(sample_path).read_text())["pid"] == os.getpid()
    finally:
        book.close()


@pytest.mark.slow
def test_a_live_holder_is_named_to_another_process(
    sample_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    book = open_book(sample_path)
    try:
        processes += start(sample_path, 1)
        assert race(processes) == ["R"]
        finish(processes)
        assert BookLock(sample_path).holder() is not None  # still ours after they went
    finally:
        book.close()
    assert BookLock(sample_path).holder() is None


def test_a_full_disk_leaves_no_lock_behind(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note that cannot be written is removed, so it blocks nobody afterwards."""

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lock_mod.os, "fsync", disk_full)
    book = open_book(sample_path)
    try:
        assert book.read_only and "cannot be written" in (book.read_only_reason or "")
    finally:
        book.close()
    assert not lock_of(sample_path).exists()
    monkeypatch.undo()
    with open_book(sample_path) as book:
        assert not book.read_only


def test_a_note_replaced_while_held_is_not_ours(sample_path: Path) -> None:
    """Another program that moves a new lock file into place takes the book from us."""
    with open_book(sample_path) as book:
        stranger = sample_path.with_name("stranger")
        stranger.write_text(lock_of(sample_path).read_text())  # the very same words
        os.replace(stranger, lock_of(sample_path))
        with pytest.raises(BookError, match="lock file was removed or replaced"):
            book.require_writable()
    assert lock_of(sample_path).exists()  # not ours to remove


def test_another_users_stale_lock_is_replaced_not_written_over(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note left by another user may not be writable by this one: it is moved aside (the
    folder is shared) and a new one made, still under the OS lock, so still one winner."""
    lock_of(sample_path).write_text(note(host=socket.gethostname(), pid=0, user="bob"))
    opened = BookLock._open

    def as_another_user(self: BookLock) -> tuple[int | None, bool, bool]:
        fd, created, writable = opened(self)
        if fd is not None and not created:  # someone else's file: read-only to us
            os.close(fd)
            return os.open(self.path, os.O_RDONLY), False, False
        return fd, created, writable

    monkeypatch.setattr(BookLock, "_open", as_another_user)
    with open_book(sample_path) as book:
        assert not book.read_only
        assert json.loads(lock_of(sample_path).read_text())["pid"] == os.getpid()
    assert list(sample_path.parent.glob("*.lock*")) == []  # nothing left aside
