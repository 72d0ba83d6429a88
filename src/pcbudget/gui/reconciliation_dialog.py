"""View > Reconciliation: each published figure (the LLR Tables 4-7) beside the book's own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..book.money import format_money
from ..io.reconciliation import Reconciled
from .style import HEADROOM_SHORT

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COLUMNS = ("Table", "Figure", "Org", "Year", "Published £", "Book £", "Difference £", "Why")


class ReconciliationDialog(QDialog):
    """A read-only table; rows the source's rounding does not explain are tinted red."""

    def __init__(self, rows: list[Reconciled], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reconciliation with the published figures")
        self.resize(1100, 600)
        agree = sum(r.agrees for r in rows)
        self.summary = QLabel(
            f"{agree} of {len(rows)} published figures agree with the book (baseline)."
            if rows
            else "This book has no published figures to reconcile with."
        )
        self.table = QTableWidget(len(rows), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, r in enumerate(rows):
            cells = (
                f"T{r.table}",
                r.figure,
                r.org,
                r.year,
                format_money(r.published, decimals=0),
                format_money(r.book, decimals=0),
                format_money(r.difference, decimals=0),
                r.why,
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 4 <= j <= 6:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not r.agrees:
                    item.setBackground(HEADROOM_SHORT)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
