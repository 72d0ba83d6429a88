"""The By organisation grid of a PCN lists every practice ever under it (one that joins after
the first year after the PCN's own), and shows each practice's figure only in the years it is
under the PCN: a year it has moved away, not yet joined or closed shows '-', says where it is,
takes no typing and is left out of its total, so each year's column adds up to the PCN's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QToolTip

from pcbudget.book import open_book
from pcbudget.book.org_moves import close_org, move_from
from pcbudget.book.organisations import move_org
from pcbudget.gui.line_grid import LineByOrgModel
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session

from ..engine.test_moves import PRACTICES
from ..helpers import book_from_text

#: P1 has a third practice, X3, that stays put.
THREE = PRACTICES.replace(
    "org X2 practice P1\n", "org X2 practice P1\norg X3 practice P1\n"
).replace("pop Y1 weighted", "pop X3 weighted 2024/25 500\npop Y1 weighted")
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _window(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(Session(open_book(path)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentIndex(1)  # By organisation
    return window


@pytest.fixture
def moved(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """X2 moves from P1 to P2 from 2025/26; X1 closes from 2026/27; X3 stays in P1."""
    path = tmp_path / "b.pcbook"
    book = book_from_text(path, THREE)
    move_org(book, "X2", "P2", from_year="2025/26")
    close_org(book, "X1", "2026/27")
    book.close()
    window = _window(qtbot, path)
    yield window
    window.close()


def _shown(grid: LineByOrgModel) -> dict[str, list[str]]:
    return {
        grid.row_header(r).split()[0]: [grid.index(r, c).data() for c in range(grid.columnCount())]
        for r in range(grid.rowCount())
    }


def _rolled(window: MainWindow, code: str) -> list[int]:
    model, s = window.session.model, window.session.structure
    o, line = model.snapshot.org_index[s.org(code).id], model.snapshot.line_index[s.line("gms").id]
    return model.results.rolled[o, line].tolist()


def test_the_line_grid_lists_a_practice_that_joins_later(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.pcbook"
    book = book_from_text(path, PRACTICES)
    move_org(book, "X2", "P2", from_year="2026/27")
    book.close()
    window = MainWindow(Session(open_book(path)))
    qtbot.addWidget(window)
    grid = window.line_model
    grid.set_scope("P2", "gms")
    assert [grid.row_header(r).split()[0] for r in range(grid.rowCount())] == ["Y1", "X2"]
    grid.set_scope("P1", "gms")
    assert [grid.row_header(r).split()[0] for r in range(grid.rowCount())] == ["X1", "X2"]
    window.close()


def test_a_year_a_practice_is_not_under_the_pcn_shows_a_dash_and_its_total_leaves_it_out(
    moved: MainWindow,
) -> None:
    grid = moved.line_model
    grid.set_scope("P1", "gms")
    # weighted list x £100 a head: X1 1,000, X2 2,000, X3 500
    assert _shown(grid) == {
        "X1": ["100,000", "100,000", "-", "200,000"],
        "X2": ["200,000", "-", "-", "200,000"],
        "X3": ["50,000", "50,000", "50,000", "150,000"],
    }
    grid.set_scope("P2", "gms")
    assert _shown(grid) == {
        "Y1": ["400,000", "400,000", "400,000", "1,200,000"],
        "X2": ["-", "200,000", "200,000", "400,000"],
    }


def test_each_shown_years_column_adds_up_to_the_pcns_figure(moved: MainWindow) -> None:
    grid, years = moved.line_model, moved.session.structure.years
    for code in ("P1", "P2", "ICB"):
        grid.set_scope(code, "gms")
        rows = [r for r in range(grid.rowCount()) if grid.row_header(r).split()[0][0] in "XY"]
        sums = [sum(grid.pence(r, c) for r in rows) for c in range(len(years))]
        assert sums == _rolled(moved, code), code
        for r in rows:  # each total is the sum of the years shown
            assert grid.pence(r, len(years)) == sum(grid.pence(r, c) for c in range(len(years)))


def test_a_dash_says_where_the_practice_is_that_year(moved: MainWindow) -> None:
    grid, view = moved.line_model, moved.line_view
    grid.set_scope("P1", "gms")
    row = {grid.row_header(r).split()[0]: r for r in range(grid.rowCount())}
    assert grid.index(row["X2"], 1).data(TOOLTIP) == (
        "Under P2  P2 in 2025/26, not P1: counted there"
    )
    assert grid.index(row["X1"], 2).data(TOOLTIP) == "Closed in 2026/27: no figure"
    assert grid.index(row["X1"], 3).data(TOOLTIP) == (
        "Total of 2024/25, 2025/26: the years X1 is under P1"
    )
    assert "£" in grid.index(row["X1"], 0).data(TOOLTIP)  # a year it is here explains itself
    grid.set_scope("P2", "gms")
    x2 = next(r for r in range(grid.rowCount()) if grid.row_header(r).startswith("X2"))
    assert grid.index(x2, 0).data(TOOLTIP) == "Under P1  P1 in 2024/25, not P2: counted there"
    # as the user sees it: hovering the cell
    centre = view.visualRect(grid.index(x2, 0)).center()
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre)),
    )
    assert QToolTip.text() == "Under P1  P1 in 2024/25, not P2: counted there"


def test_typing_into_a_dash_is_refused(qtbot, moved: MainWindow) -> None:  # type: ignore[no-untyped-def]
    grid, view = moved.line_model, moved.line_view
    grid.set_scope("P2", "gms")
    x2 = next(r for r in range(grid.rowCount()) if grid.row_header(r).startswith("X2"))
    dash, figure = grid.index(x2, 0), grid.index(x2, 1)
    assert not grid.flags(dash) & Qt.ItemFlag.ItemIsEditable
    assert grid.flags(figure) & Qt.ItemFlag.ItemIsEditable  # a year it is under P2
    centre = view.visualRect(dash).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.keyClicks(view, "99")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.state() != QAbstractItemView.State.EditingState
    assert not grid.setData(dash, "1234")
    assert dash.data() == "-" and grid.index(x2, 3).data() == "400,000"
    assert _rolled(moved, "P1")[0] == 350_000_00  # X1, X2 and X3 in 2024/25, as before
    assert grid.setData(figure, "1234")  # its years under P2 still take typing
    assert figure.data() == "1,234" and grid.index(x2, 3).data() == "201,234"


def test_a_book_without_moves_shows_every_year(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.pcbook"
    book_from_text(path, THREE).close()
    window = _window(qtbot, path)
    grid = window.line_model
    grid.set_scope("P1", "gms")
    assert grid.away == {} and grid.counted is None  # nothing to leave out
    assert "-" not in {v for row in _shown(grid).values() for v in row}
    assert all(
        grid.flags(grid.index(r, c)) & Qt.ItemFlag.ItemIsEditable
        for r in range(grid.rowCount())
        for c in range(3)
    )
    window.close()


def test_the_grid_with_dashes_passes_qt_model_checks(qtmodeltester, moved: MainWindow) -> None:  # type: ignore[no-untyped-def]
    moved.line_model.set_scope("P1", "gms")
    qtmodeltester.check(moved.line_model)


def test_the_dashes_look_as_qt_paints_them(moved: MainWindow) -> None:
    """The kept-rows view paints the dashes itself; the picture is Qt's own table's."""
    grid, view = moved.line_model, moved.line_view
    for code in ("P1", "P2"):
        grid.set_scope(code, "gms")
        view.as_qt = False
        own = view.grab().toImage()
        view.as_qt = True
        qt = view.grab().toImage()
        view.as_qt = False
        assert own == qt, code


def test_a_move_made_while_the_grid_shows_is_in_it_at_once(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, _book(tmp_path))
    grid = window.line_model
    window.navigator.select("P2")
    grid.set_scope(line_code="gms")
    assert list(_shown(grid)) == ["Y1"]
    window.session.run(
        "Move", lambda: move_from(window.session.book, "X2", "P2", "2025/26")
    )  # as the tree's Move... does, the grid not chosen again
    assert _shown(grid)["X2"][:3] == ["-", "200,000", "200,000"]
    assert grid.codes == ("P2", "gms")
    window.undo_action.trigger()
    assert list(_shown(grid)) == ["Y1"]
    window.close()


def _book(tmp_path: Path) -> Path:
    path = tmp_path / "w.pcbook"
    book_from_text(path, PRACTICES).close()
    return path
