"""The Qt binding must not drop references to None.

PySide6 6.12.0 does (QStandardItem.setData, appendRow, pyqtgraph paths): on Python 3.11, where
None is not immortal, a long session then aborts with "deallocating None". pyproject.toml keeps
PySide6 below 6.12; this test fails if an installed binding has the fault again.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from pcbudget.gui.main_window import MainWindow


def test_standard_items_keep_references_to_none() -> None:
    model = QStandardItemModel()
    gc.collect()
    before = sys.getrefcount(None)
    for i in range(500):
        item = QStandardItem(f"org {i}")
        item.setData(f"code {i}", Qt.ItemDataRole.UserRole + 1)
        model.appendRow(item)
    assert sys.getrefcount(None) >= before


def test_using_the_window_keeps_references_to_none(window: MainWindow) -> None:
    gc.collect()
    before = sys.getrefcount(None)
    for code in ("LC", "ELR", "WL", "LLR"):
        window.navigator.select(code)
        for tab in range(window.tabs.count()):
            window.tabs.setCurrentIndex(tab)
            window.grab()
    window.chart.view.setCurrentIndex(1)
    window.chart.view.setCurrentIndex(0)
    assert sys.getrefcount(None) >= before - 20
