"""Small windows: at 1366x740 every year and the five-year total show beside the chart; the chart
can be hidden (the grid takes its room) and closed panels come back from the View menu.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget

from pcbudget.gui.main_window import MainWindow


def fully_shown_columns(window: MainWindow) -> list[int]:
    grid = window.grid
    width = grid.viewport().width()
    return [
        c
        for c in range(grid.model().columnCount())
        if not grid.isColumnHidden(c)
        and grid.columnViewportPosition(c) >= 0
        and grid.columnViewportPosition(c) + grid.columnWidth(c) <= width
    ]


def view_action(window: MainWindow, text: str) -> QAction:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a for a in menu.actions() if a.text() == text)


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()
    qtbot.wait(10)


def test_a_laptop_window_shows_every_year_and_the_total(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.resize(1366, 740)
    settle(qtbot)
    assert window.chart.isVisible() and window.chart.width() > 0
    assert fully_shown_columns(window) == [0, 1, 2, 3, 4, 5]
    header = window.budget_model.headerData
    assert header(5, window.grid.horizontalHeader().orientation()) == "5-year total"


def test_the_chart_can_be_hidden_and_brought_back(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.resize(1000, 600)
    settle(qtbot)
    before = window.grid.width()
    chart = view_action(window, "Chart beside the Budget")
    chart.trigger()
    settle(qtbot)
    assert not window.chart.isVisible()
    assert window.grid.width() > before  # the grid took the chart's room
    assert fully_shown_columns(window)[:4] == [0, 1, 2, 3]
    chart.trigger()
    settle(qtbot)
    assert window.chart.isVisible() and window.chart.width() > 0
    # Dragging the divider shut unticks it; ticking brings the chart back.
    split = window.budget_split
    split.moveSplitter(split.width(), 1)
    settle(qtbot)
    assert split.sizes()[1] == 0 and not chart.isChecked()
    chart.trigger()
    settle(qtbot)
    assert split.sizes()[1] > 0 and window.chart.isVisible()


def test_closed_panels_come_back_from_the_view_menu(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    for dock in window.findChildren(QDockWidget):
        dock.close()  # the panel's own close button
        settle(qtbot)
        assert not dock.isVisible()
        view_action(window, f"{dock.windowTitle()} Panel").trigger()
        settle(qtbot)
        assert dock.isVisible()


def test_a_small_window_still_shows_figures(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.resize(800, 500)
    settle(qtbot)
    assert window.width() == 800  # no tab or hint forces a wider window than the screen
    assert fully_shown_columns(window)[:1] == [0]
    view_action(window, "Chart beside the Budget").trigger()
    settle(qtbot)
    assert fully_shown_columns(window)[:3] == [0, 1, 2]
