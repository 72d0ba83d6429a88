"""One open book in the app: the book, its computed model, the active scenario and undo stack.

Every edit runs as a core operation first (so a bad value is refused before anything is
recorded), then lands on the undo stack; `resultsChanged` tells every grid and chart.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..book import Book, BookError
from ..book.edits import Change
from ..engine import Model
from .commands import ChangeCommand


class Session(QObject):
    """The open book as the window sees it."""

    resultsChanged = Signal(object)  # the Change applied, or None after a reload
    scenarioChanged = Signal(str)
    unitChanged = Signal(str)
    errorRaised = Signal(str)

    def __init__(
        self, book: Book, scenario: str | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.model = Model(book, scenario)
        self.undo_stack = QUndoStack(self)
        self.unit = "£"

    @property
    def structure(self):
        return self.model.structure

    @property
    def scenario(self) -> str:
        return self.model.snapshot.scenario.name

    @property
    def read_only(self) -> bool:
        return self.book.read_only

    def org_index(self, code: str) -> int:
        return self.model.snapshot.org_index[self.structure.org(code).id]

    def run(self, text: str, operation: Callable[[], Change]) -> bool:
        """Do an edit now; on success push it for undo. A refused edit changes nothing."""
        try:
            change = operation()
        except BookError as exc:
            self.errorRaised.emit(str(exc))
            return False
        self.applied(change)
        self.undo_stack.push(ChangeCommand(self, text, change))
        return True

    def applied(self, change: Change) -> None:
        self.model.apply(change)
        self.resultsChanged.emit(change)

    def set_scenario(self, name: str) -> None:
        if name != self.scenario:
            self.model = Model(self.book, name)
            self.scenarioChanged.emit(name)
            self.resultsChanged.emit(None)

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.unitChanged.emit(unit)

    def reload(self) -> None:
        self.model.reload()
        self.resultsChanged.emit(None)

    def close(self) -> None:
        self.undo_stack.clear()
        self.book.close()
