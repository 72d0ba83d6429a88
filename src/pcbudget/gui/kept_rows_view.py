"""The table of a kept-rows grid (the 6,500 practices), painted in one Python pass a frame.

Qt's table paints cell by cell through the style, asking the model for each cell's flags and
index (calls from C++ into Python) and laying its text out through the style: about 16 ms a
frame at national scale. This view reads each shown row once from the grid's kept rows and
draws the cells with the painter: tint, selection highlight, text in its colour and alignment,
then the grid lines, as Qt's table and the Fusion style draw them. A cell the plain drawing
would not show as Qt does (the current cell with its focus frame, a text too wide for its
cell, to be elided) is painted by the item delegate as Qt would. The grid's kept rows carry no
fonts, icons or check boxes (as `KeptRowsDelegate` assumes too).
"""

from __future__ import annotations

import string
from collections.abc import Callable

from PySide6.QtCore import QLine, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView, QWidget

from .year_grid import (
    ALIGN_ROLE,
    BACK_ROLE,
    FORE_ROLE,
    TEXT_ROLE,
    KeptRowsDelegate,
    KeptRowsGrid,
)

State = QStyle.StateFlag
#: Qt.TextDontClip: the text is measured to fit its cell first, so no clip a cell is needed.
_NO_CLIP = int(Qt.TextFlag.TextDontClip)
_VERTICAL = int(Qt.AlignmentFlag.AlignVertical_Mask)
_VCENTER, _BOTTOM = int(Qt.AlignmentFlag.AlignVCenter), int(Qt.AlignmentFlag.AlignBottom)
_TOP = int(Qt.AlignmentFlag.AlignTop)
#: Characters whose advances are kept per font: a text of only these is measured by summing.
_KNOWN = string.digits + string.ascii_letters + " ,.()-£%+/"


class KeptRowsView(QTableView):
    """A QTableView over a `KeptRowsGrid` that paints its shown cells itself (one pass a frame,
    no call per cell into Python); editing, selection and keys are the table's own."""

    def __init__(self, grid: KeptRowsGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self._sizes: _FontSizes | None = None
        self._placers: dict[int, Callable[[int, int], tuple[int, int]]] = {}  # by line height
        # The cells left to the delegate (the current one, an elided text) read the kept rows.
        self.setItemDelegate(KeptRowsDelegate(grid, self))
        #: Paint as Qt's own table does (cell by cell through the delegate): the picture this
        #: view's painting is held to.
        self.as_qt = False

    def _font_sizes(self, option: QStyleOptionViewItem) -> _FontSizes:
        """The cells' font measured (kept until the font changes)."""
        if self._sizes is None or self._sizes.key != option.font.key():
            self._sizes = _FontSizes(option.font)
        return self._sizes

    @staticmethod
    def _placer(line: int) -> Callable[[int, int], tuple[int, int]]:
        """Where a line of text `line` high goes in a cell `h` high for an alignment, as the
        style places it (`QStyle.alignedRect` of the text's whole-pixel height): the flags to
        draw it with, top-aligned in its line, and how far below the cell's top its line is."""
        known: dict[tuple[int, int], tuple[int, int]] = {}

        def placed(align: int, h: int) -> tuple[int, int]:
            key = (align, h)
            found = known.get(key)
            if found is None:
                vertical = align & _VERTICAL
                drop = (
                    int((h - line) / 2)
                    if vertical == _VCENTER
                    else h - line
                    if vertical == _BOTTOM
                    else 0
                )
                found = known[key] = ((align & ~_VERTICAL) | _TOP | _NO_CLIP, drop)
            return found

        return placed

    def paintEvent(self, event: QPaintEvent) -> None:
        grid, vh, hh = self.grid, self.verticalHeader(), self.horizontalHeader()
        if self.as_qt or self._unusual():
            super().paintEvent(event)
            return
        if not grid.rowCount() or not grid.columnCount() or hh.count() == 0:
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        style = self.style()
        port = self.viewport()
        area = event.rect()
        right_edge = hh.length() - hh.offset() - 1
        bottom_edge = vh.length() - vh.offset() - 1
        area.setBottom(min(area.bottom(), bottom_edge))
        area.setRight(min(area.right(), right_edge))
        top, bottom = vh.visualIndexAt(area.top()), vh.visualIndexAt(area.bottom())
        left, right = hh.visualIndexAt(area.left()), hh.visualIndexAt(area.right())
        if top < 0 or area.isEmpty():
            return
        bottom = grid.rowCount() - 1 if bottom < 0 else bottom
        left, right = max(left, 0), hh.count() - 1 if right < 0 else right
        grid_size = 1 if self.showGrid() else 0
        columns = [
            (c, self.columnViewportPosition(c), self.columnWidth(c) - grid_size)
            for c in range(left, right + 1)
            if not self.isColumnHidden(c)
        ]
        rows = [
            (r, self.rowViewportPosition(r), self.rowHeight(r) - grid_size)
            for r in range(top, bottom + 1)
            if not self.isRowHidden(r)
        ]

        enabled = bool(option.state & State.State_Enabled)
        group = (
            QPalette.ColorGroup.Disabled
            if not enabled
            else QPalette.ColorGroup.Normal
            if option.state & State.State_Active
            else QPalette.ColorGroup.Inactive
        )
        palette = option.palette
        text_colour = palette.color(group, QPalette.ColorRole.Text)
        chosen_text = palette.color(group, QPalette.ColorRole.HighlightedText)
        highlight = palette.brush(group, QPalette.ColorRole.Highlight)
        default_align = int(option.displayAlignment)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        sizes = self._font_sizes(option)
        fits, line = sizes.fits, sizes.line
        placed = self._placers.get(line) or self._placers.setdefault(line, self._placer(line))

        selected = self._selected(top, bottom)
        current = self.currentIndex()
        special = (current.row(), current.column()) if current.isValid() else (-1, -1)

        painter = QPainter(port)
        painter.setFont(option.font)
        pen: QColor | None = None
        later: list[tuple[int, int, QRect]] = []
        for r, y, h in rows:
            kept = grid.kept_row(r)
            texts, aligns = kept[TEXT_ROLE], kept[ALIGN_ROLE]
            fores, backs = kept[FORE_ROLE], kept[BACK_ROLE]
            chosen_cols = selected.get(r)
            for c, x, w in columns:
                if (r, c) == special:
                    later.append((r, c, QRect(x, y, w, h)))
                    continue
                text = texts[c]
                width = w - 2 * margin
                if text and not fits(text, width):
                    later.append((r, c, QRect(x, y, w, h)))  # to be elided, as Qt does
                    continue
                chosen = chosen_cols is not None and c in chosen_cols
                if chosen:
                    painter.fillRect(x, y, w, h, highlight)
                    colour = chosen_text
                else:
                    back = backs[c]
                    if back is not None:
                        painter.fillRect(x, y, w, h, back)
                    fore = fores[c]
                    colour = text_colour if fore is None else fore
                if text:
                    if colour is not pen:
                        painter.setPen(colour)
                        pen = colour
                    align = aligns[c]
                    flags, drop = placed(default_align if align is None else align, h)
                    painter.drawText(x + margin, y + drop, width, line, flags, text)
        for r, c, rect in later:
            self._paint_as_qt(painter, option, r, c, rect, selected, special)
        if grid_size:
            self._paint_grid(painter, option, rows, columns, area)
        painter.end()

    def _unusual(self) -> bool:
        """A table this painting does not cover (another model than its grid, a style other
        than Fusion, whose table it draws as, such as Windows' own, wrapped text, alternating
        row colours, a disabled table, a style sheet, right-to-left, moved sections, spans),
        left to Qt's own."""
        return (
            self.model() is not self.grid
            or self.style().name().lower() != "fusion"
            or self.wordWrap()
            or self.alternatingRowColors()
            or not self.isEnabled()
            or self.style().metaObject().className() == "QStyleSheetStyle"
            or self.isRightToLeft()
            or self.horizontalHeader().sectionsMoved()
            or self.verticalHeader().sectionsMoved()
            or self.rowSpan(0, 0) != 1
            or self.columnSpan(0, 0) != 1
        )

    def _selected(self, top: int, bottom: int) -> dict[int, set[int]]:
        """The selected columns of each shown row that has any (read from the selection's ranges
        once a frame, not asked cell by cell)."""
        chosen: dict[int, set[int]] = {}
        model = self.selectionModel()
        if model is None:
            return chosen
        selection = model.selection()
        for i in range(selection.size()):
            span = selection.at(i)
            cols = range(span.left(), span.right() + 1)
            for r in range(max(span.top(), top), min(span.bottom(), bottom) + 1):
                chosen.setdefault(r, set()).update(cols)
        return chosen

    def _paint_as_qt(
        self,
        painter: QPainter,
        base: QStyleOptionViewItem,
        row: int,
        col: int,
        rect: QRect,
        selected: dict[int, set[int]],
        current: tuple[int, int],
    ) -> None:
        """One cell painted as Qt's table paints it: the row panel, then the item delegate."""
        option = QStyleOptionViewItem(base)
        option.rect = rect
        if col in selected.get(row, ()):
            option.state |= State.State_Selected
        if (row, col) == current and (self.hasFocus() or self.viewport().hasFocus()):
            option.state |= State.State_HasFocus
        if option.state & State.State_Enabled:
            option.palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
        index = self.grid.index(row, col)
        self.style().drawPrimitive(
            QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, self
        )
        self.itemDelegateForIndex(index).paint(painter, option, index)

    def _paint_grid(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        rows: list[tuple[int, int, int]],
        columns: list[tuple[int, int, int]],
        area: QRect,
    ) -> None:
        """The grid lines, where Qt's table draws them: under each row, right of each column."""
        hint = self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
        painter.setPen(QColor.fromRgba(hint & 0xFFFFFFFF))
        pen = painter.pen()
        pen.setStyle(self.gridStyle())
        pen.setWidth(0)
        painter.setPen(pen)
        left, right, top, bottom = area.left(), area.right(), area.top(), area.bottom()
        lines = [QLine(left, y + h, right, y + h) for _r, y, h in rows]
        lines += [QLine(x + w, top, x + w, bottom) for _c, x, w in columns]
        painter.drawLines(lines)


class _FontSizes:
    """A font's line height and character advances, so whether a text fits its cell is mostly
    a sum of kept advances rather than a measurement (a call into Qt's shaping) per cell."""

    def __init__(self, font: QFont) -> None:
        self.key = font.key()
        self.metrics = QFontMetricsF(font)
        #: The whole-pixel height the style gives a line of text: its layout's bounding size,
        #: rounded half up as Qt's qRound does (not round(), which rounds half to even).
        self.line = int(self.metrics.height() + 0.5)
        self._advance = {c: self.metrics.horizontalAdvance(c) for c in _KNOWN}

    def fits(self, text: str, width: int) -> bool:
        """Whether `text` fits `width` unelided (as the style decides: its natural width, not
        rounded, is no wider); a pixel of slack leaves kerned pairs to the measurement."""
        try:
            if sum(map(self._advance.__getitem__, text)) <= width - 1:
                return True
        except KeyError:
            pass
        return self.metrics.horizontalAdvance(text) <= width
