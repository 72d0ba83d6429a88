"""The return's Reconciliation sheet: each published figure, the book's, and their difference
as a formula, so a board paper can show the book still reproduces its source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .reconciliation import Reconciled
from .xlsx_layout import cell, safe_text

if TYPE_CHECKING:
    from .return_writer import ReturnWriter

FIRST_ROW = 4  # zero-based: title, subtitle, blank, header
WIDTHS = (6, 34, 6, 9, 14, 14, 12, 8, 50, 40)  # characters; Why and Book rows wrap


def reconciliation_sheet(w: ReturnWriter, rows: list[Reconciled]) -> str:
    """Write the sheet and return its name."""
    ws, name = w.new_sheet("Reconciliation")
    w.header(
        ws,
        "Published figures beside the book",
        "Baseline. Difference = book less published; a difference the source's own rounding"
        " explains is allowed and says why.",
        [
            "Table",
            "Figure",
            "Org",
            "Year",
            "Published",
            "Book",
            "Difference",
            "Allowed",
            "Why",
            "Book rows",
        ],
        4,
        WIDTHS,
    )
    for r, rec in enumerate(rows, start=FIRST_ROW):
        ws.write_string(r, 0, rec.table, w.formats["code"])
        ws.write_string(r, 1, safe_text(rec.figure), w.formats["label"])
        ws.write_string(r, 2, rec.org, w.formats["code"])
        ws.write_string(r, 3, rec.year, w.formats["code"])
        ws.write_number(r, 4, rec.published / 100, w.formats["calc"])
        ws.write_number(r, 5, rec.book / 100, w.formats["calc"])
        w.formula(ws, r, 6, f"={cell(r, 5)}-{cell(r, 4)}", rec.difference / 100, "calc")
        ws.write_number(r, 7, rec.allowed / 100, w.formats["calc"])
        why = safe_text(rec.why or ("" if rec.agrees else "DIFFERS"))
        w.wrapped(ws, r, 8, why, "note", WIDTHS[8])
        w.wrapped(ws, r, 9, safe_text(rec.rows), "note", WIDTHS[9])
    return name
