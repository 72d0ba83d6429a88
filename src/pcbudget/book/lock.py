"""The lock beside the book, so a second writer gets it read-only and is told who has it.

SQLite's own locks last only for a transaction, so the writer holds `BOOK.lock` for as long
as the book is open: an OS lock on the file (`os_lock.py`) says whether the writer is alive,
and the JSON inside (user, machine, process, time) says who it is. The OS drops the lock the
moment its process ends, so a crashed writer's book is free at once, and only one process can
take it, so two processes taking over a stale lock cannot both win.

Where the file system keeps no OS locks (some network drives), the note alone decides, as
before: a note from a process that died on this machine is stale, and one that cannot be read
is honoured for a minute, in case its writer is still writing it. A note from another machine
is always honoured, OS lock or not: a network drive may not pass locks between machines.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import os_lock
from .errors import BookError
from .lock_note import (
    SOMEONE,
    LockHolder,
    current_user,
    from_here_and_dead,
    is_record,
    live_by_note,
    live_while_unlocked,
    new_record,
    parse_note,
    read_fd,
    write_record,
)
from .os_lock import Outcome

__all__ = ["BookLock", "LockHolder", "current_user"]  # where callers have always found them

#: Without OS locks, a note that cannot be read and is younger than this may be half-written.
_UNREADABLE_GRACE_S = 60
#: A busy lock whose note is not yet the new holder's is looked at again this often.
_ATTEMPTS, _PAUSE_S = 50, 0.02
#: A link where the lock file belongs is never followed (it could point at any file).
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


class BookLock:
    """The lock of one book; `acquire` returns the holder instead of raising when taken."""

    def __init__(self, book_path: Path) -> None:
        self.path = book_path.with_name(book_path.name + ".lock")
        self.held = False
        self.record: dict[str, Any] = {}
        self._fd: int | None = None  # the note's file, OS-locked while the book is held

    # -- reading -------------------------------------------------------------------------

    def _read(self) -> tuple[bytes, LockHolder | None]:
        raw = self.path.read_bytes()
        return raw, parse_note(raw)

    def _holder_by_note(self) -> LockHolder | None:
        """Without OS locks: the holder the note names, unless it is stale by the note's rule."""
        try:
            _, holder = self._read()
        except FileNotFoundError:
            return None
        except OSError:
            return SOMEONE
        if holder is None:
            with contextlib.suppress(OSError):
                if time.time() - self.path.stat().st_mtime < _UNREADABLE_GRACE_S:
                    return SOMEONE
            return None
        return None if from_here_and_dead(holder) else holder

    def holder(self) -> LockHolder | None:
        """The live holder of the lock, or None if it is free or stale (takes nothing)."""
        if self.path.is_symlink():
            return None  # pcbudget never leaves a link: nobody holds it
        try:
            fd = os.open(self.path, os.O_RDONLY | _NO_FOLLOW)
        except FileNotFoundError:
            return None
        except OSError:
            return SOMEONE
        try:
            raw = read_fd(fd)
            outcome = os_lock.try_lock(fd, shared=True)
            if outcome is Outcome.TAKEN:
                os_lock.unlock(fd)
        except OSError:
            return SOMEONE
        finally:
            os.close(fd)
        if outcome is Outcome.BUSY:
            return parse_note(raw) or SOMEONE
        if outcome is Outcome.TAKEN:
            return live_while_unlocked(parse_note(raw))
        return self._holder_by_note()

    # -- taking --------------------------------------------------------------------------

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
        for _ in range(_ATTEMPTS):
            if self.path.is_symlink():
                self._move_aside(keep=lambda moved: not moved.is_symlink())
                continue
            fd, created, writable = self._open()
            if fd is None:
                continue  # it vanished between two looks: look again
            try:
                outcome = os_lock.try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if outcome is Outcome.BUSY:
                os.close(fd)
                holder = self._holder_if_current()
                if holder is not None:
                    return holder
                time.sleep(_PAUSE_S)  # the new holder has yet to write its note
            elif outcome is Outcome.UNSUPPORTED:
                if created:  # made with O_EXCL, so it is ours
                    self._write_note(fd, os_locked=False)
                    return None
                os.close(fd)
                holder = self._holder_by_note()
                if holder is not None:
                    return holder
                self._move_aside(keep=live_by_note)
            else:
                holder = self._judge_under_lock(fd, writable)
                if holder is not None:
                    return holder
                if self.held:
                    return None
        try:
            return parse_note(self.path.read_bytes()) or SOMEONE
        except OSError:
            return SOMEONE

    def _open(self) -> tuple[int | None, bool, bool]:
        """The lock file (made new if there is none), whether it is new and whether it can be
        written; None if it vanished between two looks."""
        flags = os.O_RDWR | _NO_FOLLOW
        try:
            return os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o644), True, True
        except FileExistsError:
            pass
        try:
            return os.open(self.path, flags), False, True
        except FileNotFoundError:
            return None, False, False
        except PermissionError:  # another user's note: enough to lock it, and move it aside
            try:
                return os.open(self.path, os.O_RDONLY | _NO_FOLLOW), False, False
            except FileNotFoundError:
                return None, False, False

    def _holder_if_current(self) -> LockHolder | None:
        """The holder of a busy lock, if its note is the live holder's (not a stale one that
        the new holder is about to overwrite)."""
        try:
            holder = parse_note(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except OSError:
            return SOMEONE
        if holder is None or from_here_and_dead(holder):
            return None
        return holder

    def _same_file(self, fd: int) -> bool:
        """Whether the path still names the file `fd` is open on (not removed or replaced)."""
        return self._is_file(self.path, fd)

    @staticmethod
    def _is_file(path: Path, fd: int) -> bool:
        try:
            now = os.stat(path, follow_symlinks=False)
        except OSError:
            return False
        then = os.fstat(fd)
        return (now.st_dev, now.st_ino) == (then.st_dev, then.st_ino)

    def _judge_under_lock(self, fd: int, writable: bool) -> LockHolder | None:
        """Holding the OS lock on the file: honour a live note, or take the book.

        Returns the holder to honour, or None: then either `held` is set, or the file was
        removed or replaced meanwhile and the caller looks again.
        """
        keep = False
        try:
            if not self._same_file(fd):
                return None
            holder = live_while_unlocked(parse_note(read_fd(fd)))
            if holder is not None:
                return holder
            if not writable:  # another user's stale note: moved aside, and a new one made
                self._move_aside(keep=lambda moved: not self._is_file(moved, fd))
                return None
            self._write_note(fd, os_locked=True)
            keep = True
            return None
        finally:
            if not keep:
                with contextlib.suppress(OSError):
                    os_lock.unlock(fd)
                os.close(fd)

    def _write_note(self, fd: int, *, os_locked: bool) -> None:
        """Write who holds the book into its lock file; on failure (a full disk) remove it."""
        record = new_record(os_locked=os_locked)
        try:
            write_record(fd, record, self.path.name)
        except OSError:
            if self._same_file(fd):
                with contextlib.suppress(OSError):
                    self.path.unlink()
            if not os_locked:
                os.close(fd)
            raise
        self.record = record
        self.held = True
        if os_locked:
            self._fd = fd
        else:
            os.close(fd)

    def _move_aside(self, *, keep: Callable[[Path], bool]) -> None:
        """Move a stale lock file (or a link) out of the way in one step, so two processes
        cannot both take it over; if `keep` says what was moved is live after all (it replaced
        the stale one in between), put it back."""
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}-{time.monotonic_ns()}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return  # someone else moved it first
        try:
            if keep(aside):
                with contextlib.suppress(OSError):
                    os.link(aside, self.path)
        finally:
            with contextlib.suppress(OSError):
                aside.unlink()

    # -- holding -------------------------------------------------------------------------

    def ours(self) -> bool:
        """Whether the lock file is still the one this process wrote (not removed or replaced)."""
        if not self.held:
            return False
        if self._fd is not None and not self._same_file(self._fd):
            return False
        try:
            return is_record(self.path.read_bytes(), self.record)
        except OSError:
            return False

    def release(self) -> None:
        """Remove the lock file if it is still ours, and let go of the OS lock."""
        if not self.held:
            return
        self.held = False
        fd, self._fd = self._fd, None
        if fd is None:  # a note without an OS lock
            try:
                _, holder = self._read()
            except OSError:
                return
            if holder is not None and (holder.pid, holder.host) == (
                os.getpid(),
                socket.gethostname(),
            ):
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
            return
        mine = False
        try:
            mine = self._ours_fd(fd)
            if mine and sys.platform != "win32":
                # Removed while still locked: anyone waiting on this file finds it gone and
                # starts again on a new one, so no two can hold the book at once.
                self.path.unlink()
            elif mine:
                os.ftruncate(fd, 0)  # Windows cannot remove an open file; an empty one is stale
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                os_lock.unlock(fd)
            os.close(fd)
        if mine and sys.platform == "win32":
            with contextlib.suppress(OSError):  # refused while another process has it open
                self.path.unlink()

    def _ours_fd(self, fd: int) -> bool:
        try:
            return self._same_file(fd) and is_record(read_fd(fd), self.record)
        except OSError:
            return False
