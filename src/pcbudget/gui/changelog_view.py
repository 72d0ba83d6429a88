"""The change log as a filterable table: who changed what, when, from what to what."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ..book.changelog import LogEntry, history
from ..engine.leftshift_labels import param_label, show_value
from .fit_table import FitWhenShownTable
from .grid_model import GridModel, Index
from .session import Session

COLUMNS = ("When (UTC)", "Who", "Scenario", "What", "Old", "New", "Note")


class ChangeLogModel(GridModel):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[LogEntry] = history(session.book.conn)
        self.view: QWidget | None = None
        self.stale = False
        session.resultsChanged.connect(self.reload)

    def reload(self, _change: object = None) -> None:
        if self.view is not None and not self.view.isVisible():
            self.stale = True  # read the log when it is next shown
            return
        self.stale = False
        self.beginResetModel()
        self.rows = history(self.session.book.conn)
        self.endResetModel()

    def column_count(self) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        e = self.rows[index.row()]
        what, old, new = e.target, e.old or "", e.new or ""
        kind, _, rest = e.target.partition(" ")
        org, _, key = rest.rpartition(" ")  # keys have no spaces, as in scenario_actions
        if kind == "leftshift" and key:  # the grid's words, not the book's keys and fractions
            what = f"Left shift {org}: {param_label(key)}"
            old, new = show_value(key, e.old), show_value(key, e.new)
        values = (
            e.at[:19].replace("T", " "),
            f"{e.user}@{e.host}",
            e.scenario,
            what,
            old,
            new,
            e.note or "",
        )
        return values[index.column()]


class ChangeLogView(QWidget):
    """The log with a filter box that matches any column."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChangeLogModel(session)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter the change log (user, organisation, line, year…)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = FitWhenShownTable()
        self.table.setModel(self.proxy)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(100)  # fit the columns to 100 rows, not a whole log
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self.model.view = self

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.model.stale:
            self.model.reload()
