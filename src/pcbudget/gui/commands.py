"""Undo for the app: each edit is a QUndoCommand over a core Change.

The command is pushed after its change is done, so its first redo does nothing; undo and redo
write through the book as new, logged changes (undo is a change that restores the old rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..book import BookError
from ..book.edits import Change, apply_rows, undo

if TYPE_CHECKING:
    from .session import Session


class ChangeCommand(QUndoCommand):
    """One edit of one or many cells, undoable as one step."""

    def __init__(self, session: Session, text: str, change: Change) -> None:
        super().__init__(text)
        self._session = session
        self._change = change
        self._done = True

    def redo(self) -> None:
        if self._done:
            return
        rows = [(c.kind, c.key, c.label, c.new) for c in self._change.cells]
        self._write(
            lambda: apply_rows(
                self._session.book, self._change.scenario_id, self._change.scenario, rows
            )
        )
        self._done = True

    def undo(self) -> None:
        self._write(lambda: undo(self._session.book, self._change))
        self._done = False

    def _write(self, operation) -> None:
        try:
            self._session.applied(operation())
        except BookError as exc:
            self._session.errorRaised.emit(str(exc))


class LeftShiftCommand(QUndoCommand):
    """Left-shift parameters set for one organisation in one scenario, undoable as one step."""

    def __init__(
        self,
        session: Session,
        text: str,
        scenario: str,
        org: str,
        changes: list[tuple[str, str | None, str | None]],
    ) -> None:
        super().__init__(text)
        self._session, self._scenario, self._org, self._changes = session, scenario, org, changes
        self._done = True

    def _set(self, values: dict[str, str | None]) -> None:
        from ..book.leftshift_params import set_leftshift

        try:
            set_leftshift(self._session.book, self._scenario, self._org, values)
        except BookError as exc:
            self._session.errorRaised.emit(str(exc))
        self._session.reload()

    def redo(self) -> None:
        if self._done:
            return
        self._set({k: new for k, _, new in self._changes})
        self._done = True

    def undo(self) -> None:
        self._set({k: old for k, old, _ in self._changes})
        self._done = False
