"""What every grid model shares: rows and columns counted once, flags, refused-edit messages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex
ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
READ = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
WRITE = READ | Qt.ItemFlag.ItemIsEditable


class GridModel(QAbstractTableModel):
    """A flat table over `self.rows`; subclasses give `column_count` and `editable`."""

    editRefused = Signal(QModelIndex, str)

    rows: Any

    def column_count(self) -> int:
        raise NotImplementedError

    def editable(self, index: Index) -> bool:
        return False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_count()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return WRITE if self.editable(index) else READ

    def refuse(self, index: Index, message: str) -> bool:
        """Say why an edit was refused (the view shows it at the cell); nothing changes."""
        self.editRefused.emit(self.index(index.row(), index.column()), message)
        return False

    def all_changed(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )
