"""One line across the organisations of a subtree (e.g. every practice in an ICB) by year:
the grid for checking and entering a line organisation by organisation, at national scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from ..book import BookError
from ..book.edits import set_amounts
from ..engine.explain import explain_cell
from .amounts import amount_text, parse_amount
from .budget_model import format_amount
from .grid_model import ALIGN_RIGHT, GridModel, Index
from .session import Session
from .style import NEGATIVE, STATUS_TINT


class LineByOrgModel(GridModel):
    """Rows: organisations in the chosen subtree that hold the line; columns: years and total."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.org = 0
        self.line = 0
        self.rows = np.zeros(0, dtype=np.int64)
        self._rebuild()
        session.resultsChanged.connect(self._changed)
        session.unitChanged.connect(lambda _: self._changed(object()))

    def _rebuild(self) -> None:
        snap = self.session.model.snapshot
        start, end = self.org, int(snap.subtree_end[self.org])
        held = np.flatnonzero(snap.holds[start:end, self.line]) + start
        self.rows = held if held.size else np.array([self.org])

    def set_scope(self, org_code: str | None = None, line_code: str | None = None) -> None:
        self.beginResetModel()
        if org_code is not None:
            self.org = self.session.org_index(org_code)
        if line_code is not None:
            self.line = self.session.model.snapshot.line_index[
                self.session.structure.line(line_code).id
            ]
        self._rebuild()
        self.endResetModel()

    def _changed(self, change: object) -> None:
        if change is None:
            self.set_scope()
        else:
            self.all_changed()

    @property
    def years(self) -> list[str]:
        return self.session.structure.years

    def column_count(self) -> int:
        return len(self.years) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.years[section] if section < len(self.years) else "Total"
        org = self.session.structure.orgs[int(self.rows[section])]
        return f"{org.code}  {org.name}"

    def pence(self, row: int, col: int) -> int:
        values = self.session.model.results.rolled[int(self.rows[row]), self.line]
        return int(values.sum()) if col >= len(self.years) else int(values[col])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        o = int(self.rows[row])
        if role == Qt.ItemDataRole.DisplayRole:
            return format_amount(self.pence(row, col), self.session.unit)
        if role == Qt.ItemDataRole.EditRole:
            return amount_text(self.pence(row, col), self.session.unit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            return NEGATIVE if self.pence(row, col) < 0 else None
        if col >= len(self.years):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_TINT[int(self.session.model.results.status_at(o)[self.line, col])]
        if role == Qt.ItemDataRole.ToolTipRole:
            return explain_cell(self.session.model.results, o, self.line, col)
        return None

    def editable(self, index: Index) -> bool:
        o = int(self.rows[index.row()])
        held = bool(self.session.model.snapshot.holds[o, self.line])
        return held and index.column() < len(self.years) and not self.session.read_only

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.editable(index):
            return False
        try:
            pence = parse_amount(str(value), self.session.unit)
        except BookError as exc:
            return self.refuse(index, str(exc))
        s = self.session.structure
        org, line, year = (
            s.orgs[int(self.rows[index.row()])].code,
            s.lines[self.line].code,
            self.years[index.column()],
        )
        scen = self.session.scenario
        return self.session.run(
            f"Edit {org} {line} {year}",
            lambda: set_amounts(
                self.session.book, [(org, line, year, pence)], scenario=scen, structure=s
            ),
        )
