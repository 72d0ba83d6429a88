"""What every sheet of a return shares: its layout constants, the hidden map of input cells,
the book's identity, and the writer that formats money, formulas, headers and the printed page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xlsxwriter.worksheet import Worksheet

from ..book.anchor import newest_row
from ..book.identity import book_identity as identity_of
from ..book.store import Book
from ..book.structure import Structure
from ..engine.cell_status import ENTERED_CELL, OVERRIDDEN
from .return_map import MAP_SHEET, YEAR_COL, InputMap
from .return_sheet import ReturnSheet
from .xlsx_layout import LINE_HEIGHT, col_letter, safe_text, sheet_name, wrapped_lines

__all__ = [
    "FIRST_DATA_ROW",
    "MAP_SHEET",
    "MONEY",
    "STATUS_WORDS",
    "YEAR_COL",
    "ExportSummary",
    "ReturnWriter",
    "book_identity",
    "chain_hash",
    "pounds",
]

STATUS_WORDS = ("", "calculated", "entered", "overridden")
MONEY = '#,##0;[Red](#,##0);"-"'
FIRST_DATA_ROW = 4  # zero-based: title, subtitle, blank, header


def book_identity(book: Book) -> str:
    """The book's own identity (a book made before identities: its first change-log hash)."""
    return identity_of(book.conn)


def chain_hash(book: Book) -> str:
    """The hash of the book's newest change-log row: the state of the book the return shows."""
    newest = newest_row(book.conn)
    return newest[1] if newest else "unknown"


@dataclass
class ExportSummary:
    path: Path
    sheets: list[str]
    input_cells: int
    formulas: int
    scenario: str = "baseline"  # whose inputs the return holds (the first of a comparison)


@dataclass
class ReturnWriter:
    book: Book
    structure: Structure
    workbook: Any
    formats: dict[str, Any]
    taken: set[str] = field(default_factory=set)
    mapping: InputMap = field(init=False)  # the input cells, for the hidden map sheet
    formulas: int = 0
    heights: dict[tuple[str, int], int] = field(default_factory=dict)  # (sheet, row) -> lines
    #: An input cell's format by its status: yellow if typed, blue if calculated.
    by_status: list[Any] = field(init=False)

    def __post_init__(self) -> None:
        self.mapping = InputMap(self.structure.years)
        typed = (ENTERED_CELL, OVERRIDDEN)
        self.by_status = [
            self.formats["input" if st in typed else "calc"] for st in range(len(STATUS_WORDS))
        ]

    def formula(
        self, ws: Worksheet, row: int, col: int, text: str, value: float, fmt: str = "total"
    ) -> None:
        if isinstance(ws, ReturnSheet):
            ws.write_own_formula(row, col, text, self.formats[fmt], value)
        else:
            ws.write_formula(row, col, text, self.formats[fmt], value)
        self.formulas += 1

    def amount_row(
        self,
        ws: ReturnSheet,
        sheet: str,
        r: int,
        who: tuple[str, str, str, str],
        statuses: Sequence[int],
        pence: Sequence[int],
    ) -> None:
        """A row whose every year is an input cell (yellow if typed, blue if calculated),
        mapped for import as `who` (kind, organisation, line, scenario), and its total as a
        formula: what `amount` and `formula` do cell by cell, once a row, as a national return
        writes 43,000 such rows."""
        formats = self.by_status
        ws.write_numbers(r, YEAR_COL, [p / 100 for p in pence], [formats[st] for st in statuses])
        self.mapping.add_row(sheet, r, who, [STATUS_WORDS[st] for st in statuses], pence)
        n, last = r + 1, col_letter(YEAR_COL + len(pence) - 1)
        total = f"=SUM({col_letter(YEAR_COL)}{n}:{last}{n})"
        self.formula(ws, r, YEAR_COL + len(pence), total, sum(pence) / 100, "calc")

    def amount(
        self,
        ws: Worksheet,
        sheet: str,
        r: int,
        c: int,
        pence: int,
        *,
        typed: bool,
        key: tuple[str, str, str, str, str, str] | None = None,
    ) -> None:
        """A money cell, yellow if typed and blue if calculated; `key` maps it for import.

        key: (kind, organisation, line or budget type, year, scenario, status when exported).
        """
        ws.write_number(r, c, pounds(pence), self.formats["input" if typed else "calc"])
        if key is not None:
            self.mapping.add(sheet, r, c, key, int(pence))

    def wrapped(self, ws: Worksheet, r: int, c: int, text: str, fmt: str, width: float) -> None:
        """Text that wraps if it is wider than its column (`width` characters), the row made
        tall enough for the tallest such cell in it, so nothing prints cut off."""
        lines = wrapped_lines(text, width, bold=fmt == "total_label")
        if lines == 1:
            ws.write_string(r, c, text, self.formats[fmt])
            return
        ws.write_string(r, c, text, self.formats[f"{fmt}_wrap"])
        key = (ws.name, r)
        if lines > self.heights.get(key, 1):
            self.heights[key] = lines
            ws.set_row(r, LINE_HEIGHT * lines)

    def new_sheet(self, title: str) -> tuple[ReturnSheet, str]:
        name = sheet_name(title, self.taken)
        sheet: ReturnSheet = self.workbook.add_worksheet(name, ReturnSheet)
        return sheet, name

    def header(
        self,
        ws: Worksheet,
        title: str,
        subtitle: str,
        columns: list[str],
        label_cols: int,
        widths: Sequence[float],
        *,
        page_breaks: Sequence[int] = (),
    ) -> None:
        """Title, subtitle and column headings, the columns' widths and the page setup.

        widths: characters per column from the first; the last repeats for every other
        heading. The heading row is made tall enough for its longest wrapped heading, so a
        long scenario name does not print over the first row of figures. page_breaks: columns
        that start a new page (the label columns repeat on each); without them the sheet is
        fitted to one page wide.
        """
        ws.write_string(0, 0, safe_text(title), self.formats["title"])
        ws.write_string(1, 0, safe_text(subtitle), self.formats["subtitle"])
        sized = [widths[min(c, len(widths) - 1)] for c in range(max(len(columns), len(widths)))]
        for c, width in enumerate(sized):
            ws.set_column(c, c, width)
        for c, text in enumerate(columns):
            ws.write_string(3, c, text, self.formats["header"])
        lines = max(
            (wrapped_lines(h, sized[c], bold=True) for c, h in enumerate(columns)), default=1
        )
        ws.set_row(3, LINE_HEIGHT * lines + 3)
        ws.freeze_panes(FIRST_DATA_ROW, label_cols)
        if page_breaks:
            ws.set_v_pagebreaks(list(page_breaks))
        self.print_setup(ws, repeat_cols=label_cols, pages_wide=len(page_breaks) + 1)

    def print_setup(
        self,
        ws: Worksheet,
        *,
        repeat_cols: int | None = None,
        landscape: bool = True,
        pages_wide: int = 1,
    ) -> None:
        """A4, fitted to `pages_wide` pages across, the heading row and label columns on every
        page (for a sheet with headings) and a footer naming the sheet and the page, so a
        printed page says where it came from."""
        if landscape:
            ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.fit_to_pages(pages_wide, 0)  # Excel or LibreOffice, whatever the font's width
        ws.set_footer("&L&8&A&R&8Page &P of &N")
        if repeat_cols is not None:
            ws.repeat_rows(3)
        if repeat_cols:
            ws.repeat_columns(0, repeat_cols - 1)
        ws.hide_gridlines(2)


def pounds(pence: int | np.integer) -> float:
    return int(pence) / 100
