"""The undo list: a view of the book's own undo steps, which survive closing the book.

The first row is the book as opened with no steps; then every step, oldest first. Steps that
were undone are greyed; choosing a row undoes or redoes to just after it, as Qt's QUndoView does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import QListView, QWidget

from ..book.undo_history import Step, next_redo, next_undo, steps
from ..engine.leftshift_labels import readable
from .session import Session

Index = QModelIndex | QPersistentModelIndex


class UndoHistoryModel(QAbstractListModel):
    """Rows: 'Opened', then each step; `position` is the row of the newest done step."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.steps: list[Step] = []
        self.position = 0
        self._read()
        session.resultsChanged.connect(self.reload)

    def reload(self, _change: object = None) -> None:
        self.beginResetModel()
        self._read()
        self.endResetModel()

    def _read(self) -> None:
        """The book's steps, and the position counted once, not per cell Qt asks about."""
        self.steps = steps(self.session.book)
        self.position = sum(1 for s in self.steps if s.done)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.steps) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        step = self.steps[row - 1] if row > 0 else None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Start of history" if step is None else readable(step.label)
        if role == Qt.ItemDataRole.ForegroundRole and step is not None and not step.done:
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.ToolTipRole and step is not None:
            return "Undone: choose it to redo" if not step.done else "Choose to undo what follows"
        if role == Qt.ItemDataRole.FontRole and row == self.position:
            font = QFont()
            font.setBold(True)  # the book as it is now
            return font
        return None


class UndoHistoryView(QListView):
    """Click a row to go back (or forward) to the book as it was just after that step."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.history = UndoHistoryModel(session)
        self.setUniformItemSizes(True)  # one line a step: a long history is not measured row by row
        self.setModel(self.history)
        self.clicked.connect(self.go_to)
        self.history.modelReset.connect(self._show_position)
        self._show_position()

    def _show_position(self) -> None:
        self.setCurrentIndex(self.history.index(self.history.position))

    def go_to(self, index: QModelIndex) -> None:
        target = index.row()
        while self.history.position > target:
            if not self.session.undo():
                break
        while self.history.position < target:
            if not self.session.redo():
                break


class UndoActions:
    """Undo and Redo actions whose text names the step they would undo or redo."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        self.session = session
        self.undo = QAction("Undo", parent)
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo.triggered.connect(session.undo)
        self.redo = QAction("Redo", parent)
        self.redo.setShortcuts(
            [QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        self.redo.triggered.connect(session.redo)
        session.resultsChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, _change: object = None) -> None:
        writable = not self.session.read_only
        for action, step, verb in (
            (self.undo, next_undo(self.session.book), "Undo"),
            (self.redo, next_redo(self.session.book), "Redo"),
        ):
            action.setEnabled(writable and step is not None)
            action.setText(f"{verb} {step.label}" if step is not None else verb)
