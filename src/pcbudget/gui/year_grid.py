"""What every grid over the book's years shares, so each grid keeps only what is its own.

The year columns and their headers (with any label columns before them and a total after),
pence shown one way (£ whole pounds, or £k to one place, negatives in brackets), figures
right-aligned, typing only where the book is writable, and a refused edit said at the cell
(`GridModel.refuse`, which `SheetView` and the window show). A grid of many rows keeps each
row worked out once per change (`KeptRowsGrid`), so scrolling paints from plain strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QStatusBar,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from ..book.money import format_money
from .amounts import amount_text, parse_amount
from .grid_model import ALIGN_RIGHT, READ, GridModel, Index
from .session import Session

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
#: The roles a kept row is read by when painted (plain ints, as Qt passes roles to `data`).
TEXT_ROLE, ALIGN_ROLE = int(DISPLAY), int(ALIGNMENT)
FORE_ROLE, BACK_ROLE = int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.BackgroundRole)
TOOLTIP_ROLE = int(TOOLTIP)
_VERTICAL = Qt.Orientation.Vertical


def format_amount(pence: int, unit: str) -> str:
    """Pence as every grid shows them: whole pounds in £, one decimal place in £k."""
    return format_money(pence, unit=unit, decimals=0 if unit == "£" else 1)


class YearGridModel(GridModel):
    """Columns: `leading` labels, then `per_year()` columns for each of the book's years, then
    the `trailing` column (a total, a growth rate) if there is one.

    Subclasses give `rows`, `cell(row, col, role)`, the row headers and, for grids that take
    typing, `can_type` and `type_into`; the unit switch (£ / £k) repaints every year grid.
    """

    #: Header text of the label columns before the years (organisation, scenario...).
    leading: tuple[str, ...] = ()
    #: Header text of the column after the years, or None for no such column.
    trailing: str | None = None

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        session.unitChanged.connect(self._unit_changed)

    def _unit_changed(self, _unit: str) -> None:
        self.all_changed()

    # -- columns -------------------------------------------------------------------------------
    @property
    def years(self) -> list[str]:
        return self.session.structure.years

    def per_year(self) -> int:
        """How many columns each year has (the rates grid has a £ rate and months)."""
        return 1

    def trailing_header(self) -> str | None:
        return self.trailing

    def column_count(self) -> int:
        extra = 1 if self.trailing_header() is not None else 0
        return len(self.leading) + len(self.years) * self.per_year() + extra

    def year_of(self, col: int) -> int | None:
        """The year index of a column, or None for a label or the trailing column."""
        c, each = col - len(self.leading), self.per_year()
        return c // each if 0 <= c < len(self.years) * each else None

    def part_of_year(self, col: int) -> int:
        """Which of its year's columns this is (0 when each year has one)."""
        return (col - len(self.leading)) % max(1, self.per_year())

    def is_trailing(self, col: int) -> bool:
        """Whether this is the column after the years (the row's total, a growth rate)."""
        return col >= len(self.leading) + len(self.years) * self.per_year()

    # -- headers -------------------------------------------------------------------------------
    def year_header(self, year: int, part: int) -> str:
        return self.years[year]

    def column_header(self, section: int) -> str | None:
        if section < len(self.leading):
            return self.leading[section]
        year = self.year_of(section)
        if year is None:
            return self.trailing_header()
        return self.year_header(year, self.part_of_year(section))

    def row_header(self, section: int) -> Any:
        return None

    def row_tooltip(self, section: int) -> str | None:
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == DISPLAY:
            return self.column_header(section) if horizontal else self.row_header(section)
        if role == TOOLTIP and not horizontal and section < self.rowCount():
            return self.row_tooltip(section)
        return None

    # -- cells ---------------------------------------------------------------------------------
    def is_figure(self, col: int) -> bool:
        """Whether a column holds figures (right-aligned) rather than labels."""
        return col >= len(self.leading)

    def cell(self, row: int, col: int, role: int) -> Any:
        """What one cell answers for a role (alignment is the base's)."""
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == ALIGNMENT:
            return ALIGN_RIGHT if self.is_figure(index.column()) else None
        return self.cell(index.row(), index.column(), role)

    def money(self, pence: int) -> str:
        """Pence shown in the unit the user chose (£ or £k)."""
        return format_amount(pence, self.session.unit)

    def money_to_type(self, pence: int) -> str:
        """Pence as the editor and the clipboard give them: exact, in the view's unit."""
        return amount_text(pence, self.session.unit)

    def typed_money(self, text: str) -> int:
        """Typed text in the view's unit to pence (BookError, with the user's words, if not)."""
        return parse_amount(text, self.session.unit)

    # -- typing --------------------------------------------------------------------------------
    def can_type(self, row: int, col: int) -> bool:
        """Whether this cell takes typing when the book is writable (no cell, by default)."""
        return False

    def editable(self, index: Index) -> bool:
        return not self.session.read_only and self.can_type(index.row(), index.column())

    def type_into(self, index: Index, text: str) -> bool:
        """Turn text typed into a cell into one undoable change (or a refusal at the cell)."""
        return False

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid():
            return False
        return self.type_into(index, str(value))


#: The key of a kept row's flags (no Qt role is negative).
FLAGS = -1
#: A kept row's figures as pence, for grids that keep them too (`line_grid`).
PENCE = -2

#: A row as a large grid keeps it: for each role painted (and FLAGS), a value per column.
ShownRow = dict[int, Sequence[Any]]


class KeptRowsGrid(YearGridModel):
    """A year grid of many rows (the 6,500 practices of a national book) that works each row
    out once per change (`shown_row`), so a scroll, which asks every cell shown for seven
    roles, its flags and the counts, is answered by lookups."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._kept: dict[int, ShownRow] = {}
        self._headers: dict[int, Any] = {}
        self._columns: int | None = None
        self.modelAboutToBeReset.connect(self._forget)
        self.modelReset.connect(self._forget)

    def _forget(self) -> None:
        self._kept.clear()
        self._headers.clear()
        self._columns = None

    def shown_row(self, row: int) -> ShownRow:
        """A row's roles and FLAGS worked out at once (roles left out are asked of `cell`)."""
        raise NotImplementedError

    def kept_row(self, row: int) -> ShownRow:
        """`shown_row(row)`, worked out once until the grid next changes."""
        kept = self._kept.get(row)
        if kept is None:
            kept = self._kept[row] = self.shown_row(row)
        return kept

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self._columns is None:
            self._columns = self.column_count()
        return self._columns

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        row = index.row()
        kept = self._kept.get(row)
        if kept is None:
            if row < 0:  # an invalid index
                return None
            kept = self.kept_row(row)
        values = kept.get(role)
        if values is not None:
            return values[index.column()]
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        """Row headers answered from a kept text: Qt asks each shown row's header for seven
        roles a paint, and only its text and tooltip are ever set."""
        if orientation is not _VERTICAL or role == TOOLTIP_ROLE:
            return super().headerData(section, orientation, role)
        if role != TEXT_ROLE:
            return None
        text = self._headers.get(section)
        if text is None:
            text = self._headers[section] = self.row_header(section)
        return text

    def flags(self, index: Index) -> Qt.ItemFlag:
        row = index.row()
        kept = self._kept.get(row)
        if kept is None:
            if row < 0:
                return Qt.ItemFlag.NoItemFlags
            kept = self.kept_row(row)
        return READ if self.session.read_only else kept[FLAGS][index.column()]

    def all_changed(self) -> None:
        self._forget()
        super().all_changed()


class KeptRowsDelegate(QStyledItemDelegate):
    """Qt's own delegate for a KeptRowsGrid, painting from the kept row: the text, alignment,
    foreground and background Qt would ask of the model one role at a time (seven calls a
    cell) are read in one (the grid's rows carry no fonts, icons or check boxes)."""

    def __init__(self, grid: KeptRowsGrid, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self._aligned: dict[int, Qt.AlignmentFlag] = {}

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        kept, col = self.grid.kept_row(index.row()), index.column()
        option.index = cast(QModelIndex, index)  # a view paints with plain indexes
        align = kept[ALIGN_ROLE][col]
        if align is not None:
            aligned = self._aligned.get(align)
            if aligned is None:
                aligned = self._aligned[align] = Qt.AlignmentFlag(align)
            option.displayAlignment = aligned
        foreground = kept[FORE_ROLE][col]
        if foreground is not None:
            palette = option.palette
            palette.setBrush(QPalette.ColorRole.Text, QBrush(foreground))
            option.palette = palette
        text = kept[TEXT_ROLE][col]
        if text is not None:
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
            option.text = text
        background = kept[BACK_ROLE][col]
        if background is not None:
            option.backgroundBrush = QBrush(background)
        option.styleObject = None  # type: ignore[assignment]  # as Qt's: no animations in cells


def year_table(status: QStatusBar, model: YearGridModel) -> QTableView:
    """A plain table of a year grid (no copy-paste sheet behaviour): one line a row, years
    110 wide, a refused edit said in the window's `status` bar, a kept-rows grid painted from
    its rows."""
    from .kept_rows_view import KeptRowsView  # it builds on this module's roles

    view = KeptRowsView(model) if isinstance(model, KeptRowsGrid) else QTableView()
    view.setModel(model)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    view.horizontalHeader().setMinimumSectionSize(90)
    view.horizontalHeader().setDefaultSectionSize(110)
    model.editRefused.connect(lambda _i, message: status.showMessage(message, 8000))
    return view
