"""Closing a book's window gives its memory back: nothing keeps the closed book's session and
models alive (a national book's are hundreds of megabytes)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent

from pcbudget.book import open_book
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session


def test_a_closed_window_is_collected(qtbot, sample_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(open_book(sample_path)))
    win.show()
    qtbot.waitExposed(win)
    session = weakref.ref(win.session)
    win.close()
    win.deleteLater()
    del win
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert session() is None  # the closed book's session (and all it held) is gone
