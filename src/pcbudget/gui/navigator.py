"""The organisation tree with a filter box; choosing an organisation shows its budget."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from ..book.structure import Org, Structure

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def dated_moves(structure: Structure, org: Org) -> list[str]:
    """`org`'s moves and closures from a later year, in words: '→ U123 from 2027/28',
    'closed from 2028/29'. The tree is the book's first year's; these say what changes."""
    return [
        f"→ {above.code} from {year}" if above is not None else f"closed from {year}"
        for year, above in structure.moves_of(org)
    ]


def tree_model(structure: Structure) -> QStandardItemModel:
    """System > CCG/place > PCN > practice (the first year's tree), each item 'CODE  Name', with
    any move or closure from a later year after it."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["Organisation"])
    items: dict[int, QStandardItem] = {}
    for org in structure.orgs:  # depth-first: parents come first
        moves = dated_moves(structure, org)
        suffix = f"  ({'; '.join(moves)})" if moves else ""
        item = QStandardItem(f"{org.code}  {org.name}{suffix}")
        item.setData(org.code, CODE_ROLE)
        tip = f"{org.name} ({org.kind}){chr(10) + org.note if org.note else ''}"
        if moves:
            tip += f"\nIn this tree from {structure.years[0]}; " + "; ".join(moves)
        item.setToolTip(tip)
        item.setEditable(False)
        parent = items.get(org.parent_id) if org.parent_id is not None else None
        (parent.appendRow if parent is not None else model.appendRow)(item)
        items[org.id] = item
    return model


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
        self.source = tree_model(structure)
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
        matches = self.source.match(
            self.source.index(0, 0),
            CODE_ROLE,
            code,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if matches:
            self.tree.setCurrentIndex(self.proxy.mapFromSource(matches[0]))
