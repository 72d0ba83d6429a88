"""A table whose columns fit their text only once it is first shown."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView


class FitWhenShownTable(QTableView):
    """Its columns are fitted to their text when it first shows, not when it is made: fitting
    reads the cells (thousands, in the rates table or a long change log), which a table behind
    a tab not yet opened need not do at start-up."""

    def showEvent(self, event) -> None:
        header = self.horizontalHeader()
        if header.sectionResizeMode(0) != QHeaderView.ResizeMode.ResizeToContents:
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        super().showEvent(event)
