"""An open window's objects are set aside from the cycle collector (a full collection walked
all 90,000 of a national book's, a stall mid-scroll); a closed window's are handed back, so
closing a book gives its memory back."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent

from pcbudget.book import open_book
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session


def test_an_open_window_is_set_aside_and_a_closed_one_collected(qtbot, sample_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(open_book(sample_path)))
    win.show()
    qtbot.waitExposed(win)
    assert gc.get_freeze_count() > 0  # its objects are skipped by collections while open
    session = weakref.ref(win.session)
    win.close()
    assert gc.get_freeze_count() == 0
    win.deleteLater()
    del win
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert session() is None  # the closed book's session (and all it held) is gone
