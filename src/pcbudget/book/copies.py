"""Writing a book over a path: Save a Copy As and New from the Sample never overwrite a book
someone has open, never copy a book onto itself, and never leave a half-written file.

The copy is written beside the target and moved over it in one step while the target's lock
is held; a journal left beside the target (which SQLite would replay onto the new file) is
moved aside first. Each copy is a book of its own: it gets a new identity (a logged change in
the copy), so a return exported from one copy is not taken by another.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .anchor import record
from .errors import BookError
from .identity import give_identity
from .journal import journal_path, refuse_aside
from .lock import BookLock


def write_copy(
    source: sqlite3.Connection | Path, dest: str | os.PathLike[str], *, own: Path | None = None
) -> Path:
    """Copy a book (an open connection, or a file such as the shipped sample) to `dest`.

    `own` is the path of the book being copied, so a copy onto itself is refused. Raises
    BookError, changing nothing, if `dest` is open for editing by anyone.
    """
    target = Path(dest).resolve()
    if own is not None and target == Path(own).resolve():
        raise BookError("That is this book itself: choose another name for the copy.")
    if isinstance(source, Path) and source.resolve() == target:
        raise BookError("A book cannot be copied onto itself: choose another name.")
    if target.is_dir():
        raise BookError(f"{target.name} is a folder: choose a file name for the copy.")
    lock = BookLock(target)
    try:
        holder = lock.acquire()
    except OSError as exc:
        raise BookError(f"Cannot write in {target.parent}: {exc.strerror or exc}.") from None
    if holder is not None:
        where = (
            "in your other pcbudget window"
            if holder.is_mine()
            else f"for editing by {holder.describe()}"
        )
        raise BookError(f"{target.name} is open {where}: it was not overwritten.")
    temp = target.with_name(f".{target.name}.copying")
    try:
        if journal_path(target).exists():
            refuse_aside(journal_path(target))  # never replayed onto the new file
        temp.unlink(missing_ok=True)
        copy = sqlite3.connect(str(temp))
        try:
            if isinstance(source, Path):
                with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
                    src.backup(copy)
            else:
                source.backup(copy)
            with copy:
                give_identity(copy, f"a copy saved as {target.name}")
            record(copy, target)
        finally:
            copy.close()
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as exc:
        temp.unlink(missing_ok=True)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BookError(f"The copy could not be written ({why}).") from None
    finally:
        lock.release()
    return target
