"""Editing the book's structure in the window: organisations from the tree's context menu (add
below, rename, move from a year, close from a year), and a dialog to add a local line. Each is
one core operation, so it is logged and undoable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QWidget,
)

from ..book.org_moves import close_org
from ..book.organisations import (
    ANY_LEVEL,
    LINE_BASES,
    ORG_KINDS,
    add_line,
    add_org,
    move_org,
    rename_org,
)
from ..book.schema import MEASURES, RATED_BASES
from .navigator import CODE_ROLE
from .ok_cancel import ok_cancel

if TYPE_CHECKING:
    from .main_window import MainWindow


class OrgDialog(QDialog):
    """Code, name and kind of a new organisation below `parent`."""

    def __init__(self, parent_code: str, suggested_kind: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add an organisation below {parent_code}")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ODS code, e.g. C82001 or U12345")
        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(ORG_KINDS)
        self.kind.setCurrentText(suggested_kind)
        form = QFormLayout(self)
        form.addRow("Code", self.code)
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        buttons = ok_cancel(self)
        form.addRow(buttons)


class MoveDialog(QDialog):
    """Where an organisation moves and from which year (the first: every year of the book)."""

    def __init__(self, code: str, window: MainWindow) -> None:
        super().__init__(window)
        s = window.session.structure
        self.setWindowTitle(f"Move {code}")
        self.target = QComboBox()
        for o in s.orgs:
            if o.code != code:
                self.target.addItem(f"{o.code}  {o.name}", o.code)
        self.year = QComboBox()
        self.year.addItems(s.years)  # the first year by default: the move holds in every year
        form = QFormLayout(self)
        form.addRow("Move below", self.target)
        form.addRow("From year", self.year)
        buttons = ok_cancel(self)
        form.addRow(buttons)


class LineDialog(QDialog):
    """A local line: entered (held at any level or one kind), per head of a measure at a rate,
    or a share of the allocation (a contingency)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        s = window.session.structure
        self.setWindowTitle("Add a local line")
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. gp_it, local_les")
        self.name = QLineEdit()
        self.section = QComboBox()
        for sec in s.sections:
            self.section.addItem(sec.name, sec.code)
        self.section.setCurrentIndex(
            max(0, self.section.findData("other_primary_care", Qt.ItemDataRole.UserRole))
        )
        self.budget_type = QComboBox()
        for t in s.budget_types:
            self.budget_type.addItem(f"{t.code}: {t.name}", t.code)
        # Local schemes are mostly funded outside the delegated allocation.
        self.budget_type.setCurrentIndex(max(0, self.budget_type.findData("PC")))
        self.basis = QComboBox()
        self.basis.addItems(LINE_BASES)
        self.level = QComboBox()
        self.level.addItems([ANY_LEVEL, *ORG_KINDS])
        self.measure = QComboBox()
        self.measure.addItems(MEASURES)
        self.rate = QLineEdit()
        self.rate.setPlaceholderText("£ per head a year, e.g. 2.50")
        self.source = QLineEdit()
        self.source.setPlaceholderText("where the rate comes from, e.g. ICB board 12 March")
        form = QFormLayout(self)
        for label, widget in (
            ("Code", self.code),
            ("Name", self.name),
            ("Section", self.section),
            ("Budget type", self.budget_type),
            ("Basis", self.basis),
            ("Held at", self.level),
            ("Measure", self.measure),
            ("Rate (£ or %)", self.rate),
            ("Source", self.source),
        ):
            form.addRow(label, widget)
        buttons = ok_cancel(self)
        form.addRow(buttons)
        self.basis.currentTextChanged.connect(self._basis_chosen)
        self._basis_chosen(self.basis.currentText())

    def _basis_chosen(self, basis: str) -> None:
        self.measure.setEnabled(basis == "per_head")
        for widget in (self.rate, self.source):
            widget.setEnabled(basis in RATED_BASES)
        share = basis == "allocation_share"
        self.rate.setPlaceholderText(
            "share of the allocation, e.g. 0.5%" if share else "£ per head a year, e.g. 2.50"
        )


class StructureActions:
    """The tree's context menu (add below, rename, move, close) and Book > Add Local Line."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        tree = window.navigator.tree
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self.show_menu)
        self.add_line_action = QAction("Add Local Line…", window)
        self.add_line_action.triggered.connect(self.ask_add_line)

    @property
    def session(self):
        return self.window.session

    def show_menu(self, point: QPoint) -> None:
        index = self.window.navigator.tree.indexAt(point)
        code = index.data(CODE_ROLE) if index.isValid() else None
        if not code:
            return
        self.menu_for(code).exec(self.window.navigator.tree.viewport().mapToGlobal(point))

    def menu_for(self, code: str) -> QMenu:
        """The tree's context menu for organisation `code`."""
        menu = QMenu(self.window.navigator.tree)
        for text, slot in (
            ("Add Organisation Below…", lambda: self.ask_add(code)),
            ("Rename…", lambda: self.ask_rename(code)),
            ("Move To…", lambda: self.ask_move(code)),
            ("Close from a Year…", lambda: self.ask_close(code)),
        ):
            action = menu.addAction(text)
            action.triggered.connect(slot)
            action.setEnabled(not self.session.read_only)
        return menu

    def _kind_below(self, code: str) -> str:
        kind = self.session.structure.org(code).kind
        order = list(ORG_KINDS)
        return order[min(order.index(kind) + 1, len(order) - 1)] if kind in order else "practice"

    def add(self, parent: str, code: str, name: str, kind: str) -> bool:
        return self.session.run(
            f"Add {kind} {code}", lambda: add_org(self.session.book, code, name, kind, parent)
        )

    def ask_add(self, parent: str) -> None:
        dialog = OrgDialog(parent, self._kind_below(parent), self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            code = dialog.code.text()
            if self.add(parent, code, dialog.name.text(), dialog.kind.currentText()):
                self.window.navigator.select(code.strip())

    def ask_rename(self, code: str) -> None:
        org = self.session.structure.org(code)
        name, ok = QInputDialog.getText(self.window, f"Rename {code}", "Name:", text=org.name)
        if ok:
            self.session.run(f"Rename {code}", lambda: rename_org(self.session.book, code, name))

    def ask_move(self, code: str) -> None:
        dialog = MoveDialog(code, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.target.currentData():
            self.move(code, dialog.target.currentData(), dialog.year.currentText())

    def move(self, code: str, target: str, from_year: str | None = None) -> bool:
        """Move `code` under `target`, from `from_year` on (the first year or None: every year)."""
        first = from_year in (None, self.session.structure.years[0])
        label = f"Move {code} under {target}" + ("" if first else f" from {from_year}")
        return self.session.run(
            label, lambda: move_org(self.session.book, code, target, from_year=from_year)
        )

    def ask_close(self, code: str) -> None:
        years = self.session.structure.years[1:]  # never the first: it would never have existed
        year, ok = QInputDialog.getItem(
            self.window, f"Close {code}", "Closed from (holds nothing from then):", years, 0, False
        )
        if ok and year:
            self.close_from(code, year)

    def close_from(self, code: str, from_year: str) -> bool:
        """Close `code` from `from_year` on: nil from then, in no total."""
        return self.session.run(
            f"Close {code} from {from_year}",
            lambda: close_org(self.session.book, code, from_year),
        )

    def ask_add_line(self) -> None:
        dialog = LineDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.add_line_from(dialog)

    def add_line_from(self, dialog: LineDialog) -> bool:
        basis = dialog.basis.currentText()
        per_head, rated = basis == "per_head", basis in RATED_BASES
        level = dialog.level.currentText()
        code = dialog.code.text().strip()
        return self.session.run(
            f"Add line {code}",
            lambda: add_line(
                self.session.book,
                code,
                dialog.name.text(),
                section=dialog.section.currentData(),
                budget_type=dialog.budget_type.currentData(),
                level=None if level == ANY_LEVEL else level,
                basis=basis,
                measure=dialog.measure.currentText() if per_head else None,
                rate=(dialog.rate.text().strip() or None) if rated else None,
                source=(dialog.source.text().strip() or None) if rated else None,
            ),
        )
