"""The budget grid: a QTableView that edits like Excel.

Type to replace a cell, F2 to edit it, Enter moves down and Tab right; Delete reverts
overridden cells; Ctrl+C copies and Ctrl+V pastes rectangles as tab-separated text; a row can
be filled right with a yearly growth %. Every change is one undo step.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QToolTip,
    QWidget,
)

from ..book import BookError
from ..book.money import grow, parse_decimal
from .amounts import amount_text
from .budget_model import BudgetModel
from .clipboard import from_tsv, to_tsv
from .sheet_view import SheetView


class BudgetGrid(SheetView):
    """The grid of one organisation's budget."""

    def __init__(self, model: BudgetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.budget = model
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        # Long names ('Total Delegated primary medical care (co-commissioning)') end in '…'
        # with the whole name as a tooltip, so the years and the total keep their room.
        self.verticalHeader().setMaximumWidth(self.fontMetrics().horizontalAdvance("x" * 34))
        self.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultSectionSize(
            self.fontMetrics().horizontalAdvance("(999,999,999)") + 12
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

        self.revert_action = QAction("Revert to calculated", self)
        self.revert_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.revert_action.triggered.connect(self.revert_selection)
        self.fill_action = QAction("Fill right with growth…", self)
        self.fill_action.setShortcut(QKeySequence("Ctrl+R"))
        self.fill_action.triggered.connect(self.ask_fill_right)
        self.copy_action = QAction("Copy", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.triggered.connect(self.copy_selection)
        self.paste_action = QAction("Paste", self)
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.paste_action.triggered.connect(lambda: self.paste())
        for action in (self.revert_action, self.fill_action, self.copy_action, self.paste_action):
            # The grid's keys act only where the grid (or its cell editor) has focus: Delete in
            # another tab's grid must not revert a budget cell the user cannot see.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    # -- messages (a refusal is said at the cell by SheetView.show_message) ----------------
    def say(self, message: str) -> None:
        """Report a success: an earlier refusal (tooltip and status bar) is no longer true."""
        self.last_message = message
        QToolTip.hideText()
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(message, 8000)

    # -- keys ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.revert_selection()
        else:
            super().keyPressEvent(event)

    def full_width(self) -> int:
        """The width that shows every column (the years and the total) without scrolling."""
        columns = sum(self.columnWidth(c) for c in range(self.model().columnCount()))
        scroll = self.verticalScrollBar().sizeHint().width()
        return self.verticalHeader().width() + columns + scroll + 2 * self.frameWidth()

    # -- selection helpers -------------------------------------------------------------------
    def _rectangle(self) -> tuple[int, int, int, int] | None:
        indexes = self.selectedIndexes() or (
            [self.currentIndex()] if self.currentIndex().isValid() else []
        )
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def copy_selection(self) -> None:
        """The selected rectangle to the clipboard as plain numbers in the view's unit (£ or £k)."""
        rect = self._rectangle()
        if rect is None:
            return
        top, left, bottom, right = rect
        unit = self.budget.session.unit
        rows = [
            [amount_text(self.budget.pence(r, c), unit) for c in range(left, right + 1)]
            for r in range(top, bottom + 1)
        ]
        QGuiApplication.clipboard().setText(to_tsv(rows))

    def paste(self, text: str | None = None) -> bool:
        """Paste a rectangle at the current cell, in the view's unit: all or nothing, one step."""
        text = QGuiApplication.clipboard().text() if text is None else text
        block = from_tsv(text)
        rect = self._rectangle()
        if not block or rect is None:
            return False
        top, left, bottom, right = rect
        if len(block) == 1 and len(block[0]) == 1:  # one value fills the selection, as in Excel
            block = [[block[0][0]] * (right - left + 1) for _ in range(bottom - top + 1)]
        width = len(block[0])
        for number, values in enumerate(block[1:], start=2):
            if len(values) != width:  # Excel copies rectangles: a ragged block was mangled
                self.show_message(
                    f"Nothing was pasted: row {number} of the pasted block has {len(values)} "
                    f"cell(s) but row 1 has {width}; copy a rectangle."
                )
                return False
        if top + len(block) > self.model().rowCount() or left + width > len(self.budget.years):
            self.show_message("Nothing was pasted: the block does not fit in the grid from here.")
            return False
        cells: list[tuple[int, int, int | None]] = []
        for dr, values in enumerate(block):
            for dc, raw in enumerate(values):
                row, col = top + dr, left + dc
                index = self.model().index(row, col)
                where = f"{self.budget.rows[row].name.strip()}, {self.budget.years[col]}"
                if not self.budget.editable(index):
                    self.show_message(f"Nothing was pasted: {where} cannot be typed into.", index)
                    return False
                try:
                    pence = None if raw.strip() == "" else self.budget.typed_money(raw)
                    cells.append((row, col, pence))
                except BookError as exc:
                    self.show_message(f"Nothing was pasted: {where}: {exc}", index)
                    return False
        if not self.budget.set_cells(cells, "Paste"):
            return False
        self.say(f"Pasted {len(cells)} cell(s) as one step (Ctrl+Z undoes it).")
        return True

    def revert_selection(self) -> None:
        """Put every overridden cell in the selection back to its calculated value."""
        rect = self._rectangle()
        if rect is None or self.budget.session.read_only:
            return
        top, left, bottom, right = rect
        cells: list[tuple[int, int, int | None]] = [
            (r, c, None)
            for r in range(top, bottom + 1)
            for c in range(left, right + 1)
            if self.budget.overridden(r, c)
        ]
        if cells:
            self.budget.set_cells(cells, "Revert")
        else:
            self.show_message("No overridden cell is selected: only overrides can be reverted.")

    def fill_right(self, growth: Decimal) -> bool:
        """From the first selected cell of a row, each next cell = the one before x (1 + growth)."""
        rect = self._rectangle()
        if rect is None:
            return False
        top, left, bottom, right = rect
        if right <= left:
            right = len(self.budget.years) - 1
        cells: list[tuple[int, int, int | None]] = []
        for row in range(top, bottom + 1):
            value = self.budget.pence(row, left)
            for col in range(left + 1, right + 1):
                if not self.budget.editable(self.model().index(row, col)):
                    self.show_message("Fill right needs cells that can be typed into.")
                    return False
                value = int(grow(value, growth))
                cells.append((row, col, value))
        return bool(cells) and self.budget.set_cells(cells, "Fill right")

    def ask_fill_right(self) -> None:
        text, ok = QInputDialog.getText(
            self, "Fill right", "Growth a year (e.g. 2.5%):", text="2.5%"
        )
        if not ok:
            return
        try:
            growth = parse_decimal(
                text if text.strip().endswith("%") else text + "%", "growth", allow_percent=True
            )
        except BookError as exc:
            QMessageBox.warning(self, "Fill right", str(exc))
            return
        self.fill_right(growth)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.copy_action, self.paste_action, self.revert_action, self.fill_action):
            menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(pos))
