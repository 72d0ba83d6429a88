"""The Rates tab: per-head rates by year to edit, and the full rates table with every source.

The table is the one `pcbudget rates` prints (engine.rate_table): each line and year with its
basis, rate, months, amount per unit for the year, budget type, source and confidence, so a
finance lead checks a figure against its source without leaving the app.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..book.operations import Change
from ..engine.explain import FLAGGED
from ..engine.rate_table import RateRow, rate_table
from .fit_table import FitWhenShownTable
from .grid_model import ALIGN_RIGHT, GridModel, Index
from .session import Session
from .style import ASSUMED_TINT

HEADERS = (
    "Line",
    "Year",
    "Basis",
    "Rate £",
    "Months",
    "£ per unit in the year",
    "Budget type",
    "Confidence",
    "Source",  # last: it is the long one
)


def per_unit(row: RateRow) -> str:
    """rate x months / 12, to four places: what one patient (or bed) brings in that year."""
    if not row.rate:
        return ""
    try:
        value = Decimal(row.rate) * Decimal(row.months or "12") / 12
    except InvalidOperation:
        return ""
    return f"{value.quantize(Decimal('0.0001'))}"


class RateTableModel(GridModel):
    """Read-only: every line and year of the active scenario, as `pcbudget rates` gives them.

    Each row's shown text is worked out once when the table is read, not per paint or filter."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[RateRow] = []
        self.cells: list[tuple[str, ...]] = []
        self.reload()
        session.resultsChanged.connect(self._changed)

    def _changed(self, change: object) -> None:
        """Read again after a reload, a scenario switch or a change to rates; not after amounts."""
        rates = {"rate", "uplift", "line_type"}
        if isinstance(change, Change) and not change.structural and not rates & change.kinds():
            return
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        snap = self.session.model.snapshot
        names = {ln.code: ln.name for ln in snap.structure.lines}
        self.rows = rate_table(snap)
        self.cells = [
            (
                names.get(row.line, row.line),
                row.year,
                row.basis,
                row.rate,
                row.months,
                per_unit(row),
                row.budget_type,
                row.confidence,
                row.source,
            )
            for row in self.rows
        ]
        self.endResetModel()

    def column_count(self) -> int:
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells[index.row()][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.line} {row.year}: {row.source or 'no source'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4, 5):
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and row.confidence in FLAGGED:
            return ASSUMED_TINT
        return None


class RatesPanel(QWidget):
    """Two views of the same rates: the editable grid by year, and the sourced table."""

    def __init__(self, session: Session, grid: QTableView) -> None:
        super().__init__()
        self.grid = grid
        self.table_model = RateTableModel(session)
        self.table = FitWhenShownTable()  # ~9,000 cells in the sample: fitted when first shown
        self.table.setModel(self.table_model)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by line, year, source or confidence")
        self.filter.textChanged.connect(self.apply_filter)
        self.table_model.modelReset.connect(self._filter_again)  # a method: no lambda keeps
        # this panel (and through it the book's models) alive after its window closes
        table_page = QWidget()
        layout = QVBoxLayout(table_page)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        hint = QLabel(
            "The same rows as `pcbudget rates`: £ per unit in the year is rate x months / 12. "
            "Teal: carried forward, provisional or uncertain. Edit rates on the By year page."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(grid, "By year (edit)")
        self.pages.addTab(table_page, "Table with sources")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    def _filter_again(self) -> None:
        self.apply_filter(self.filter.text())

    def apply_filter(self, text: str) -> None:
        """Hide rows that do not mention every word typed (case ignored)."""
        words = text.lower().split()
        model = self.table_model
        for r, (row, cells) in enumerate(zip(model.rows, model.cells, strict=True)):
            shown = " ".join((*cells, row.line)).lower()
            self.table.setRowHidden(r, not all(w in shown for w in words))
