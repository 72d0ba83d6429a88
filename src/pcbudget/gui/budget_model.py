"""The budget grid's model: an organisation's lines, section totals, allocation and headroom
by year, read from the engine's results; edits become undoable book changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from ..book import BookError
from ..book.edits import set_amounts
from ..book.money import format_money
from ..engine.cell_status import CALCULATED, NOT_HELD, OVERRIDDEN
from ..engine.explain import STATUS_WORDS, explain_cell, rate_caveat
from ..engine.gaps import cell_gap
from ..engine.months import view_rows
from ..engine.summary import SummaryRow, summary_rows
from ..io.budget_year import all_year_months
from .grid_model import Index
from .session import Session
from .style import (
    ASSUMED_TINT,
    HEADROOM_SHORT,
    NEGATIVE,
    OVERSPEND,
    SCENARIO_TINT,
    STATUS_TINT,
    TOTAL_TINT,
    UNDERSPEND,
    bold,
)
from .year_grid import YearGridModel


class BudgetModel(YearGridModel):
    """Rows: summary rows of the chosen organisation; columns: years and a total."""

    def __init__(self, session: Session, org_code: str | None = None) -> None:
        super().__init__(session)
        self.org = session.org_index(org_code) if org_code else 0
        self.rows: list[SummaryRow] = []
        #: 'plan' (editable), or 'actual', 'forecast', 'variance' (read-only, from actuals).
        self.view = "plan"
        self.month: int | None = None  # count actuals to this month (None: the latest)
        self._plan_rows: list[SummaryRow] = []
        self._actual_years: set[int] = set()
        self._line_index: dict[str, int] = {}
        self._status = np.zeros((0, 0), dtype=np.int8)
        self._stamp = 0  # bumped by every change to the book
        self._months_key: tuple[object, ...] | None = None
        self._months: dict = {}
        self._refresh()
        session.resultsChanged.connect(self._on_results)

    # -- reading the engine ------------------------------------------------------------
    def _rows(self) -> list[SummaryRow]:
        res = self.session.model.results
        if self.view == "plan":
            return summary_rows(res, self.org)
        months = self._year_months(res)
        self._actual_years = {y for y, ym in months.items() if ym.has_actuals}
        self._plan_rows = summary_rows(res, self.org)
        return view_rows(res, self.org, months, self.view)

    def _year_months(self, res: Any) -> dict:
        """The book's months for the month chosen, read once per state of the book: switching
        between Actual, Forecast and Variance reuses them (a national year is 2.3M cells)."""
        key = (self.month, self._stamp)
        if self._months_key != key:
            self._months = all_year_months(self.session.book, res, self.month)
            self._months_key = key
        return self._months

    def set_view(self, view: str, month: int | None = None) -> None:
        """Show the plan, actuals, forecast outturn or variance (forecast less plan)."""
        self.beginResetModel()
        self.view, self.month = view, month
        self._refresh()
        self.endResetModel()

    def _refresh(self, rows: list[SummaryRow] | None = None) -> None:
        res = self.session.model.results
        self.rows = self._rows() if rows is None else rows
        self._line_index = {ln.code: i for i, ln in enumerate(self.session.structure.lines)}
        self._status = res.status_at(self.org)

    def set_org(self, code: str) -> None:
        self.beginResetModel()
        self.org = self.session.org_index(code)
        self._refresh()
        self.endResetModel()

    def _on_results(self, change: object) -> None:
        self._stamp += 1  # the book changed: months are read again when next shown
        keys = [(r.section, r.line) for r in self.rows]
        if change is None:
            self.beginResetModel()
            self._refresh()
            self.endResetModel()
            return
        rows = self._rows()
        if keys != [(r.section, r.line) for r in rows]:
            self.beginResetModel()  # views are told before the rows they hold change under them
            self._refresh(rows)
            self.endResetModel()
        else:
            self._refresh(rows)
            self.all_changed()

    # -- Qt model --------------------------------------------------------------------------
    def trailing_header(self) -> str:
        return f"{len(self.years)}-year total"

    def row_header(self, section: int) -> str:
        row = self.rows[section]
        return ("    " + row.name) if row.kind == "line" else row.name

    def row_tooltip(self, section: int) -> str:
        return self.rows[section].name  # the whole name where the header cuts it short

    def pence(self, row: int, col: int) -> int:
        values = self.rows[row].pence
        return int(values.sum()) if col >= len(self.years) else int(values[col])

    def cell_status(self, row: int, col: int) -> int | None:
        """Engine status of a line cell at this organisation, or None for totals."""
        r = self.rows[row]
        if r.kind != "line" or col >= len(self.years):
            return None
        return int(self._status[self._line_index[r.line], col])

    def can_type(self, row: int, col: int) -> bool:
        if self.view != "plan":
            return False  # actuals come from imports; forecast and variance are worked out
        status = self.cell_status(row, col)
        return status is not None and status != NOT_HELD

    def cell(self, row: int, col: int, role: int) -> Any:
        r = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if self.no_actuals(col):
                return ""  # no actuals for the year yet: blank, never a silent 0
            if self.view == "plan" and self.cell_gap(row, col):
                return "no population"  # a figure that cannot be worked out says so, not 0
            text = self.money(self.pence(row, col))
            percent = self.variance_percent(row, col)
            return text if not percent else f"{text}  {percent:+.1f}%"
        if role == Qt.ItemDataRole.EditRole:
            return self.money_to_type(self.pence(row, col))
        if role == Qt.ItemDataRole.ForegroundRole:
            return NEGATIVE if self.pence(row, col) < 0 else None
        if role == Qt.ItemDataRole.FontRole:
            return bold() if r.kind != "line" else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.view == "variance" and r.kind in ("line", "section_total", "budget_type"):
                over = self.pence(row, col)
                return OVERSPEND if over > 0 else UNDERSPEND if over < 0 else None
            if r.kind == "headroom" and self.pence(row, col) < 0:
                return HEADROOM_SHORT
            status = self.cell_status(row, col)
            if status is None:
                return TOTAL_TINT
            if self.scenario_set(row, col):
                return SCENARIO_TINT
            if status in (CALCULATED, NOT_HELD) and self.rate_caveat(row, col):
                return ASSUMED_TINT
            return STATUS_TINT[status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.UserRole:
            status = self.cell_status(row, col)
            if status is None:
                return "total"
            return STATUS_WORDS[status] + (" in scenario" if self.scenario_set(row, col) else "")
        return None

    def no_actuals(self, col: int) -> bool:
        """An actual or variance cell of a year with no actuals yet: nothing to show."""
        return (
            self.view in ("actual", "variance")
            and col < len(self.years)
            and col not in self._actual_years
        )

    def cell_gap(self, row: int, col: int) -> str | None:
        """Why this organisation's own per-head cell cannot be worked out, if it cannot."""
        r = self.rows[row]
        if r.kind != "line":
            return None
        if col >= len(self.years):  # a row total over a year that cannot be worked out
            return next(filter(None, (self.cell_gap(row, y) for y in range(len(self.years)))), None)
        if self.cell_status(row, col) != CALCULATED:
            return None
        return cell_gap(self.session.model.results, self.org, self._line_index[r.line], col)

    def rate_caveat(self, row: int, col: int) -> str | None:
        """Why a per-head cell's rate is not confirmed (assumed, provisional...), if it is not."""
        r = self.rows[row]
        if r.kind != "line" or col >= len(self.years):
            return None
        return rate_caveat(self.session.model.results, self._line_index[r.line], col)

    def variance_percent(self, row: int, col: int) -> float | None:
        """In the variance view, the variance as a percentage of the plan (None: no plan)."""
        if self.view != "variance" or not self._plan_rows:
            return None
        base = self._plan_pence(row, col)
        return None if base == 0 else 100.0 * self.pence(row, col) / abs(base)

    def _plan_pence(self, row: int, col: int) -> int:
        """The plan's figure for a cell (or its row total) while another view is shown."""
        plan = self._plan_rows[row].pence
        return int(plan.sum()) if col >= len(self.years) else int(plan[col])

    def scenario_set(self, row: int, col: int) -> bool:
        """Whether the active scenario (not the baseline) sets this cell."""
        r = self.rows[row]
        if r.kind != "line" or col >= len(self.years):
            return False
        snap = self.session.model.snapshot
        return bool(snap.scenario_set[self.org, self._line_index[r.line], col])

    def _tooltip(self, row: int, col: int) -> str:
        r = self.rows[row]
        if self.no_actuals(col):
            return (
                f"No actuals for {self.years[col]} yet: its forecast is the plan, so there is no "
                "variance to show."
            )
        if self.view != "plan" and self._plan_rows:
            base = self._plan_pence(row, col)
            words = {
                "actual": "Actual to date (imported)",
                "forecast": "Forecast outturn: actuals to date, then the plan or run rate",
                "variance": "Variance: forecast (or actual) less plan; red over, green under",
            }[self.view]
            return f"{words}: £{format_money(self.pence(row, col))}\nPlan: £{format_money(base)}"
        if r.kind != "line" or col >= len(self.years):
            what = {
                "section_total": "Section total",
                "budget_type": "Total of the budget type",
                "allocation": "Allocation",
                "headroom": "Headroom: the allocation less committed spend (every line of the"
                " type but the balancing Reserve/QIPP)",
                "total": "Total of every line",
            }.get(r.kind, "Total")
            return f"{what}: £{format_money(self.pence(row, col))}\nTotals are never typed."
        text = explain_cell(self.session.model.results, self.org, self._line_index[r.line], col)
        gap = self.cell_gap(row, col)
        if gap:
            text = gap + "\n" + text
        if self.scenario_set(row, col):
            text = (
                f"Set in scenario '{self.session.scenario}' (the baseline is unchanged).\n" + text
            )
        return text

    def type_into(self, index: Index, text: str) -> bool:
        if not self.editable(index):
            return False
        try:
            pence = self.typed_money(text)
        except BookError as exc:
            return self.refuse(index, str(exc))
        return self.set_cells([(index.row(), index.column(), pence)], "Edit")

    # -- edits -----------------------------------------------------------------------------
    def target(self, row: int, col: int) -> tuple[str, str, str]:
        org = self.session.structure.orgs[self.org].code
        return org, self.rows[row].line, self.years[col]

    def set_cells(self, cells: list[tuple[int, int, int | None]], verb: str) -> bool:
        """Enter values (None reverts to calculated) as one undoable change."""
        edits = [(*self.target(r, c), p) for r, c, p in cells]
        if len(edits) == 1:
            year = edits[0][2]
            text = f"{verb} {self.rows[cells[0][0]].name} {year}"
        else:
            text = f"{verb} {len(edits)} cells"
        scenario = self.session.scenario
        return self.session.run(
            text,
            lambda: set_amounts(
                self.session.book, edits, scenario=scenario, structure=self.session.structure
            ),
        )

    def overridden(self, row: int, col: int) -> bool:
        return self.cell_status(row, col) == OVERRIDDEN
