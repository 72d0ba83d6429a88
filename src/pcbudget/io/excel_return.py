"""Excel returns out: a workbook of real numbers and live formulas, written with XlsxWriter.

Input cells (entered and overridden amounts, allocations) are yellow and calculated cells blue,
as in NHS planning templates; every total, subtotal, headroom and variance is a formula whose
cached result is the engine's figure, so readers that do not recalculate still see totals. A
very hidden `_pcbudget` sheet names the book (A1:B1) and its newest change-log hash (C1:D1),
and maps each input cell to its organisation, line and year, so a return edited in Excel can be
read back (`return_import.py`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from ..book.actuals import actual_years
from ..book.anchor import record
from ..book.errors import BookError
from ..book.store import Book
from ..book.structure import load_structure
from ..engine.children import children as children_of
from ..engine.compare import scenario_results
from .actuals_sheet import actuals_sheet
from .budget_year import year_months
from .collector import collector_paused
from .reconciliation import reconcile
from .reconciliation_sheet import reconciliation_sheet
from .return_budget_sheet import budget_sheet
from .return_detail_sheets import comparison_sheet, leftshift_sheet, section_sheet
from .return_notes_sheets import about_sheet, assumptions_sheet
from .return_population_sheet import populations_sheet
from .return_workbook import ReturnWorkbook
from .return_writer import (
    MAP_SHEET,
    MONEY,
    ExportSummary,
    ReturnWriter,
    book_identity,
    chain_hash,
)
from .xlsx_layout import col_letter


@collector_paused()  # a million objects until the save, none of them garbage
def export_return(
    book: Book,
    path: str | os.PathLike[str],
    *,
    scenarios: list[str] | None = None,
    org: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ExportSummary:
    """Write the return for `org` (default the top organisation) under one or more scenarios."""
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise BookError("A return is an .xlsx workbook: give the file name ending in .xlsx.")
    if not out.parent.exists():
        raise BookError(f"The folder {out.parent} does not exist.")
    s = load_structure(book.conn)
    names = [s.scenario(n).name for n in (scenarios or ["baseline"])]
    root = s.org(org) if org else s.root
    step = progress or (lambda _f, _m: None)
    temp = out.with_name(f".{out.name}.writing")
    workbook = ReturnWorkbook(
        str(temp),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # Each sheet's XML in memory, not a temporary file written, zipped and deleted: a
            # national return's 36 MB of XML costs seconds on a slow or scanned disk.
            "in_memory": True,
        },
    )
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "subtitle": workbook.add_format({"italic": True, "font_color": "#595959"}),
        "header": workbook.add_format(
            {
                "bold": True,
                "bg_color": "#D9E1F2",
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        ),
        "label": None,  # the default style: no style index to write in every label cell
        "code": workbook.add_format({"font_color": "#595959"}),
        "note": workbook.add_format({"font_color": "#595959", "text_wrap": False}),
        "note_wrap": workbook.add_format({"font_color": "#595959", "text_wrap": True}),
        "note_top": workbook.add_format(
            {"font_color": "#595959", "text_wrap": True, "valign": "top"}
        ),
        "label_wrap": workbook.add_format({"text_wrap": True}),
        "total_label_wrap": workbook.add_format({"bold": True, "text_wrap": True}),
        "label_top": workbook.add_format({"valign": "top"}),
        "about_text": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "about_label": workbook.add_format({"bold": True, "valign": "top"}),
        "total_label": workbook.add_format({"bold": True}),
        "input": workbook.add_format(
            {"num_format": MONEY, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"}
        ),
        "input_count": workbook.add_format({"num_format": "#,##0", "bg_color": "#FFF2CC"}),
        "input_rate": workbook.add_format({"num_format": "0.0000", "bg_color": "#FFF2CC"}),
        "input_pct": workbook.add_format({"num_format": "0.00%", "bg_color": "#FFF2CC"}),
        **{  # left-shift parameters, as the grid shows them: shares in %, unit costs in £
            f"param_{kind}": workbook.add_format(
                {"num_format": fmt, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"}
                | {"valign": "top"}
            )
            for kind, fmt in (
                ("percent", "0.0#%"),
                ("money", "£#,##0.00"),
                ("pounds", "£#,##0"),
                ("count", "#,##0"),
                ("text", "@"),
            )
        },
        "calc": workbook.add_format({"num_format": MONEY, "bg_color": "#DDEBF7"}),
        "calc_count": workbook.add_format({"num_format": "#,##0", "bg_color": "#DDEBF7"}),
        "total": workbook.add_format(
            {"num_format": MONEY, "bold": True, "bg_color": "#DDEBF7", "top": 1}
        ),
        "grand": workbook.add_format(
            {"num_format": MONEY, "bold": True, "bg_color": "#BDD7EE", "top": 1, "bottom": 6}
        ),
    }
    w = ReturnWriter(book, s, workbook, formats)
    try:
        step(0.05, "Computing scenarios")
        results = dict(scenario_results(book.conn, names))
        first = results[names[0]]
        o = first.snapshot.org_index[root.id]
        sheets = [budget_sheet(w, first, o, "Summary", names[0])]
        children = children_of(first.snapshot, o)  # in any year: one may move in later
        for k, child in enumerate(children):
            step(0.1 + 0.5 * k / max(1, len(children)), f"Writing {s.orgs[child].code}")
            sheets.append(budget_sheet(w, first, child, s.orgs[child].code, names[0]))
        step(0.65, "Writing PCN DES and GPFV")
        for section, title in (("pcn", "PCN DES"), ("gpfv", "GPFV")):
            made = section_sheet(w, first, o, section, title, names[0])
            if made:
                sheets.append(made)
        for n in names:
            made = leftshift_sheet(w, results[n], n)
            if made:
                sheets.append(made)
        if len(names) > 1:
            sheets.append(comparison_sheet(w, results, names, o))
        step(0.8, "Writing assumptions")
        made = populations_sheet(w, first, o)
        if made:
            sheets.append(made)
        sheets.append(assumptions_sheet(w, first, o))
        years = actual_years(book, len(s.years))
        if years:  # the budget year under way: plan against actual
            ym = year_months(book, first, years[-1])
            sheets.append(actuals_sheet(w, first, ym, [o, *children]))
        published = reconcile(book, first)
        if published:
            sheets.append(reconciliation_sheet(w, published))
        about_sheet(w, book, names, root.code)
        hidden, _ = w.new_sheet(MAP_SHEET)
        w.mapping.write(hidden, book_identity(book), chain_hash(book))
        hidden.very_hidden()
        step(0.9, "Saving the workbook")
        workbook.close()
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(Exception):  # the original error is what matters
            workbook.close()
        temp.unlink(missing_ok=True)
        raise
    record(book.conn, book.path)  # this computer has seen the book as the return shows it
    step(1.0, "Done")
    return ExportSummary(out, sheets, w.mapping.cells, w.formulas, names[0])


__all__ = ["ExportSummary", "book_identity", "col_letter", "export_return"]
