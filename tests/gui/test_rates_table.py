"""The Rates tab shows the same sourced table as `pcbudget rates`, beside the grid to edit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from pcbudget.book import open_book
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session
from pcbudget.gui.style import ASSUMED_TINT

from ..test_cli import run
from .test_assumed_rates import _book


def _shown(panel) -> list[list[str]]:  # type: ignore[no-untyped-def]
    model = panel.table_model
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
        if not panel.table.isRowHidden(r)
    ]


def test_the_rates_table_is_the_clis_with_sources(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _book(tmp_path)
    _, out, _ = run("rates", path, "--format", "csv")
    cli = [line.split(",")[:2] for line in out.splitlines()[1:]]
    window = MainWindow(Session(open_book(path)))
    qtbot.addWidget(window)
    window.tabs.setCurrentWidget(window.rates)
    window.rates.pages.setCurrentIndex(1)
    panel = window.rates
    model = panel.table_model
    assert model.rowCount() == len(cli)  # one row per line and year, as the CLI prints
    codes = [[r.line, r.year] for r in model.rows]
    assert codes == cli
    panel.filter.setText("arrs 2027/28")
    rows = _shown(panel)
    assert [r[:2] for r in rows] == [["PCN Additional Roles (ARRS)", "2027/28"]]
    arrs = rows[0]
    assert arrs[7] == "assumed" and "2026/27" in arrs[8]  # carried forward, and says from where
    r = next(i for i, row in enumerate(model.rows) if row.line == "arrs" and row.year == "2027/28")
    assert model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) == ASSUMED_TINT
    # A rate typed on the By year page shows in the table with its source at once.
    grid = window.rate_model
    row = next(
        i for i, li in enumerate(grid.rows) if window.session.structure.lines[li].code == "arrs"
    )
    assert grid.setData(grid.index(row, 4), "28.00")  # 2027/28 £ rate
    panel.filter.setText("arrs 2027/28")
    arrs = _shown(panel)[0]
    assert (arrs[3], arrs[5], arrs[8], arrs[7]) == (  # rate, per unit, source, confidence
        "28.00",
        "28.0000",
        "entered in pcbudget",
        "entered",
    )
    window.close()
