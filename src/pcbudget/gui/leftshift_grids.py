"""The left-shift panel's grids: the parameters of the active scenario (by point of delivery,
and by year) and its results by year, each a year grid like the budget's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from ..book.leftshift_params import POD_FIELDS, PODS
from ..engine.leftshift import RESULT_ROWS, LeftShiftResult, pods_of
from ..engine.leftshift_labels import LABELS, pod_name
from ..engine.leftshift_labels import show_value as _show
from .grid_model import Index
from .session import Session
from .style import NEGATIVE, STATUS_TINT
from .year_grid import YearGridModel, format_amount

if TYPE_CHECKING:
    from .leftshift_panel import LeftShiftPanel


class ParamModel(YearGridModel):
    """The parameters set by year (phasing, double running): the book's years as columns.
    Rows and columns map to keys ('phasing.2026/27') via `key_of`."""

    def __init__(self, panel: LeftShiftPanel) -> None:
        super().__init__(panel.session)
        self.panel = panel
        self.rows: list[str] = []
        self._columns = 0

    def refresh(self) -> None:
        """New values announce themselves in place; only new rows reset the grid (a reset
        while an edit is being committed would drop the editor and lose the user's place)."""
        rows = self.row_names()
        if rows != self.rows or self.column_count() != self._columns:
            self.beginResetModel()
            self.rows, self._columns = rows, self.column_count()
            self.endResetModel()
        else:
            self.all_changed()

    def row_names(self) -> list[str]:
        return ["phasing", "double_running"]

    def field(self, col: int) -> str:
        """The part of a key a column gives (here its year)."""
        return self.years[col]

    def row_header(self, section: int) -> str:
        return pod_name(self.rows[section])

    def key_of(self, index: Index) -> str:
        return self._key(index.row(), index.column())

    def _key(self, row: int, col: int) -> str:
        return f"{self.rows[row]}.{self.field(col)}"

    def cell(self, row: int, col: int, role: int) -> Any:
        key = self._key(row, col)
        value = self.panel.params.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return _show(key, value)
        if role == Qt.ItemDataRole.EditRole:
            return _show(key, value).replace("£", "").replace(",", "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_TINT[2] if value is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.panel.notes.get(key) or key
        return None

    def can_type(self, row: int, col: int) -> bool:
        return self.panel.editable()  # a scenario's, never the baseline's

    def type_into(self, index: Index, text: str) -> bool:
        return self.panel.set_values({self.key_of(index): text.strip() or None}, index, self)


class PodParamModel(ParamModel):
    """The parameters of each point of delivery: its fields as columns, not years."""

    def row_names(self) -> list[str]:
        named = pods_of(self.panel.params)
        return [*PODS, *(p for p in named if p not in PODS)]  # a stable order to type along

    def field(self, col: int) -> str:
        return POD_FIELDS[col]

    def column_count(self) -> int:
        return len(POD_FIELDS)

    def column_header(self, section: int) -> str | None:
        return LABELS[POD_FIELDS[section]]

    def year_of(self, col: int) -> int | None:
        return None


class ResultsModel(YearGridModel):
    """Read-only: the left shift's results by year, activity in units and the rest in £."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.rows: list[str] = []  # the measures, once there is a result to show
        self.values: list[list[float]] = []
        self.texts: list[list[str]] = []

    def show(self, res: LeftShiftResult) -> None:
        """Show a newly worked-out result (its years are the book's)."""
        self.beginResetModel()
        self.rows = list(RESULT_ROWS)
        self.values = [[float(v) for v in res.totals[m]] for m in self.rows]
        self.texts = [
            [f"{v:,.0f}" for v in values]
            if m == "activity_shifted"  # patients' attendances, not money
            else [format_amount(int(p), "£") for p in res.pence(m)]
            for m, values in zip(self.rows, self.values, strict=True)
        ]
        self.endResetModel()

    def row_header(self, section: int) -> str:
        return self.rows[section].replace("_", " ")

    def cell(self, row: int, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[row][col]
        if role == Qt.ItemDataRole.ForegroundRole:
            return NEGATIVE if self.values[row][col] < 0 else None
        return None
