"""What every sheet of a return shares: its layout constants, the hidden map of input cells,
the book's identity, and the writer that formats money, formulas and headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xlsxwriter.worksheet import Worksheet

from ..book.store import Book
from ..book.structure import Structure
from .xlsx_layout import cell, safe_text, sheet_name

MAP_SHEET = "_pcbudget"
STATUS_WORDS = ("", "calculated", "entered", "overridden")
MAP_HEADER = ("sheet", "cell", "kind", "org", "target", "year", "scenario", "pence", "status")
MONEY = '#,##0;[Red](#,##0);"-"'
FIRST_DATA_ROW = 4  # zero-based: title, subtitle, blank, header
YEAR_COL = 4  # columns: section, line code, line, type, then the years


def book_identity(book: Book) -> str:
    """The book's identity: the hash of its first change-log row, written when it was created."""
    row = book.conn.execute("SELECT hash FROM change_log ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else "unknown"


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
    mapping: list[tuple[Any, ...]] = field(default_factory=list)
    formulas: int = 0

    def formula(
        self, ws: Worksheet, row: int, col: int, text: str, value: float, fmt: str = "total"
    ) -> None:
        ws.write_formula(row, col, text, self.formats[fmt], value)
        self.formulas += 1

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
            kind, org, target, year, scenario, status = key
            self.mapping.append(
                (sheet, cell(r, c), kind, org, target, year, scenario, int(pence), status)
            )

    def new_sheet(self, title: str) -> tuple[Worksheet, str]:
        name = sheet_name(title, self.taken)
        return self.workbook.add_worksheet(name), name

    def header(
        self, ws: Worksheet, title: str, subtitle: str, columns: list[str], label_cols: int
    ) -> None:
        ws.write_string(0, 0, safe_text(title), self.formats["title"])
        ws.write_string(1, 0, safe_text(subtitle), self.formats["subtitle"])
        for c, text in enumerate(columns):
            ws.write_string(3, c, text, self.formats["header"])
        ws.freeze_panes(FIRST_DATA_ROW, label_cols)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        ws.repeat_columns(0, label_cols - 1)
        ws.hide_gridlines(2)


def pounds(pence: int | np.integer) -> float:
    return int(pence) / 100
