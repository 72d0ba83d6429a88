"""Where file dialogs start: the folder the user last chose a file in, else their Documents
folder (never the hidden app-data folder or the program's own folder).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

LAST_FOLDER = "files/last_folder"


def documents_folder() -> Path:
    """The user's Documents folder (their home folder if the system has none)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def start_folder() -> Path:
    """The last folder used (if it still exists), else Documents."""
    last = QSettings().value(LAST_FOLDER, "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember_folder(path: str | Path) -> None:
    QSettings().setValue(LAST_FOLDER, str(Path(path).resolve().parent))


def ask_open_file(parent: QWidget | None, title: str, filters: str) -> str:
    """A file to open, from the last folder used (or Documents); '' if cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filters)
    if path:
        remember_folder(path)
    return path


def ask_save_file(parent: QWidget | None, title: str, name: str, filters: str) -> str:
    """Where to save `name`, offered in the last folder used (or Documents); '' if cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / name), filters)
    if path:
        remember_folder(path)
    return path


def safe_file_name(text: str) -> str:
    """`text` with the characters Windows refuses in file names replaced, for a suggested name."""
    cleaned = "".join("-" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in text)
    return cleaned.strip(" .")[:80] or "return"
