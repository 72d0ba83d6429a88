"""Starting the app: QApplication, settings, the unexpected-error dialog, opening books.

Books open for writing unless someone else holds them; then read-only with their name. A
damaged or newer book is refused in a dialog with the core's one-line message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .. import __version__
from ..book import BookError, open_book
from ..book.anchor import chain_warning
from ..book.copies import write_copy
from ..book.lock import LockHolder
from ..io.resources import sample_book
from .dialogs import ErrorDialog, error_report
from .file_dialogs import ask_open_file, ask_save_file
from .main_window import MainWindow
from .session import Session

MAX_RECENT = 8


def working_sample() -> Path:
    """The user's own copy of the LLR sample (made on first use), so the shipped one stays clean;
    a copy the app makes, so with an identity of its own."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "LLR sample 2019-24.pcbook"
    if not copy.exists():
        write_copy(sample_book(), copy)
    return copy


def _as_list(value: object) -> list[str]:
    """QSettings gives a list, one string, or nothing, depending on the platform's format."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


class App:
    """Open windows and the actions that open more (File menu of every window)."""

    def __init__(self) -> None:
        self.windows: list[MainWindow] = []
        self.server: object | None = None
        #: Why the last `open` gave no window: the book went to your other pcbudget's window.
        self.handed_over: str | None = None

    def open_sample(self) -> MainWindow | None:
        return self.open(working_sample())

    def show_guide(self, parent: QWidget | None = None) -> None:
        from .help_dialogs import GuideDialog

        GuideDialog(parent).exec()

    def new_icb_book(self, parent: QWidget, opened: Any = None) -> object:
        """The New ICB Book dialog, then the build behind a progress bar (see new_book_dialog)."""
        from .new_book_dialog import ask_new_book

        return ask_new_book(self, parent, opened)

    def open(self, path: str | Path, parent: QWidget | None = None) -> MainWindow | None:
        """Open a book in a window; one already open here, or held by your other running
        pcbudget, is brought to the front where it is instead (None if that is elsewhere)."""
        from .single_instance import bring_forward

        self.handed_over = None
        window = self.window_for(path)
        if window is not None:
            bring_forward(window)
            return window
        try:
            book = open_book(path)
        except BookError as exc:
            QMessageBox.critical(parent, "Cannot open the book", str(exc))
            return None
        if book.held_by is not None and self._hand_to_holder(book.path, book.held_by):
            book.close()
            self.handed_over = (
                f"{book.path.name} is already open in your other pcbudget window: it was "
                "brought to the front."
            )
            if isinstance(parent, MainWindow):
                parent.statusBar().showMessage(self.handed_over, 10000)
            return None
        window = MainWindow(Session(book), self)
        if book.read_only and book.held_by is not None:
            QMessageBox.information(window, "Opened read-only", book.read_only_reason or "")
        rewritten = chain_warning(book.conn)
        if rewritten:  # warned, not refused: an older copy opened on purpose is a book too
            QMessageBox.warning(
                window,
                "Check this book",
                f"{book.path.name} is open, but {rewritten}. If you did not expect this, run "
                "pcbudget check on it.",
            )
        self._remember(book.path)
        self.windows.append(window)
        bring_forward(window)
        return window

    def window_for(self, path: str | Path) -> MainWindow | None:
        """The open window of this book, if it is open here (however its path is spelt)."""
        target = Path(path).resolve()
        self.windows = [w for w in self.windows if w.isVisible()]
        return next((w for w in self.windows if w.session.book.path.resolve() == target), None)

    def _hand_to_holder(self, path: Path, holder: LockHolder) -> bool:
        """Send a book your other running pcbudget holds to it, to show its window; False if
        the holder is someone else, or a pcbudget that does not listen (a command, say)."""
        from .single_instance import hand_over, server_name

        if not holder.is_mine() or holder.pid == os.getpid():
            return False
        name = server_name(QApplication.applicationName(), holder.pid)
        return hand_over(name, str(path.resolve()))

    def come_forward(self) -> None:
        """Bring this copy's newest window (or its start page) to the front."""
        from .single_instance import bring_forward
        from .start_page import StartPage

        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow | StartPage) and w.isVisible()
        ]
        newest = next((w for w in reversed(self.windows) if w in shown), None)
        if newest is not None or shown:
            bring_forward(newest or shown[-1])

    def _remember(self, path: Path) -> None:
        settings = QSettings()
        recent = [p for p in _as_list(settings.value("recent", [])) if p != str(path.resolve())]
        settings.setValue("recent", [str(path.resolve()), *recent][:MAX_RECENT])

    def recent(self) -> list[str]:
        return [p for p in _as_list(QSettings().value("recent", [])) if Path(p).exists()]

    def file_actions(self, window: QWidget) -> list[QAction | None]:
        new_sample = QAction("New from the LLR Sample…", window)
        new_sample.triggered.connect(lambda: self.new_from_sample(window))
        new_blank = QAction("New ICB Book…", window)
        new_blank.setShortcut(QKeySequence.StandardKey.New)
        new_blank.triggered.connect(lambda: self.new_icb_book(window))
        open_action = QAction("Open…", window)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(lambda: self.ask_open(window))
        actions: list[QAction | None] = [new_sample, new_blank, open_action]
        for path in self.recent():
            act = QAction(f"Open Recent: {Path(path).name}", window)
            act.setToolTip(path)
            act.triggered.connect(lambda _=False, p=path: self.open(p, window))
            actions.append(act)
        actions.append(None)
        return actions

    def ask_open(self, parent: QWidget) -> MainWindow | None:
        path = ask_open_file(parent, "Open a budget book", "Budget books (*.pcbook)")
        return self.open(path, parent) if path else None

    def new_from_sample(self, parent: QWidget) -> None:
        path = ask_save_file(
            parent, "New book from the LLR sample", "LLR.pcbook", "Budget books (*.pcbook)"
        )
        if path:
            try:
                write_copy(sample_book(), path)
            except BookError as exc:
                QMessageBox.warning(parent, "New from the LLR sample", str(exc))
                return
            self.open(path, parent)


def _excepthook(exc_type, exc, tb) -> None:
    report = error_report(exc_type, exc, tb)
    sys.stderr.write(report)
    if QApplication.instance() is not None:
        ErrorDialog(report).exec()


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("pcbudget")
    app.setApplicationName("pcbudget")
    app.setApplicationVersion(__version__)
    return app  # type: ignore[return-value]


def run(path: str | None, *, sample: bool = False, quit_after_ms: int | None = None) -> int:
    """Open the app on a book (or the user's copy of the sample) and run until it closes.

    With no book and no --sample, the start page. While another copy of the app is running,
    the book (or the sample) opens there instead, a launch with neither brings that copy to
    the front, and this launch ends.
    """
    import time

    from PySide6.QtCore import QTimer

    from .single_instance import COME_FORWARD, InstanceServer, hand_over, server_name

    qapp = application()
    name = server_name(qapp.applicationName())
    book = working_sample() if sample else Path(path) if path else None
    if hand_over(name, str(book.resolve()) if book else COME_FORWARD):
        if book:
            print(f"{book.name} opened in the pcbudget that is already running.")
        else:
            print("pcbudget is already running: its window was brought to the front.")
        return 0
    sys.excepthook = _excepthook
    app = App()
    app.server = InstanceServer(name, lambda p: app.open(p), app.come_forward)
    shown: object
    if book:
        shown = app.open(book)
    else:
        from .start_page import StartPage

        shown = StartPage(app)
        shown.show()
    if shown is None and app.handed_over:
        print(app.handed_over)
        return 0
    if shown is None:
        return 2
    if os.environ.get("PCBUDGET_REPORT_STARTUP"):
        QTimer.singleShot(0, lambda: print(f"usable at {time.time():.3f}", flush=True))
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, qapp.quit)
    return qapp.exec()


def main(argv: list[str]) -> int:
    """The bundled app's entry point: `pcbudget [BOOK] [--sample] [--quit-after MS]`."""
    import argparse

    parser = argparse.ArgumentParser(prog="pcbudget", description="pcbudget desktop app")
    parser.add_argument("book", nargs="?")
    parser.add_argument("--sample", action="store_true")
    parser.add_argument("--quit-after", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return run(args.book, sample=args.sample, quit_after_ms=args.quit_after)
