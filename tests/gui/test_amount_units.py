"""Amounts follow the view's unit: in £k view `900` typed or pasted is £900k; Ctrl+C copies £k."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from pcbudget.gui.amounts import amount_text, parse_amount
from pcbudget.gui.main_window import MainWindow

from .test_budget_window import row_of, shown, type_into


def click(qtbot, window: MainWindow, row: int, col: int) -> None:  # type: ignore[no-untyped-def]
    grid = window.grid
    grid.scrollTo(grid.model().index(row, col))
    rect = grid.visualRect(grid.model().index(row, col))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_in_thousands_view_typing_900_enters_900k(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("ELR")
    model = window.budget_model
    row = row_of(model, "core_contract")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Amounts in £k
    assert window.session.unit == "£k"
    type_into(qtbot, window, row, 1, "900")
    assert shown(model, row, 1) == "900.0"
    assert model.pence(row, 1) == 900_000_00
    # An explicit scale still means what it says.
    type_into(qtbot, window, row, 2, "1.2m")
    assert shown(model, row, 2) == "1,200.0"
    # Back in £ the same cell reads in pounds, and 900 is then £900.
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert shown(model, row, 1) == "900,000"
    type_into(qtbot, window, row, 3, "900")
    assert shown(model, row, 3) == "900"


def test_in_thousands_view_copy_and_paste_are_in_thousands(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("ELR")
    model, grid = window.budget_model, window.grid
    row = row_of(model, "core_contract")
    window.unit_actions[1].trigger()
    exact = model.pence(row, 0)
    click(qtbot, window, row, 0)
    qtbot.keySequence(grid, QKeySequence.StandardKey.Copy)
    copied = QGuiApplication.clipboard().text().strip()
    assert copied == amount_text(exact, "£k")
    assert float(copied) * 1000 == exact / 100  # £k, exact to the penny
    QGuiApplication.clipboard().setText("1.5\t(2)\r\n")
    click(qtbot, window, row, 1)
    qtbot.keySequence(grid, QKeySequence.StandardKey.Paste)
    assert [shown(model, row, c) for c in (1, 2)] == ["1.5", "(2.0)"]
    assert [model.pence(row, c) for c in (1, 2)] == [1_500_00, -2_000_00]
    # What was copied in £k pastes back to the same pence.
    QGuiApplication.clipboard().setText(copied)
    click(qtbot, window, row, 3)
    qtbot.keySequence(grid, QKeySequence.StandardKey.Paste)
    assert model.pence(row, 3) == exact


def test_parse_amount_in_thousands() -> None:
    assert parse_amount("900", "£k") == 900_000_00
    assert parse_amount("(1,000.5)", "£k") == -1_000_500_00
    assert parse_amount("£1.2m", "£k") == 1_200_000_00
    assert parse_amount("250K", "£k") == 250_000_00
    assert parse_amount("900", "£") == 900_00
    assert amount_text(10_371_681_300, "£k") == "103716.813"
    assert amount_text(-50_000_000, "£k") == "-500"
