"""Application shortcuts work from the budget grid (even mid-edit) and never type into a cell;
the grid's own keys (Delete, Ctrl+R, Ctrl+C, Ctrl+V) act only where the grid has focus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog

from pcbudget.book import open_book
from pcbudget.gui.app import App
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.return_dialogs import ExportDialog
from pcbudget.gui.session import Session

from .test_amount_units import click
from .test_budget_window import row_of, shown

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def app_window(qtbot, sample_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A window with the application's File actions (Open, New), as `pcbudget open` makes it."""
    win = MainWindow(Session(open_book(sample_path)), App())
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    win.close()


def press(qtbot, key: Qt.Key, modifiers=CTRL) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


@pytest.mark.parametrize("menu_bar", ["in the window", "global (not in the window)"])
def test_shortcuts_work_from_a_selected_cell_and_type_nothing(
    qtbot, app_window: MainWindow, monkeypatch, menu_bar: str
) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def dialog(_parent, title, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        asked.append(title)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(dialog))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    # Export first asks which scenario; answered with the one in view.
    monkeypatch.setattr(ExportDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    window, grid = app_window, app_window.grid
    if menu_bar.startswith("global"):
        # A desktop with a global menu bar (or macOS) takes the menus out of the window, and
        # with them every shortcut that lived only in a menu.
        window.menuBar().setVisible(False)
    window.navigator.select("ELR")
    model = window.budget_model
    row = row_of(model, "core_contract")
    before, depth = shown(model, row, 1), window.undo_view.history.position
    for key, title in ((Qt.Key.Key_O, "Open a budget book"), (Qt.Key.Key_E, "Export return")):
        click(qtbot, window, row, 1)
        press(qtbot, key)
        assert asked[-1] == title
        assert grid.state() != grid.State.EditingState  # the shortcut opened no editor
    # Mid-edit too: the shortcut runs and the key does not land in the cell.
    click(qtbot, window, row, 1)
    qtbot.keyClicks(grid, "7")
    editor = QApplication.focusWidget()
    assert grid.isAncestorOf(editor)
    press(qtbot, Qt.Key.Key_O)
    assert asked[-1] == "Open a budget book" and len(asked) == 3
    assert editor.text() == "7"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert shown(model, row, 1) == before
    # Ctrl+F finds an organisation: the filter box takes the typing, not the cell.
    click(qtbot, window, row, 1)
    press(qtbot, Qt.Key.Key_F)
    assert QApplication.focusWidget() is window.navigator.filter
    qtbot.keyClicks(window.navigator.filter, "WL")
    assert window.navigator.filter.text() == "WL"
    assert window.undo_view.history.position == depth  # nothing was typed into a cell
    # Ctrl+2 switches to £k from the grid.
    click(qtbot, window, row, 1)
    press(qtbot, Qt.Key.Key_2)
    assert window.session.unit == "£k" and grid.state() != grid.State.EditingState


def test_the_grids_keys_do_not_fire_from_other_tabs(
    qtbot, app_window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = app_window
    window.navigator.select("LC")
    model = window.budget_model
    row = row_of(model, "pcn_participation")
    assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == "overridden"
    click(qtbot, window, row, 0)  # the budget grid's current cell is an override
    asked: list[str] = []
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: (asked.append(a[1]), ("", False))[1])
    )
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.population_view.parentWidget()))
    view = window.population_view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.keyClick(view, Qt.Key.Key_R, CTRL)
    # The hidden budget cell kept its override; no fill dialog asked for a growth.
    assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == "overridden"
    assert asked == []
    # In the budget grid they still work, and the Edit menu shows the keys.
    window.tabs.setCurrentIndex(0)
    click(qtbot, window, row, 0)
    press(qtbot, Qt.Key.Key_R)
    assert asked == ["Fill right"]
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == "calculated"
    assert window.grid.copy_action.shortcut().toString() == "Ctrl+C"
    assert window.grid.paste_action.shortcut().toString() == "Ctrl+V"


def test_edit_menu_copy_and_paste(qtbot, app_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window = app_window
    window.navigator.select("ELR")
    model = window.budget_model
    row = row_of(model, "core_contract")
    click(qtbot, window, row, 0)
    window.grid.copy_action.trigger()
    click(qtbot, window, row, 1)
    window.grid.paste_action.trigger()  # as Edit > Paste does
    assert shown(model, row, 1) == shown(model, row, 0)
