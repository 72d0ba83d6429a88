"""The note inside a book's lock file: who holds the book (user, machine, process, time), how
it is written and read back, and when a note is stale.

The lock protocol (`lock.py`) decides who may take the book; this module only knows what a
note says, so the rules for a dead or half-written note are read in one place.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import os_lock


@dataclass(frozen=True)
class LockHolder:
    """Who holds a book open for writing."""

    user: str
    host: str
    pid: int
    at: str
    under_os_lock: bool = False  # False in notes of pcbudgets before the OS lock

    def since(self) -> str:
        return self.at.replace("T", " ")[:16] + " UTC"

    def describe(self) -> str:
        return f"{self.user} on {self.host} since {self.since()}"

    def is_mine(self) -> bool:
        """This user's own pcbudget, running on this machine (it can be handed the book)."""
        return (
            self.user == current_user()
            and self.host == socket.gethostname()
            and os_lock.pid_alive(self.pid)
        )


#: Who holds the book when the note cannot be read: the book is honoured as taken.
SOMEONE = LockHolder("another user", "an unknown machine", 0, "just now")


def current_user() -> str:
    """The OS user name, for the lock and the change log."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some services)
        return f"uid-{os.getpid()}"


def parse_note(raw: bytes) -> LockHolder | None:
    """Who a note names, or None if it is not a note pcbudget wrote (empty, half-written...)."""
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockHolder(
            str(data["user"]),
            str(data["host"]),
            int(data["pid"]),
            str(data.get("at") or "an unknown time"),
            data.get("os_lock") is True,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def read_fd(fd: int) -> bytes:
    """The whole of an open lock file, from its start (the note is read through the same
    handle that is locked, so it is the locked file's note)."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def from_here_and_dead(holder: LockHolder) -> bool:
    """Whether a note was written on this machine by a process that has since ended."""
    return holder.host == socket.gethostname() and not os_lock.pid_alive(holder.pid)


def live_while_unlocked(holder: LockHolder | None) -> LockHolder | None:
    """The holder a note names when nobody holds the OS lock on it, or None if it is stale.

    Empty or unreadable: stale (a writer writes its note only once it holds the lock). From this
    machine: stale if written under an OS lock, else (an older pcbudget) if its process is dead.
    """
    if holder is None:
        return None
    if holder.host != socket.gethostname():
        return holder
    if holder.under_os_lock or not os_lock.pid_alive(holder.pid):
        return None
    return holder


def new_record(*, os_locked: bool) -> dict[str, Any]:
    """The note this process writes when it takes a book: who, where, which process, when."""
    return {
        "user": current_user(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "os_lock": os_locked,
    }


def write_record(fd: int, record: dict[str, Any], name: str) -> None:
    """Replace the file's content with the note and make it durable (OSError if it is not)."""
    data = json.dumps(record).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    if os.write(fd, data) != len(data):
        raise OSError(f"{name} could not be written in full")
    os.fsync(fd)


def is_record(raw: bytes, record: dict[str, Any]) -> bool:
    """Whether a lock file's bytes are exactly the note this process wrote."""
    try:
        return bool(json.loads(raw.decode("utf-8")) == record)
    except ValueError:
        return False


def live_by_note(moved: Path) -> bool:
    """Whether a lock file moved aside names a live holder (it replaced the stale one)."""
    if moved.is_symlink():
        return False
    try:
        holder = parse_note(moved.read_bytes())
    except OSError:
        return False
    return holder is not None and not from_here_and_dead(holder)
