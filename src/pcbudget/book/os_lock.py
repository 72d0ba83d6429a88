"""The operating system's lock on an open file: `flock` on POSIX, `msvcrt.locking` on Windows.

Only one open file can hold it at a time, even within one process, and the OS drops it the
moment its process ends, however it ends; so it says whether a writer is alive where a pid or a
timestamp can only guess. Windows byte-range locks are mandatory (a locked byte cannot be read
through another handle), so there the lock is one byte a gigabyte past the start of the file,
as SQLite locks its pending byte, and the note at the start stays readable.

Not `filelock` or `portalocker`: filelock truncates the file it locks and takes a failure such
as "no locks on this network drive" for "busy", and portalocker locks a whole Windows file, so
neither can lock the note that says who holds the book while others read it.
"""

from __future__ import annotations

import errno
import os
import sys
from enum import Enum


class Outcome(Enum):
    """What an attempt to take the lock found."""

    TAKEN = "taken"
    BUSY = "busy"  # another open file holds it: its process is alive
    UNSUPPORTED = "unsupported"  # the file system keeps no locks (some network drives)


# Some NFS mounts without a lock daemon answer ENOLCK; some FUSE and SMB mounts EOPNOTSUPP.
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL}

if sys.platform == "win32":
    import msvcrt

    _WINDOWS_BYTE = 0x40000000

    def try_lock(fd: int, *, shared: bool = False) -> Outcome:
        """Take the lock without waiting (Windows has no shared kind: `shared` is exclusive)."""
        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in _UNSUPPORTED:
                return Outcome.UNSUPPORTED
            return Outcome.BUSY
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return Outcome.TAKEN

    def unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.lseek(fd, 0, os.SEEK_SET)

else:
    import fcntl

    def try_lock(fd: int, *, shared: bool = False) -> Outcome:
        """Take the lock without waiting; `shared` is for a look through a file opened only for
        reading (NFS grants an exclusive lock only to a file opened for writing)."""
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return Outcome.BUSY
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                return Outcome.BUSY
            if exc.errno in _UNSUPPORTED:
                return Outcome.UNSUPPORTED
            raise
        return Outcome.TAKEN

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine is running (for notes written without an OS lock)."""
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
