"""The By organisation grid of a PCN lists a practice that joins it after the first year
(after the PCN's own practices), as the PCN's figures count it from then."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book import open_book
from pcbudget.book.organisations import move_org
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session

from ..engine.test_moves import PRACTICES
from ..helpers import book_from_text


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
