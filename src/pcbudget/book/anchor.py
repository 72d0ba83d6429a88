"""Anchoring each book's change log outside the file, in the user's data folder.

The hash chain shows a log altered row by row, but not one rewritten whole with its hashes
recomputed. So the app notes, per book identity, the newest change-log row it has seen (when a
book it wrote to is closed, and when a return is exported); a book whose log no longer holds that
row, with that hash, has been rewritten, or is an older or diverged copy. `check` reports it and
opening warns; neither refuses the book.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .identity import book_identity

#: Set to use another data folder (tests, or an administrator's choice).
DATA_ENV = "PCBUDGET_DATA"


def data_folder() -> Path:
    """Where the desktop app keeps its own files (Qt's AppDataLocation for pcbudget/pcbudget)."""
    chosen = os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen)
    home = Path.home()
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "pcbudget" / "pcbudget"


@dataclass(frozen=True)
class Anchor:
    """The newest change-log row seen of one book: its id and hash, and when and where seen."""

    row: int
    hash: str
    at: str
    file: str


def _path(identity: str) -> Path:
    # The identity comes from the book, which may be anyone's: hashed, it is always a safe name.
    name = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40]
    return data_folder() / "anchors" / f"{name}.json"


def newest_row(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def holds_row(conn: sqlite3.Connection, digest: str) -> bool:
    """Whether the change log holds the row with hash `digest`: a return exported from this
    book at that row can be checked against it (a later state's cannot)."""
    row = conn.execute("SELECT 1 FROM change_log WHERE hash = ?", (digest,)).fetchone()
    return row is not None


def record(conn: sqlite3.Connection, file: Path) -> None:
    """Note the book's newest change-log row as seen now; a folder that cannot be written is
    passed over (the book itself is what matters)."""
    newest = newest_row(conn)
    if newest is None:
        return
    path = _path(book_identity(conn))
    doc = {
        "row": newest[0],
        "hash": newest[1],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": file.name,
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(temp, path)


def seen(conn: sqlite3.Connection) -> Anchor | None:
    """The newest row this computer has seen of the book, if any."""
    try:
        doc = json.loads(_path(book_identity(conn)).read_text(encoding="utf-8"))
        return Anchor(int(doc["row"]), str(doc["hash"]), str(doc["at"]), str(doc["file"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def chain_warning(conn: sqlite3.Connection) -> str | None:
    """Why the book's change log does not extend the one seen before, or None when it does."""
    anchor = seen(conn)
    if anchor is None:
        return None
    row = conn.execute("SELECT hash FROM change_log WHERE id = ?", (anchor.row,)).fetchone()
    if row is not None and row[0] == anchor.hash:
        return None
    return (
        f"the change log does not hold change {anchor.row} as this computer saw it on "
        f"{anchor.at[:16].replace('T', ' ')} (in {anchor.file}): the log was rewritten, or this "
        "is an older copy of the book, or a copy changed elsewhere since"
    )
