"""An advisory lock file beside the book, so a second user gets it read-only and is told who has it.

SQLite's own locks last only for a transaction and are unreliable on network drives, so the
writer holds `BOOK.lock` (user, machine, process, time) for as long as the book is open. A lock
left by a process that died on this machine is stale and taken over.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import BookError

#: A lock file that cannot be read and is older than this was left half-written by a crash.
_UNREADABLE_GRACE_S = 60


@dataclass(frozen=True)
class LockHolder:
    """Who holds a book open for writing."""

    user: str
    host: str
    pid: int
    at: str

    def describe(self) -> str:
        when = self.at.replace("T", " ")[:16]
        return f"{self.user} on {self.host} since {when} UTC"


def current_user() -> str:
    """The OS user name, for the lock and the change log."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some services)
        return f"uid-{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BookLock:
    """The lock file of one book; `acquire` returns the holder instead of raising when taken."""

    def __init__(self, book_path: Path) -> None:
        self.path = book_path.with_name(book_path.name + ".lock")
        self.held = False

    def _read(self) -> tuple[str, LockHolder | None]:
        """The lock file's text and who it names (None if it cannot be read as a lock)."""
        try:
            raw = self.path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:  # not a lock pcbudget wrote: unreadable, like a half-written one
            return "", None
        try:
            data = json.loads(raw)
            return raw, LockHolder(
                str(data["user"]),
                str(data["host"]),
                int(data["pid"]),
                str(data.get("at") or "an unknown time"),
            )
        except (ValueError, KeyError, TypeError):
            return raw, None

    def holder(self) -> LockHolder | None:
        """The live holder of the lock, or None if it is free or stale."""
        try:
            _, holder = self._read()
        except FileNotFoundError:
            return None
        except OSError:
            return LockHolder("another user", "an unknown machine", 0, "an unknown time")
        if holder is None:
            with contextlib.suppress(OSError):
                if time.time() - self.path.stat().st_mtime < _UNREADABLE_GRACE_S:
                    return LockHolder("another user", "an unknown machine", 0, "just now")
            return None
        if holder.host == socket.gethostname() and not _pid_alive(holder.pid):
            return None
        return holder

    def _take_over(self) -> None:
        """Move a stale lock aside atomically, so two processes cannot both take it over."""
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}-{time.monotonic_ns()}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return  # someone else moved it first
        try:
            try:
                _, moved = self._read_file(aside)
            except OSError:  # a link to nowhere, say: nothing anyone holds
                moved = None
            if moved is not None and not (
                moved.host == socket.gethostname() and not _pid_alive(moved.pid)
            ):
                # A live lock replaced the stale one in between: put it back if we can.
                with contextlib.suppress(OSError):
                    os.link(aside, self.path)
        finally:
            with contextlib.suppress(OSError):
                aside.unlink()

    def _read_file(self, path: Path) -> tuple[str, LockHolder | None]:
        saved, self.path = self.path, path
        try:
            return self._read()
        finally:
            self.path = saved

    def acquire(self) -> LockHolder | None:
        """Take the lock; return the other holder (and take nothing) if someone has it.

        Raises OSError when the folder cannot be written (the caller opens read-only), and
        BookError when the lock's name is taken by a folder, which no process would leave.
        """
        if self.path.is_dir() and not self.path.is_symlink():
            raise BookError(
                f"{self.path.name} is a folder, not pcbudget's lock file: remove or rename it, "
                "then open the book again."
            )
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.holder()
                if holder is not None:
                    return holder
                self._take_over()
                continue
            self.record = {
                "user": current_user(),
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.record, handle)
                handle.flush()
                os.fsync(handle.fileno())
            self.held = True
            return None
        return self.holder() or LockHolder("another user", "an unknown machine", 0, "just now")

    def ours(self) -> bool:
        """Whether the lock file still exists and is the one this process wrote."""
        if not self.held:
            return False
        try:
            raw, _ = self._read()
        except OSError:
            return False
        try:
            return json.loads(raw) == self.record
        except ValueError:
            return False

    def release(self) -> None:
        """Remove the lock file, if it is still ours."""
        if not self.held:
            return
        self.held = False
        try:
            _, holder = self._read()
        except OSError:
            return
        if holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
