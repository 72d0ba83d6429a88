"""A table view that moves as a spreadsheet does: type to replace a cell, F2 to edit it, Enter
moves down and Tab right after an edit, and a refused edit is said at the cell. The budget grid
and the left-shift grids share it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QTableView,
    QToolTip,
    QWidget,
)


class SheetView(QTableView):
    """Excel's keys on a Qt table: the model's setData turns each edit into one book change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.last_message = ""  # the last thing said, so the window can clear it once stale

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        refused = getattr(model, "editRefused", None)  # GridModel.refuse: why an edit failed
        if refused is not None:
            refused.connect(self._refused)

    def _refused(self, index: QModelIndex, message: str) -> None:
        self.show_message(message, index)

    def show_message(self, message: str, index: QModelIndex | None = None) -> None:
        """Say why an edit was refused, at the cell (and keep it for the status bar)."""
        self.last_message = message
        rect = self.visualRect(index) if index is not None and index.isValid() else self.rect()
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), message, self)
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(message, 8000)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.move_by(1, 0)
        else:
            super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        submitted = hint in (
            QAbstractItemDelegate.EndEditHint.SubmitModelCache,
            QAbstractItemDelegate.EndEditHint.NoHint,
        )
        if submitted and self.hasFocus():  # Enter: move down, as in Excel
            self.move_by(1, 0)

    def move_by(self, rows: int, cols: int) -> None:
        cur = self.currentIndex()
        if not cur.isValid():
            return
        row = min(max(cur.row() + rows, 0), self.model().rowCount() - 1)
        col = min(max(cur.column() + cols, 0), self.model().columnCount() - 1)
        self.setCurrentIndex(self.model().index(row, col))
