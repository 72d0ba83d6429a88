"""The undo list is the book's own history: it survives reopening, names each step, and a refused
undo leaves the list, the grid and the Undo action as they were.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pcbudget.book import open_book
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session

from .test_budget_window import row_of, shown, type_into


def _open(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(open_book(path)))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def test_undo_history_survives_closing_the_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win, sample_path = window, window.session.book.path
    win.navigator.select("LC")
    row = row_of(win.budget_model, "premises")
    before = shown(win.budget_model, row, 1)
    type_into(qtbot, win, row, 1, "1234567")
    assert "Premises" in win.undo_action.text()
    win.close()

    again = _open(qtbot, sample_path)
    history = again.undo_view.history
    labels = [history.data(history.index(r)) for r in range(history.rowCount())]
    assert any("Premises" in str(label) for label in labels)
    again.navigator.select("LC")
    assert shown(again.budget_model, row, 1) == "1,234,567"
    again.undo_action.trigger()
    assert shown(again.budget_model, row, 1) == before
    assert again.redo_action.isEnabled()
    again.close()


def test_a_refused_undo_changes_nothing_and_says_why(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    model = window.budget_model
    window.navigator.select("LC")
    row = row_of(model, "premises")
    type_into(qtbot, window, row, 1, "2000000")
    position = window.undo_view.history.position
    # Another program changes the same cell behind the app's back.
    conn = sqlite3.connect(window.session.book.path)
    conn.execute("UPDATE amounts SET pence = 1 WHERE pence = 200000000")
    conn.commit()
    conn.close()
    errors: list[str] = []
    window.session.errorRaised.connect(errors.append)
    window.undo_action.trigger()
    assert errors and "changed by something else" in errors[0]
    assert window.undo_view.history.position == position
    assert window.undo_action.isEnabled()


def test_clicking_a_row_of_the_list_goes_back_to_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    model = window.budget_model
    window.navigator.select("LC")
    row = row_of(model, "premises")
    start = window.undo_view.history.position
    first = shown(model, row, 1)
    for text in ("1000", "2000", "3000"):
        type_into(qtbot, window, row, 1, text)
    view = window.undo_view
    view.go_to(view.history.index(start))
    assert shown(model, row, 1) == first
    view.go_to(view.history.index(start + 2))
    assert shown(model, row, 1) == "2,000"
