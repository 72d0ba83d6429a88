"""The left-shift parameter grids edit as the budget grid does: type, Tab right, Enter down."""

from __future__ import annotations

from PySide6.QtCore import Qt, QtMsgType
from PySide6.QtWidgets import QApplication, QTableView

from pcbudget.book import open_book
from pcbudget.engine import Model
from pcbudget.gui.main_window import MainWindow


def click(qtbot, view: QTableView, row: int, col: int) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, col)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def type_then(qtbot, view: QTableView, text: str, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Type as a user does, to whatever has focus (the first key opens the cell's editor unless
    Tab already opened it), and leave the cell with `key`."""
    assert view.hasFocus() or view.isAncestorOf(QApplication.focusWidget())
    for ch in text:
        qtbot.keyClicks(QApplication.focusWidget(), ch)
    qtbot.keyClick(QApplication.focusWidget(), key)
    QApplication.processEvents()


def test_tab_and_enter_move_on_after_an_edit(qtbot, qtlog, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.scenario_actions.new("Keys")
    window.tabs.setCurrentWidget(window.leftshift)
    view, pods = window.leftshift.pod_view, window.leftshift.pod_model
    row = pods.rows.index("op_follow_up")  # not yet named in this scenario
    click(qtbot, view, row, 0)
    type_then(qtbot, view, "300000", Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (row, 1)
    type_then(qtbot, view, "2%", Qt.Key.Key_Tab)
    type_then(qtbot, view, "160", Qt.Key.Key_Tab)
    type_then(qtbot, view, "50%", Qt.Key.Key_Tab)
    type_then(qtbot, view, "40%", Qt.Key.Key_Return)
    params = window.leftshift.params
    assert params["op_follow_up.baseline"] == "300000"
    assert params["op_follow_up.demand_growth"] == "0.02"
    assert params["op_follow_up.acute_unit_cost"] == "160"
    assert params["op_follow_up.marginal_share"] == "0.5"
    assert params["op_follow_up.reduction"] == "0.4"  # the 40% landed in its own column
    assert pods.rows[row] == "op_follow_up"  # the row stayed where it was typed
    shown = [pods.index(row, c).data() for c in range(5)]
    assert shown == ["300,000", "2%", "£160.00", "50%", "40%"]
    assert (view.currentIndex().row(), view.currentIndex().column()) == (row + 1, 4)  # Enter: down
    assert view.state() != QTableView.State.EditingState
    # The year grid too: Tab moves right along phasing.
    years = window.leftshift.year_view
    click(qtbot, years, 0, 0)
    type_then(qtbot, years, "10%", Qt.Key.Key_Tab)
    type_then(qtbot, years, "20%", Qt.Key.Key_Return)
    assert window.leftshift.params["phasing.2019/20"] == "0.1"
    assert window.leftshift.params["phasing.2020/21"] == "0.2"
    assert [r.message for r in qtlog.records if "does not belong" in r.message] == []
    ignored = ("propagateSizeHints", "does not support raise")
    warnings = [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
        and not any(text in r.message for text in ignored)
    ]
    assert warnings == []


def test_closing_with_a_cell_being_edited_keeps_the_edit(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.scenario_actions.new("Close")
    window.tabs.setCurrentWidget(window.leftshift)
    view = window.leftshift.year_view
    click(qtbot, view, 0, 0)
    type_then(qtbot, view, "10%", Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "30%")  # Tab opened the next cell's editor
    path = window.session.book.path
    window.close()
    book = open_book(path)
    try:
        params = Model(book, "Close").snapshot.leftshift[0]
        assert (params["phasing.2019/20"], params["phasing.2020/21"]) == ("0.1", "0.3")
    finally:
        book.close()
