"""Versions menu: mark a named version, compare one with now, or open one read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox

from ..book import BookError
from ..book.versions import list_versions, mark_version
from .session import Session

if TYPE_CHECKING:
    from .main_window import MainWindow


class VersionActions:
    """The Versions menu of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.windows: list[MainWindow] = []
        self.mark_action = QAction("Mark a Version…", window)
        self.mark_action.triggered.connect(self.mark_version)
        self.compare_action = QAction("Compare a Version with Now…", window)
        self.compare_action.triggered.connect(self.compare_version)
        self.open_action = QAction("Open a Version Read-only…", window)
        self.open_action.triggered.connect(self.open_version)

    def actions(self) -> list[QAction]:
        return [self.mark_action, self.compare_action, self.open_action]

    def mark_version(self) -> None:
        name, ok = QInputDialog.getText(self.window, "Mark a version", "Name (e.g. Board draft):")
        if ok and name:
            try:
                v = mark_version(self.window.session.book, name)
            except BookError as exc:
                QMessageBox.warning(self.window, "Mark a version", str(exc))
                return
            self.window.session.resultsChanged.emit(None)  # the log and the undo list show the mark
            self.window.statusBar().showMessage(f"Version '{v.name}' marked.", 8000)

    def _choose_version(self, title: str) -> str | None:
        names = [v.name for v in list_versions(self.window.session.book)]
        if not names:
            QMessageBox.information(
                self.window, title, "No version has been marked yet (Versions > Mark a Version)."
            )
            return None
        name, ok = QInputDialog.getItem(
            self.window, title, "Version:", names, len(names) - 1, False
        )
        return name if ok else None

    def _version_session(self, name: str) -> Session:
        import tempfile
        from pathlib import Path

        from ..book.versions import book_at_version

        folder = Path(tempfile.mkdtemp(prefix="pcbudget-version-"))
        book = book_at_version(
            self.window.session.book,
            name,
            folder / f"{self.window.session.book.path.stem} ({name}).pcbook",
        )
        return Session(book, self.window.session.scenario)

    def compare_version(self) -> None:
        from .dialogs import VersionDiffDialog, version_differences

        name = self._choose_version("Compare a version with now")
        if name:
            then = self._version_session(name)
            rows = version_differences(self.window.session, then, self.window.budget_model.org)
            then.close()
            VersionDiffDialog(name, rows, self.window).exec()

    def open_version(self) -> None:
        name = self._choose_version("Open a version read-only")
        if name:
            from .main_window import MainWindow

            window = MainWindow(self._version_session(name), self.window.app_actions)
            window.setWindowTitle(f"Version '{name}' [read-only] — pcbudget")
            window.show()
            self.windows.append(window)  # kept alive while this window lives
