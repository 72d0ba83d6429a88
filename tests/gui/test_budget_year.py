"""The budget year in the app: import a ledger, switch the grid to Actual, Forecast and
Variance, and read a line's months, chart and variance ranking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.style import OVERSPEND, UNDERSPEND

from .test_budget_window import row_of


def _ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(
        "year,period,org,line,amount\n"
        "2019/20,M1,LC,premises,900000\n2019/20,M2,LC,premises,900000\n"
        "2019/20,M1,WL,premises,100000\n2019/20,M2,WL,premises,100000\n",
        encoding="utf-8",
    )
    return path


def test_import_then_switch_the_grid_between_views(window: MainWindow, tmp_path: Path) -> None:
    assert window.months.ask_import(str(_ledger(tmp_path)))
    assert "Imported 4 actuals" in window.months.status.text()
    window.navigator.select("LC")
    model, switch = window.budget_model, window.view_switch
    row = row_of(model, "premises")
    plan = model.pence(row, 0)
    switch.view.setCurrentText("Actual")
    assert model.index(row, 0).data() == "1,800,000"
    assert model.index(row, 1).data() == ""  # 2020/21 has no actuals: blank, not 0
    assert not model.editable(model.index(row, 0))
    switch.view.setCurrentText("Variance")
    variance = model.pence(row, 0)
    assert variance > 0  # £900k a month against a plan of about £562k a month
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == OVERSPEND
    assert model.index(row, 0).data().endswith("%") and "+" in model.index(row, 0).data()
    assert model.index(row, 1).data() == ""  # no actuals in 2020/21: no variance, not a 0
    assert "No actuals for 2020/21" in model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    switch.view.setCurrentText("Forecast")
    assert model.pence(row, 0) == plan + variance
    switch.view.setCurrentText("Plan")
    assert model.pence(row, 0) == plan and model.editable(model.index(row, 0))


def test_the_months_tab_shows_a_lines_months_and_ranks_by_variance(
    window: MainWindow, tmp_path: Path
) -> None:
    window.months.ask_import(str(_ledger(tmp_path)))
    window.navigator.select("LLR")
    window.tabs.setCurrentWidget(window.months)  # the tab reads the months when it shows
    months = window.months
    months.line.setCurrentIndex(months.line.findData("premises"))
    grid = months.grid
    assert grid.item(1, 0).text() == "1,000,000"  # LC £900k + WL £100k in M1
    assert grid.item(1, 2).text() == ""  # M3 not closed yet
    ranking = [months.ranking.item(r, 0).text() for r in range(months.ranking.rowCount())]
    assert ranking[0] == "LC" and ranking[-1] == "WL"  # most over plan first
    assert months.ranking.item(2, 3).background().color() == UNDERSPEND
    assert len(months.chart_slot.chart.listDataItems()) == 3  # plan, forecast, actual


def test_a_pasted_month_profile_reshapes_the_plan(window: MainWindow) -> None:
    window.navigator.select("LC")
    window.tabs.setCurrentWidget(window.months)
    months = window.months
    months.line.setCurrentIndex(months.line.findData("premises"))
    assert months.profile.text() == "even"
    months.profile.setText("\t".join(["1"] * 11 + ["2"]))  # a row pasted from Excel
    assert months.apply_profile()
    plan = [months.grid.item(0, m).text() for m in range(13)]
    assert plan[11] != plan[0]  # March carries twice a month's share
    assert plan[12] == window.budget_model.index(row_of(window.budget_model, "premises"), 0).data()
    assert window.session.undo() and months.profile.text() == "even"
