"""The organisation tree with a filter box; choosing an organisation shows its budget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
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
    any move or closure from a later year after it, filtered to what holds a text.

    Read from the structure as the view asks: a national book's 7,899 organisations made one
    Qt item each took 0.4 s of opening a window, for a tree that shows its top two levels. The
    filter is one pass over the items' texts here (a filter proxy asked Python for each row's
    index and text on every keystroke: 0.5-1 s a key at national scale)."""

    def __init__(self, structure: Structure) -> None:
        super().__init__()
        self._take(structure)

    def set_structure(self, structure: Structure, text: str = "") -> None:
        """The tree of a changed structure, filtered by `text`."""
        self.beginResetModel()
        self._take(structure)
        self._arrange(self._matching(text))
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show only the organisations whose text holds `text` (in any case) and those above
        them; all of them for no text."""
        self.beginResetModel()
        self._arrange(self._matching(text))
        self.endResetModel()

    def _take(self, structure: Structure) -> None:
        self.structure = structure
        orgs = structure.orgs
        self.position = {o.id: i for i, o in enumerate(orgs)}
        #: Each organisation's parent position (-1 at the top).
        self.above = [-1 if o.parent_id is None else self.position[o.parent_id] for o in orgs]
        self._texts: list[str] | None = None  # each item's text in lower case, for the filter
        self._arrange(None)

    def _matching(self, text: str) -> set[int] | None:
        """The positions a filter on `text` shows: each match and everything above it."""
        needle = text.casefold()
        if not needle:
            return None
        if self._texts is None:
            self._texts = [self.text(i).casefold() for i in range(len(self.above))]
        shown: set[int] = set()
        for i, item in enumerate(self._texts):
            if needle in item:
                while i >= 0 and i not in shown:
                    shown.add(i)
                    i = self.above[i]
        return shown

    def _arrange(self, shown: set[int] | None) -> None:
        """Each shown organisation's children and its row under its parent (None: all shown)."""
        self.shown = shown
        self.tops: list[int] = []
        self.kids: list[list[int]] = [[] for _ in self.above]
        for i, p in enumerate(self.above):  # depth-first: children in book order
            if shown is None or i in shown:
                (self.kids[p] if p >= 0 else self.tops).append(i)
        self.row_of = [0] * len(self.above)
        for siblings in (self.tops, *self.kids):
            for row, i in enumerate(siblings):
                self.row_of[i] = row

    def text(self, at: int) -> str:
        """The item's text: 'CODE  Name', with its dated moves after it."""
        org = self.structure.orgs[at]
        moves = dated_moves(self.structure, org) if self.structure.moves else []
        return f"{org.code}  {org.name}" + (f"  ({'; '.join(moves)})" if moves else "")

    def _under(self, parent: QModelIndex | QPersistentModelIndex) -> list[int]:
        return self.kids[parent.internalId()] if parent.isValid() else self.tops

    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _TOP
    ) -> QModelIndex:
        under = self._under(parent)
        if column != 0 or not 0 <= row < len(under):
            return QModelIndex()
        return self.createIndex(row, 0, under[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex | None = None) -> Any:
        if index is None:  # QObject's parent, which this name also answers
            return super().parent()
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
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.internalId())
        if role != Qt.ItemDataRole.ToolTipRole:
            return None
        moves = dated_moves(self.structure, org) if self.structure.moves else []
        tip = f"{org.name} ({org.kind}){chr(10) + org.note if org.note else ''}"
        if moves:
            tip += f"\nIn this tree from {self.structure.years[0]}; " + "; ".join(moves)
        return tip

    def index_of(self, code: str) -> QModelIndex:
        """The item of the organisation with `code` (its own or another code it answers to);
        invalid when there is none, or the filter hides it."""
        try:
            at = self.position[self.structure.org(code).id]
        except BookError:
            return QModelIndex()
        if self.shown is not None and at not in self.shown:
            return QModelIndex()
        return self.createIndex(self.row_of[at], 0, at)


class Navigator(QWidget):
    """A filterable tree of the book's organisations."""

    orgChosen = Signal(str)

    def __init__(self, structure: Structure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter organisations (code or name)")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.source = OrgTreeModel(structure)
        self.tree.setModel(self.source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.tree.expandToDepth(0)
        self._quiet = False  # True while the current item is put back after a filter
        self.filter.textChanged.connect(self._filter)
        self.tree.selectionModel().currentChanged.connect(self._chosen)

    def set_structure(self, structure: Structure) -> None:
        self.source.set_structure(structure, self.filter.text())
        self._expand()

    def _filter(self, text: str) -> None:
        chosen = self.tree.currentIndex().data(CODE_ROLE)
        self.source.set_filter(text)
        self._expand()
        kept = self.source.index_of(chosen) if chosen else QModelIndex()
        if kept.isValid():  # still shown: still the current item, not chosen again
            self._quiet = True
            self.tree.setCurrentIndex(kept)
            self._quiet = False

    def _expand(self) -> None:
        if self.filter.text():
            self.tree.expandAll()  # the matches, wherever they are
        else:
            self.tree.expandToDepth(0)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE)
        if code and not self._quiet:
            self.orgChosen.emit(code)

    def select(self, code: str) -> None:
        """Choose the organisation with `code`, clearing a filter that hides it."""
        found = self.source.index_of(code)
        if not found.isValid() and self.filter.text():
            self.filter.clear()
            found = self.source.index_of(code)
        if found.isValid():
            self.tree.setCurrentIndex(found)
