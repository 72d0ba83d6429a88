"""A return's worksheet: XlsxWriter's, storing pcbudget's own formulas as written and writing
its common cells and rows itself, each exactly as XlsxWriter would (tests/io/test_return_sheet.py
holds the XML equal to XlsxWriter's own)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from math import isfinite
from typing import Any

from xlsxwriter.worksheet import (
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from .xlsx_layout import col_letter

__all__ = ["OWN_FUNCTIONS", "ReturnSheet"]

#: The functions pcbudget's formulas use, none of which Excel stores under a new name.
OWN_FUNCTIONS = frozenset({"SUM", "SUMIF", "ROUND"})
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")
#: The cells a return's sheet writes itself (XlsxWriter's names for them).
_OWN_KINDS = frozenset({CellNumberTuple, CellStringTuple, CellFormulaTuple})
_column = functools.lru_cache(maxsize=None)(col_letter)  # a column's letters, once


def _own_formula(formula: str) -> bool:
    """Whether a formula is a plain one (not an array formula) using only OWN_FUNCTIONS."""
    return (
        formula not in ("", "=")
        and not formula.startswith("{")
        and not formula.endswith("}")
        and OWN_FUNCTIONS.issuperset(_FUNCTION.findall(formula))
    )


class ReturnSheet(Worksheet):
    """A worksheet that stores pcbudget's own formulas as written and writes its common cells
    itself, each exactly as XlsxWriter would.

    XlsxWriter tries some 30 renamings on every formula for functions newer Excel stores as
    `_xlfn.` names (XLOOKUP, FILTER...): a third of a national return's export, 87,000
    formulas. A formula using only SUM, SUMIF and ROUND needs none; any other goes through
    XlsxWriter's own preparation. `_prepare_formula` and `_write_cell` are XlsxWriter's hooks:
    tests/io/test_return_sheet.py checks that XlsxWriter still calls them and that every
    formula and cell is stored as XlsxWriter would store it.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if _own_formula(formula):
            return formula.removeprefix("=")
        return str(super()._prepare_formula(formula, expand_future_functions))

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        """A number, shared string, or formula with a number for its value, written as
        XlsxWriter writes it without its general path (a return's 600,000 cells spent a
        quarter of the export there); any other cell, or one taking its row's or column's
        style, goes through XlsxWriter's own writer. tests/io/test_return_sheet.py holds
        every kind of cell's XML equal to XlsxWriter's."""
        xml = None if self.constant_memory else self._cell_xml(row, str(row + 1), col, cell)
        if xml is None:
            super()._write_cell(row, col, cell)
        else:
            self.fh.write(xml)

    def write_numbers(
        self, row: int, col: int, numbers: Sequence[float], formats: Sequence[Any]
    ) -> None:
        """Finite numbers in adjacent cells of one row from `col`, each with its format,
        stored as `write_number` stores each: a national return writes 190,000 this way,
        and XlsxWriter's checks of every cell's place were a tenth of the export."""
        if not all(map(isfinite, numbers)) or not self._row_fits(row, col, len(numbers)):
            for c, (number, fmt) in enumerate(zip(numbers, formats, strict=True), col):
                self._write_number(row, c, number, fmt)
            return
        cells = self.table[row]
        for c, (number, fmt) in enumerate(zip(numbers, formats, strict=True), col):
            cells[c] = CellNumberTuple(number, fmt)

    def write_strings(
        self, row: int, col: int, strings: Sequence[str], formats: Sequence[Any]
    ) -> None:
        """Text in adjacent cells of one row from `col`, each with its format, stored as
        `write_string` stores each (as shared strings)."""
        if not self._row_fits(row, col, len(strings)) or any(
            len(text) > self.xls_strmax // 2 for text in strings
        ):  # a long text may need cutting to Excel's limit: XlsxWriter's own path does that
            for c, (text, fmt) in enumerate(zip(strings, formats, strict=True), col):
                self._write_string(row, c, text, fmt)
            return
        cells, shared = self.table[row], self.str_table._get_shared_string_index
        for c, (text, fmt) in enumerate(zip(strings, formats, strict=True), col):
            cells[c] = CellStringTuple(shared(text), fmt)

    def write_own_formula(
        self, row: int, col: int, formula: str, cell_format: Any, value: float
    ) -> None:
        """A formula stored as `write_formula` stores it, without XlsxWriter's search for
        dynamic-array functions where the formula uses only SUM, SUMIF and ROUND (none of
        which is one): 87,000 formulas in a national return. Any other goes its own way."""
        if _own_formula(formula) and self._row_fits(row, col, 1):
            self.table[row][col] = CellFormulaTuple(formula.removeprefix("="), cell_format, value)
        else:
            self._write_formula(row, col, formula, cell_format, value)

    def _row_fits(self, row: int, col: int, count: int) -> bool:
        """Whether `count` cells from (row, col) are all inside the sheet, widening its used
        area to them as XlsxWriter's check of each would; False (nothing widened) if not, or
        if rows are written as they go (constant memory)."""
        if count == 0 or self.constant_memory:
            return False
        if row < 0 or col < 0 or row >= self.xls_rowmax or col + count > self.xls_colmax:
            return False
        self._check_dimensions(row, col)
        self._check_dimensions(row, col + count - 1)
        return True

    def _cell_xml(self, row: int, n: str, col: int, cell: Any) -> str | None:
        """The XML XlsxWriter writes for a number, shared string or formula with a number for
        its value, or None for a cell XlsxWriter's own writer must write. n: the row's number."""
        kind = type(cell)
        if kind not in _OWN_KINDS:
            return None
        fmt = cell.format
        if fmt:
            style = f' s="{fmt._get_xf_index()}"'
        elif self._own_style(row, col):
            style = ""
        else:  # an unstyled cell in a row or column with a style of its own
            return None
        if kind is CellNumberTuple:
            return f'<c r="{_column(col)}{n}"{style}><v>{cell.number:.16G}</v></c>'
        if kind is CellStringTuple:
            return f'<c r="{_column(col)}{n}"{style} t="s"><v>{cell.string}</v></c>'
        if type(cell.value) in (int, float):
            formula = self._escape_data(cell.formula)
            return f'<c r="{_column(col)}{n}"{style}><f>{formula}</f><v>{cell.value}</v></c>'
        return None  # a formula whose value is text, true or false, or an error

    def _calculate_spans(self) -> None:
        """Each block of 16 rows' first and last columns with a cell, as XlsxWriter works them
        out, from each row's own columns rather than every column of the sheet for every row
        (a national return's PCN DES sheet: 9 columns, 50,000 rows)."""
        if self.constant_memory or self.comments:
            super()._calculate_spans()
            return
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for row, cells in self.table.items():
            if cells:
                block = row // 16
                low, high = min(cells), max(cells)
                if block not in first or low < first[block]:
                    first[block] = low
                if block not in last or high > last[block]:
                    last[block] = high
        self.row_spans = {b: f"{first[b] + 1}:{last[b] + 1}" for b in sorted(first)}

    def _write_rows(self) -> None:
        """The sheet's rows, as XlsxWriter writes them, visiting only the rows and cells there
        are rather than every column of every row, and writing a row's cells as one string.
        A sheet with comments goes through XlsxWriter's own loop."""
        if self.constant_memory or self.comments:
            super()._write_rows()
            return
        self._calculate_spans()
        low, high, row_info, spans = self.dim_rowmin, self.dim_rowmax, self.row_info, self.row_spans
        table = self.table
        rows = sorted(
            {r for r, cells in table.items() if cells and low <= r <= high}
            | {r for r in row_info if low <= r <= high}
        )
        col_low, col_high = self.dim_colmin, self.dim_colmax
        # What _cell_xml works out for each cell, once a sheet: the rows and columns with a
        # style of their own, and each format's style attribute (its index is fixed by now).
        styled_rows = {r for r, info in row_info.items() if info.row_format}
        styled_cols = {c for c, info in self.col_info.items() if info.column_format is not None}
        styles: dict[Any, str] = {}
        for row in rows:
            cells = table.get(row)
            span = spans.get(row // 16)
            if not cells:  # a row with a height or style and no cells
                self._write_empty_row(row, span, row_info.get(row))
                continue
            self._write_row(row, span, row_info.get(row))
            n = str(row + 1)
            parts: list[str] = []
            row_styled = row in styled_rows
            for col in sorted(cells):
                if not col_low <= col <= col_high:
                    continue
                cell = cells[col]
                kind: type | None = type(cell)
                fmt = cell.format
                if fmt:
                    style = styles.get(fmt)
                    if style is None:
                        style = styles[fmt] = f' s="{fmt._get_xf_index()}"'
                elif row_styled or col in styled_cols:
                    kind = None  # takes its row's or column's style: XlsxWriter's writer
                else:
                    style = ""
                if kind is CellNumberTuple:
                    parts.append(f'<c r="{_column(col)}{n}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind is CellStringTuple:
                    parts.append(f'<c r="{_column(col)}{n}"{style} t="s"><v>{cell.string}</v></c>')
                elif kind is CellFormulaTuple and type(cell.value) in (int, float):
                    formula = self._escape_data(cell.formula)
                    parts.append(
                        f'<c r="{_column(col)}{n}"{style}><f>{formula}</f><v>{cell.value}</v></c>'
                    )
                else:  # any other cell, or a formula whose value is not a number
                    self.fh.write("".join(parts))
                    parts.clear()
                    super()._write_cell(row, col, cell)
            self.fh.write("".join(parts))
            self._xml_end_tag("row")

    def _own_style(self, row: int, col: int) -> bool:
        """Whether an unstyled cell has no style from its row or column either."""
        info, column = self.row_info.get(row), self.col_info.get(col)
        return (info is None or not info.row_format) and (
            column is None or column.column_format is None
        )
