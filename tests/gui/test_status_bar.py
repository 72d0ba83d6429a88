"""The status bar: a refusal never runs into the book's path, a successful paste replaces a stale
refusal, and a ragged paste is refused naming the row.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QKeySequence

from pcbudget.gui.main_window import MainWindow

from .test_amount_units import click
from .test_budget_window import row_of, shown, type_into


def paste(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setText(text)
    qtbot.keySequence(window.grid, QKeySequence.StandardKey.Paste)


def test_a_refusal_is_apart_from_the_path_and_a_later_paste_clears_it(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    window.resize(1100, 700)
    window.navigator.select("ELR")
    model = window.budget_model
    row = row_of(model, "core_contract")
    click(qtbot, window, row, 1)
    paste(qtbot, window, "1000\tabc\r\n")
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Nothing was pasted: Core Contract, 2021/22: 'abc'")
    message, path = bar.message_label, window.path_label
    qtbot.waitUntil(lambda: message.width() > 0)
    # Two widgets side by side, the message ending before the path starts...
    left_of_path = path.mapTo(window, path.rect().topLeft()).x()
    assert message.mapTo(window, message.rect().topRight()).x() < left_of_path
    # ...and what the message label shows fits in it, ending in '…' when cut.
    assert message.fontMetrics().horizontalAdvance(message.text()) <= message.contentsRect().width()
    assert message.text().endswith("…") and message.toolTip() == bar.currentMessage()
    assert path.text() == str(window.session.book.path)
    # A successful paste replaces the stale refusal.
    paste(qtbot, window, "1000\t2000\r\n")
    assert [shown(model, row, c) for c in (1, 2)] == ["1,000", "2,000"]
    assert "Nothing was pasted" not in bar.currentMessage()
    assert bar.currentMessage().startswith("Pasted 2 cell(s)")
    # So does a value typed after a refused one.
    type_into(qtbot, window, row, 3, "lots")
    assert "'lots'" in bar.currentMessage()
    type_into(qtbot, window, row, 3, "3000")
    assert shown(model, row, 3) == "3,000" and "'lots'" not in bar.currentMessage()


def test_a_ragged_paste_is_refused_naming_the_row(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("ELR")
    model = window.budget_model
    row = row_of(model, "core_contract")
    before = window.session.model.results.rolled.copy()
    depth = window.undo_view.history.position
    click(qtbot, window, row, 0)
    paste(qtbot, window, "1\t2\t3\r\n4\r\n5\t6\r\n")
    message = window.statusBar().currentMessage()
    assert message.startswith("Nothing was pasted: row 2 of the pasted block has 1 cell(s)")
    assert "row 1 has 3" in message
    assert window.undo_view.history.position == depth
    assert (window.session.model.results.rolled == before).all()
