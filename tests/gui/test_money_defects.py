"""Figures the grids write and show follow the book's one money rule and the chosen scenario."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from PySide6.QtCore import Qt

from pcbudget.book.edits import set_rate
from pcbudget.book.scenarios import create_scenario
from pcbudget.engine.summary import summary_rows
from pcbudget.gui.main_window import MainWindow

from .test_budget_window import row_of


def test_fill_right_grows_half_up_as_the_engine_does(window: MainWindow) -> None:
    window.navigator.select("WL")
    model, grid = window.budget_model, window.grid
    row = row_of(model, "premises")
    assert model.setData(model.index(row, 0), "0.15", Qt.ItemDataRole.EditRole)
    grid.setCurrentIndex(model.index(row, 0))
    assert grid.fill_right(Decimal("0.10"))
    assert model.pence(row, 1) == 17  # 16.5p rounds up, as the uplift engine gives; not 16p


def _rate_cell(window: MainWindow, line: str, year: int, months: bool) -> object:
    rates = window.rate_model
    r = next(
        i for i, li in enumerate(rates.rows) if window.session.structure.lines[li].code == line
    )
    return rates.index(r, 2 * year + (1 if months else 0))


def test_editing_months_keeps_the_rate_as_entered(window: MainWindow) -> None:
    s = window.session
    assert s.run("rate", lambda: set_rate(s.book, "pcn_participation", "2020/21", "12.345678", 12))
    months = _rate_cell(window, "pcn_participation", 1, months=True)
    assert window.rate_model.setData(months, "9", Qt.ItemDataRole.EditRole)
    rate = _rate_cell(window, "pcn_participation", 1, months=False)
    assert rate.data() == "12.345678"  # not 12.3457 through a short float format
    assert months.data() == "9"


def test_a_rate_tooltip_names_this_scenarios_source(window: MainWindow) -> None:
    s = window.session
    create_scenario(s.book, "Other")
    set_rate(s.book, "pcn_participation", "2020/21", "2", 12, scenario="Other", source="other's")
    s.set_scenario("baseline")
    tip = _rate_cell(window, "pcn_participation", 1, months=False).data(Qt.ItemDataRole.ToolTipRole)
    assert "other's" not in tip and "Source:" in tip


def test_a_row_held_by_a_caller_does_not_change_after_an_edit(window: MainWindow) -> None:
    s = window.session
    before = summary_rows(s.model.results, 0)
    kept = [r.pence.copy() for r in before]
    window.navigator.select("WL")
    model = window.budget_model
    assert model.setData(model.index(row_of(model, "premises"), 0), "1m", Qt.ItemDataRole.EditRole)
    assert all(np.array_equal(r.pence, k) for r, k in zip(before, kept, strict=True))
