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
from ..engine.compute import NOT_HELD, OVERRIDDEN
from ..engine.explain import STATUS_WORDS, explain_cell
from ..engine.summary import SummaryRow, summary_rows
from .amounts import amount_text, parse_amount
from .grid_model import ALIGN_RIGHT, GridModel, Index
from .session import Session
from .style import HEADROOM_SHORT, NEGATIVE, SCENARIO_TINT, STATUS_TINT, TOTAL_TINT, bold


def format_amount(pence: int, unit: str) -> str:
    return format_money(pence, unit=unit, decimals=0 if unit == "£" else 1)


class BudgetModel(GridModel):
    """Rows: summary rows of the chosen organisation; columns: years and a total."""

    def __init__(self, session: Session, org_code: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.org = session.org_index(org_code) if org_code else 0
        self.rows: list[SummaryRow] = []
        self._line_index: dict[str, int] = {}
        self._status = np.zeros((0, 0), dtype=np.int8)
        self._refresh()
        session.resultsChanged.connect(self._on_results)
        session.unitChanged.connect(lambda _: self._emit_all())

    # -- reading the engine ------------------------------------------------------------
    def _refresh(self) -> None:
        res = self.session.model.results
        self.rows = summary_rows(res, self.org)
        self._line_index = {ln.code: i for i, ln in enumerate(self.session.structure.lines)}
        self._status = res.status_at(self.org)

    def set_org(self, code: str) -> None:
        self.beginResetModel()
        self.org = self.session.org_index(code)
        self._refresh()
        self.endResetModel()

    def _on_results(self, change: object) -> None:
        keys = [(r.section, r.line) for r in self.rows]
        if change is None:
            self.beginResetModel()
            self._refresh()
            self.endResetModel()
            return
        self._refresh()
        if keys != [(r.section, r.line) for r in self.rows]:
            self.beginResetModel()
            self.endResetModel()
        else:
            self._emit_all()

    def _emit_all(self) -> None:
        self.all_changed()

    @property
    def years(self) -> list[str]:
        return self.session.structure.years

    # -- Qt model --------------------------------------------------------------------------
    def column_count(self) -> int:
        return len(self.years) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Vertical
            and section < len(self.rows)
        ):
            return self.rows[section].name  # the whole name where the header cuts it short
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return (
                self.years[section]
                if section < len(self.years)
                else f"{len(self.years)}-year total"
            )
        row = self.rows[section]
        return ("    " + row.name) if row.kind == "line" else row.name

    def pence(self, row: int, col: int) -> int:
        values = self.rows[row].pence
        return int(values.sum()) if col >= len(self.years) else int(values[col])

    def cell_status(self, row: int, col: int) -> int | None:
        """Engine status of a line cell at this organisation, or None for totals."""
        r = self.rows[row]
        if r.kind != "line" or col >= len(self.years):
            return None
        return int(self._status[self._line_index[r.line], col])

    def editable(self, index: Index) -> bool:
        return self.is_editable(index)

    def is_editable(self, index: Index) -> bool:
        status = self.cell_status(index.row(), index.column())
        return status is not None and status != NOT_HELD and not self.session.read_only

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        r = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_amount(self.pence(row, col), self.session.unit)
        if role == Qt.ItemDataRole.EditRole:
            return amount_text(self.pence(row, col), self.session.unit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            return NEGATIVE if self.pence(row, col) < 0 else None
        if role == Qt.ItemDataRole.FontRole:
            return bold() if r.kind != "line" else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.kind == "headroom" and self.pence(row, col) < 0:
                return HEADROOM_SHORT
            status = self.cell_status(row, col)
            if status is None:
                return TOTAL_TINT
            return SCENARIO_TINT if self.scenario_set(row, col) else STATUS_TINT[status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.UserRole:
            status = self.cell_status(row, col)
            if status is None:
                return "total"
            return STATUS_WORDS[status] + (" in scenario" if self.scenario_set(row, col) else "")
        return None

    def scenario_set(self, row: int, col: int) -> bool:
        """Whether the active scenario (not the baseline) sets this cell."""
        r = self.rows[row]
        if r.kind != "line" or col >= len(self.years):
            return False
        snap = self.session.model.snapshot
        return bool(snap.scenario_set[self.org, self._line_index[r.line], col])

    def _tooltip(self, row: int, col: int) -> str:
        r = self.rows[row]
        if r.kind != "line" or col >= len(self.years):
            what = {
                "section_total": "Section total",
                "budget_type": "Total of the budget type",
                "allocation": "Allocation",
                "headroom": "Headroom: allocation less spend",
                "total": "Total of every line",
            }.get(r.kind, "Total")
            return f"{what}: £{format_money(self.pence(row, col))}\nTotals are never typed."
        text = explain_cell(self.session.model.results, self.org, self._line_index[r.line], col)
        if self.scenario_set(row, col):
            text = (
                f"Set in scenario '{self.session.scenario}' (the baseline is unchanged).\n" + text
            )
        return text

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        try:
            pence = parse_amount(str(value), self.session.unit)
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
