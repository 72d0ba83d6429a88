"""The organisation tree with a filter box; choosing an organisation shows its budget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from ..book import BookError
from ..book.structure import Org, Structure

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
_TOP = QModelIndex()


def dated_moves(structure: Structure, org: Org) -> list[str]:
    """`org`'s moves and closures from a later year, in words: '→ U123 from 2027/28',
    'closed from 2028/29'. The tree is the book's first year's; these say what changes."""
    return [
        f"→ {above.code} from {year}" if above is not None else f"closed from {year}"
        for year, above in structure.moves_of(org)
    ]


class OrgTreeModel(QAbstractItemModel):
    """System > CCG/place > PCN > practice (the first year's tree), each item 'CODE  Name', with
    any move or closure from a later year after it.

    Read from the structure as the view asks: a national book's 7,899 organisations made one
    Qt item each took 0.4 s of opening a window, for a tree that shows its top two levels."""

    def __init__(self, structure: Structure) -> None:
        super().__init__()
        self.structure = structure
        orgs = structure.orgs
        position = {o.id: i for i, o in enumerate(orgs)}
        #: Each organisation's parent position (-1 at the top), children, and row under it.
        self.above = [-1 if o.parent_id is None else position[o.parent_id] for o in orgs]
        self.tops: list[int] = []
        self.kids: list[list[int]] = [[] for _ in orgs]
        for i, p in enumerate(self.above):  # depth-first: children in book order
            (self.kids[p] if p >= 0 else self.tops).append(i)
        self.row_of = [0] * len(orgs)
        for siblings in (self.tops, *self.kids):
            for row, i in enumerate(siblings):
                self.row_of[i] = row

    def _under(self, parent: QModelIndex | QPersistentModelIndex) -> list[int]:
        return self.kids[parent.internalId()] if parent.isValid() else self.tops

    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _TOP
    ) -> QModelIndex:
        under = self._under(parent)
        if column != 0 or not 0 <= row < len(under):
            return QModelIndex()
        return self.createIndex(row, 0, under[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:  # type: ignore[override]
        above = self.above[index.internalId()] if index.isValid() else -1
        return self.createIndex(self.row_of[above], 0, above) if above >= 0 else QModelIndex()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _TOP) -> int:
        return len(self._under(parent)) if parent.column() <= 0 else 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _TOP) -> int:
        return 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        shown = role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
        return "Organisation" if shown else None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        org = self.structure.orgs[index.internalId()]
        if role == CODE_ROLE:
            return org.code
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        moves = dated_moves(self.structure, org) if self.structure.moves else []
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{org.code}  {org.name}" + (f"  ({'; '.join(moves)})" if moves else "")
        tip = f"{org.name} ({org.kind}){chr(10) + org.note if org.note else ''}"
        if moves:
            tip += f"\nIn this tree from {self.structure.years[0]}; " + "; ".join(moves)
        return tip

    def index_of(self, code: str) -> QModelIndex:
        """The item of the organisation with `code` (its own or another code it answers to)."""
        try:
            org = self.structure.org(code)
        except BookError:
            return QModelIndex()
        at = next(i for i, o in enumerate(self.structure.orgs) if o.id == org.id)
        return self.createIndex(self.row_of[at], 0, at)


class Navigator(QWidget):
    """A filterable tree of the book's organisations."""

    orgChosen = Signal(str)

    def __init__(self, structure: Structure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter organisations (code or name)")
        self.filter.setClearButtonEnabled(True)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setModel(self.proxy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.set_structure(structure)
        self.filter.textChanged.connect(self._filter)
        self.tree.selectionModel().currentChanged.connect(self._chosen)

    def set_structure(self, structure: Structure) -> None:
        self.source = OrgTreeModel(structure)
        self.proxy.setSourceModel(self.source)
        self.tree.expandToDepth(0)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE)
        if code:
            self.orgChosen.emit(code)

    def select(self, code: str) -> None:
        """Choose the organisation with `code`, clearing a filter that hides it."""
        found = self.source.index_of(code)
        if not found.isValid():
            return
        if not self.proxy.mapFromSource(found).isValid():
            self.filter.clear()
        self.tree.setCurrentIndex(self.proxy.mapFromSource(found))
