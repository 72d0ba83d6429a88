"""One open book in the app: the book, its computed model, the active scenario and its history.

Every edit runs as a core operation (so a bad value is refused before anything is recorded);
undo and redo are core operations too, kept in the book, so this class only tells every grid,
chart and the undo list what changed (`resultsChanged`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..book import Book, BookError
from ..book import undo_history as core_undo
from ..book.edits import Change
from ..book.operations import labelled
from ..book.structure import load_scenarios
from ..engine import Model


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
        """Do an edit now as one undo step named `text`. A refused edit changes nothing."""
        try:
            with labelled(self.book, text):
                change = operation()
        except BookError as exc:
            self.errorRaised.emit(str(exc))
            return False
        try:
            self.applied(change)
        except BookError as exc:  # the engine refused the figures (e.g. totals past its range)
            self._take_back(change, str(exc))
            return False
        return True

    def _take_back(self, change: Change, why: str) -> None:
        """Undo a saved change the engine cannot calculate, so the book and grids agree."""
        step = core_undo.next_undo(self.book)
        if step is not None and step.batch == change.batch:
            core_undo.undo(self.book)
            why += " The change was undone."
        self._reload_model()
        self.errorRaised.emit(why)
        self.resultsChanged.emit(None)

    def applied(self, change: Change) -> None:
        """Bring the model up to date with a change the book made, and tell every view."""
        if change.structural:
            self._reload_model()
        else:
            self.model.apply(change)
        self.resultsChanged.emit(change)

    def undo(self) -> bool:
        """Undo the newest step in the book's history (the history survives reopening)."""
        return self._replay(core_undo.undo)

    def redo(self) -> bool:
        return self._replay(core_undo.redo)

    def _replay(self, step: Callable[[Book], Change]) -> bool:
        try:
            change = step(self.book)
        except BookError as exc:
            self.errorRaised.emit(str(exc))
            return False
        self.applied(change)
        return True

    def set_scenario(self, name: str) -> None:
        if name != self.scenario:
            self.model = Model(self.book, name)
            self.scenarioChanged.emit(name)
            self.resultsChanged.emit(None)

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.unitChanged.emit(unit)

    def reload(self) -> None:
        self._reload_model()
        self.resultsChanged.emit(None)

    def _reload_model(self) -> None:
        """Read the book again; if the active scenario is gone (an undone 'new scenario'), the
        baseline becomes active."""
        names = {s.name for s in load_scenarios(self.book.conn)}
        if self.scenario not in names:
            self.model = Model(self.book, None)
            self.scenarioChanged.emit(self.scenario)
        else:
            self.model.reload()

    def close(self) -> None:
        self.book.close()

    def disconnect_all(self) -> None:
        """Drop every connection to this session's signals (its window is closing): each one
        holds a model, a panel or the window itself, in a cycle through Qt that Python's
        collector cannot see, so the closed book's memory would never be given back."""
        signals = (self.resultsChanged, self.scenarioChanged, self.unitChanged, self.errorRaised)
        with warnings.catch_warnings():  # PySide warns of a signal with nothing connected
            warnings.simplefilter("ignore", RuntimeWarning)
            for signal in signals:
                signal.disconnect()
