"""Excel returns out: a workbook of real numbers and live formulas, written with XlsxWriter.

Input cells (entered and overridden amounts, allocations) are yellow and calculated cells blue,
as in NHS planning templates; every total, subtotal, headroom and variance is a formula whose
cached result is the engine's figure, so readers that do not recalculate still see totals. A
very hidden `_pcbudget` sheet maps each input cell to its organisation, line and year, so a
return edited in Excel can be read back (`return_import.py`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..book.errors import BookError
from ..book.lock import current_user
from ..book.store import Book
from ..book.structure import Structure, load_structure
from ..book.versions import list_versions
from ..engine.compare import compare, scenario_results
from ..engine.compute import NOT_HELD, Results
from ..engine.explain import rate_caveat
from ..engine.leftshift import MEASURES as LS_MEASURES
from ..engine.leftshift import compute_leftshift
from ..engine.months import year_months
from ..engine.summary import summary_rows
from .actuals_sheet import actuals_sheet
from .reconciliation import reconcile
from .reconciliation_sheet import reconciliation_sheet
from .xlsx_layout import area, cell, col_letter, defined_name, quoted, safe_text, sheet_name

MAP_SHEET = "_pcbudget"
_STATUS_WORDS = ("", "calculated", "entered", "overridden")
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


@dataclass
class _Writer:
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
        ws.write_number(r, c, _pounds(pence), self.formats["input" if typed else "calc"])
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


def _pounds(pence: int | np.integer) -> float:
    return int(pence) / 100


def _budget_sheet(w: _Writer, res: Results, org: int, title: str, scenario: str) -> str:
    """An organisation's lines by year with section totals, budget types, allocation, headroom."""
    s = w.structure
    years = s.years
    ws, name = w.new_sheet(title)
    org_obj = s.orgs[org]
    w.header(
        ws,
        f"{org_obj.code} {org_obj.name}",
        f"Scenario: {scenario}. Pounds. Yellow: input; blue: calculated.",
        ["Section", "Line code", "Line", "Type", *years, f"{len(years)}-year total"],
        YEAR_COL,
    )
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 50)
    ws.set_column(3, 3, 6)
    ws.set_column(YEAR_COL, YEAR_COL + len(years), 14)
    total_col = YEAR_COL + len(years)
    status = res.status_at(org)
    line_index = {ln.code: i for i, ln in enumerate(s.lines)}
    notes = res.snapshot.notes
    rows = summary_rows(res, org)
    r = FIRST_DATA_ROW
    first_line = r
    section_rows: list[int] = []
    section_start = r
    type_rows: dict[str, int] = {}
    alloc_rows: dict[str, int] = {}
    balance_rows: dict[str, list[int]] = {}  # budget type -> rows of its balancing lines
    line_rows: list[tuple[int, int]] = []  # (sheet row, line index) of every line written
    year_type = res.snapshot.year_type
    for row in rows:
        if row.kind == "line":
            li = line_index[row.line]
            line_rows.append((r, li))
            if s.lines[li].basis == "balance":
                balance_rows.setdefault(row.budget_type, []).append(r)
            if r == section_start or section_start is None:
                section_start = r
            ws.write_string(r, 0, safe_text(s.section(row.section).name), w.formats["label"])
            ws.write_string(r, 1, row.line, w.formats["code"])
            ws.write_string(r, 2, safe_text(row.name), w.formats["label"])
            ws.write_string(r, 3, row.budget_type, w.formats["code"])
            by_year = s.types_by_year(s.lines[li])
            if len(set(by_year)) > 1:
                told = ", ".join(f"{y} {t}" for y, t in zip(years, by_year, strict=True))
                ws.write_comment(r, 3, f"Budget type by year: {told}")
            for y in range(len(years)):
                st = int(status[li, y])
                held = st != NOT_HELD
                typed = held and (
                    res.snapshot.entered_set[org, li, y]
                    or s.lines[li].basis == "entered"
                    or (s.lines[li].basis == "uplift" and y == 0)
                )
                key = ("amount", org_obj.code, row.line, years[y], scenario, _STATUS_WORDS[st])
                w.amount(
                    ws,
                    name,
                    r,
                    YEAR_COL + y,
                    int(row.pence[y]),
                    typed=bool(typed),
                    key=key if held else None,
                )
                said = [notes.get((org, li, y))]
                if not typed:  # a calculated figure on a rate carried forward or provisional
                    said.append(rate_caveat(res, li, y))
                told = "\n".join(t for t in said if t)
                if told:
                    ws.write_comment(r, YEAR_COL + y, safe_text(told)[:2000])
            w.formula(
                ws,
                r,
                total_col,
                f"=SUM({cell(r, YEAR_COL)}:{cell(r, total_col - 1)})",
                _pounds(row.pence.sum()),
                "calc",
            )
            r += 1
        elif row.kind == "section_total":
            ws.write_string(r, 2, safe_text(row.name), w.formats["total_label"])
            for y in range(len(years) + 1):
                c = YEAR_COL + y
                value = row.pence.sum() if y == len(years) else row.pence[y]
                w.formula(
                    ws, r, c, f"=SUM({cell(section_start, c)}:{cell(r - 1, c)})", _pounds(value)
                )
            section_rows.append(r)
            r += 2
            section_start = r
        elif row.kind == "budget_type":
            last_line = section_rows[-1] if section_rows else r
            ws.write_string(r, 2, safe_text(row.name), w.formats["total_label"])
            ws.write_string(r, 3, row.line, w.formats["code"])
            t_idx = res.snapshot.type_index[row.line]
            moves = any((year_type[li] != year_type[li, 0]).any() for _, li in line_rows)
            for y in range(len(years) + 1):
                c = YEAR_COL + y
                value = row.pence.sum() if y == len(years) else row.pence[y]
                if not moves:
                    text = (
                        f"=SUMIF({area(first_line, 3, last_line, 3, absolute=True)},"
                        f'"{row.line}",{cell(first_line, c)}:{cell(last_line, c)})'
                    )
                elif y == len(years):
                    text = f"=SUM({cell(r, YEAR_COL)}:{cell(r, c - 1)})"
                else:  # a line's type changes between years: name this year's lines of the type
                    mine = [cell(lr, c) for lr, li in line_rows if year_type[li, y] == t_idx]
                    text = "=" + ("+".join(mine) if mine else "0")
                w.formula(ws, r, c, text, _pounds(value))
            type_rows[row.line] = r
            r += 1
        elif row.kind == "allocation":
            ws.write_string(r, 2, safe_text(row.name), w.formats["label"])
            ws.write_string(r, 3, row.line, w.formats["code"])
            t = res.snapshot.type_index[row.line]
            for y in range(len(years)):
                own = bool(res.snapshot.alloc_set[org, t, y])
                key = ("allocation", org_obj.code, row.line, years[y], scenario, "entered")
                w.amount(
                    ws,
                    name,
                    r,
                    YEAR_COL + y,
                    int(row.pence[y]),
                    typed=own,
                    key=key if own else None,
                )
            w.formula(
                ws,
                r,
                total_col,
                f"=SUM({cell(r, YEAR_COL)}:{cell(r, total_col - 1)})",
                _pounds(row.pence.sum()),
                "calc",
            )
            alloc_rows[row.line] = r
            r += 1
        elif row.kind == "headroom":
            ws.write_string(r, 2, safe_text(row.name), w.formats["total_label"])
            for y in range(len(years) + 1):
                c = YEAR_COL + y
                value = row.pence.sum() if y == len(years) else row.pence[y]
                # Allocation less committed spend: the balancing lines are what is left, not spend.
                reserve = "".join(f"+{cell(b, c)}" for b in balance_rows.get(row.line, []))
                w.formula(
                    ws,
                    r,
                    c,
                    f"={cell(alloc_rows[row.line], c)}-{cell(type_rows[row.line], c)}{reserve}",
                    _pounds(value),
                )
            r += 1
        elif row.kind == "total":
            r += 1
            ws.write_string(r, 2, "Total", w.formats["total_label"])
            for y in range(len(years) + 1):
                c = YEAR_COL + y
                value = row.pence.sum() if y == len(years) else row.pence[y]
                parts = ",".join(cell(sr, c) for sr in section_rows) or "0"
                w.formula(ws, r, c, f"=SUM({parts})", _pounds(value), "grand")
            w.workbook.define_name(
                defined_name(f"{org_obj.code}_total"),
                f"={quoted(name)}!{area(r, YEAR_COL, r, total_col, absolute=True)}",
            )
            r += 1
    w.workbook.define_name(
        defined_name(f"{org_obj.code}_budget"),
        f"={quoted(name)}!{area(FIRST_DATA_ROW, 0, r - 1, total_col, absolute=True)}",
    )
    return name


def _section_sheet(
    w: _Writer, res: Results, org: int, section: str, title: str, scenario: str
) -> str | None:
    """One section's lines for every organisation below `org` that holds them, with subtotals."""
    s = w.structure
    snap = res.snapshot
    lines = [i for i, ln in enumerate(s.lines) if ln.section == section]
    if not lines:
        return None
    start, end = org, int(snap.subtree_end[org])
    holders = [o for o in range(start, end) if snap.holds[o, lines].any()]
    if not holders:
        return None
    years = s.years
    ws, name = w.new_sheet(title)
    w.header(
        ws,
        title,
        f"Scenario: {scenario}. Pounds, by organisation.",
        ["Organisation", "Line code", "Line", "Type", *years, "Total"],
        YEAR_COL,
    )
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 20)
    ws.set_column(2, 2, 34)
    ws.set_column(YEAR_COL, YEAR_COL + len(years), 14)
    total_col = YEAR_COL + len(years)
    r = FIRST_DATA_ROW
    subtotals = []
    for o in holders:
        first = r
        code = s.orgs[o].code
        status = res.status_at(o)
        for li in lines:
            if not snap.holds[o, li]:
                continue
            ws.write_string(r, 0, safe_text(f"{code} {s.orgs[o].name}"), w.formats["label"])
            ws.write_string(r, 1, s.lines[li].code, w.formats["code"])
            ws.write_string(r, 2, safe_text(s.lines[li].name), w.formats["label"])
            ws.write_string(r, 3, s.lines[li].budget_type, w.formats["code"])
            for y in range(len(years)):
                st = int(status[li, y])
                key = ("amount", code, s.lines[li].code, years[y], scenario, _STATUS_WORDS[st])
                w.amount(
                    ws, name, r, YEAR_COL + y, int(res.own[o, li, y]), typed=st in (2, 3), key=key
                )
            w.formula(
                ws,
                r,
                total_col,
                f"=SUM({cell(r, YEAR_COL)}:{cell(r, total_col - 1)})",
                _pounds(res.own[o, li].sum()),
                "calc",
            )
            r += 1
        ws.write_string(r, 2, safe_text(f"Total {code}"), w.formats["total_label"])
        for y in range(len(years) + 1):
            c = YEAR_COL + y
            value = res.own[o, lines].sum() if y == len(years) else res.own[o, lines, y].sum()
            w.formula(ws, r, c, f"=SUM({cell(first, c)}:{cell(r - 1, c)})", _pounds(value))
        subtotals.append(r)
        r += 1
    r += 1
    ws.write_string(r, 2, "Total", w.formats["total_label"])
    for y in range(len(years) + 1):
        c = YEAR_COL + y
        value = sum(
            int(res.own[o, lines].sum()) if y == len(years) else int(res.own[o, lines, y].sum())
            for o in holders
        )
        w.formula(
            ws,
            r,
            c,
            f"=SUM({','.join(cell(x, c) for x in subtotals)})"
            if len(subtotals) < 200
            else f'=SUMIF({area(FIRST_DATA_ROW, 2, r - 1, 2)},"Total *",{cell(FIRST_DATA_ROW, c)}:'
            f"{cell(r - 1, c)})",
            _pounds(value),
            "grand",
        )
    return name


def _leftshift_sheet(w: _Writer, res: Results, scenario: str) -> str | None:
    """A scenario's left-shift parameters and notes and results, net and cumulative as formulas."""
    snap = res.snapshot
    if not snap.leftshift:
        return None
    s = w.structure
    years = s.years
    ws, name = w.new_sheet(f"Left shift {scenario}")
    w.header(
        ws,
        f"Left shift: {scenario}",
        "Parameters as entered (fractions, £); results in pounds.",
        ["Organisation", "Parameter", "Value", "Note"],
        2,
    )
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 90)
    r = FIRST_DATA_ROW
    for o, params in snap.leftshift.items():
        for key in sorted(params):
            ws.write_string(r, 0, s.orgs[o].code, w.formats["label"])
            ws.write_string(r, 1, key, w.formats["code"])
            value = params[key]
            try:
                ws.write_number(r, 2, float(value), w.formats["input_plain"])
            except ValueError:
                ws.write_string(r, 2, safe_text(value), w.formats["input_plain"])
            ws.write_string(
                r, 3, safe_text(snap.leftshift_notes.get((o, key), "")), w.formats["note"]
            )
            r += 1
        r += 1
        result = compute_leftshift(params, years)
        for c, y in enumerate(years):
            ws.write_string(r, 2 + c, y, w.formats["header"])
        ws.write_string(r, 1, f"{s.orgs[o].code} results", w.formats["header"])
        r += 1
        at: dict[str, int] = {}
        for measure in LS_MEASURES:
            at[measure] = r
            ws.write_string(r, 1, measure, w.formats["label"])
            for c in range(len(years)):
                figure = float(result.totals[measure][c])
                col = 2 + c
                if measure == "net_saving":
                    gross, primary = cell(at["gross_saving"], col), cell(at["primary_cost"], col)
                    text = f"={gross}-{primary}-{cell(at['double_running'], col)}"
                    w.formula(ws, r, col, text, figure, "calc")
                elif measure == "investment" and result.mode == "bottom_up":
                    w.formula(
                        ws,
                        r,
                        col,
                        f"={cell(at['primary_cost'], col)}+{cell(at['reinvestment'], col)}",
                        figure,
                        "calc",
                    )
                elif measure == "cumulative_net":
                    w.formula(
                        ws,
                        r,
                        col,
                        f"=SUM($C${at['net_saving'] + 1}:{cell(at['net_saving'], col)})",
                        figure,
                        "calc",
                    )
                else:
                    ws.write_number(
                        r,
                        col,
                        figure,
                        w.formats["calc" if measure != "activity_shifted" else "calc_count"],
                    )
            r += 1
        r += 1
    return name


def _comparison_sheet(w: _Writer, book: Book, names: list[str], org: int) -> str:
    s = w.structure
    years = s.years
    ws, name = w.new_sheet("Scenario comparison")
    cols = [f"{n} {y}" for n in names for y in years] + [
        f"Variance {n} {y}" for n in names[1:] for y in years
    ]
    w.header(
        ws,
        f"Scenarios compared: {s.orgs[org].code}",
        f"Variance against {names[0]}. Pounds.",
        ["Section", "Line code", "Line", "", *cols],
        YEAR_COL,
    )
    ws.set_column(0, 1, 20)
    ws.set_column(2, 2, 36)
    ws.set_column(YEAR_COL, YEAR_COL + len(cols), 14)
    n_year = len(years)
    r = FIRST_DATA_ROW
    for row in compare(book.conn, names, org):
        ws.write_string(r, 0, row.section, w.formats["code"])
        ws.write_string(r, 1, row.line, w.formats["code"])
        ws.write_string(
            r, 2, safe_text(row.name), w.formats["label" if row.kind == "line" else "total_label"]
        )
        for k in range(len(names)):
            for y in range(n_year):
                ws.write_number(
                    r, YEAR_COL + k * n_year + y, _pounds(row.values[k, y]), w.formats["calc"]
                )
        variance = row.variance()
        for k in range(1, len(names)):
            for y in range(n_year):
                c = YEAR_COL + len(names) * n_year + (k - 1) * n_year + y
                text = f"={cell(r, YEAR_COL + k * n_year + y)}-{cell(r, YEAR_COL + y)}"
                w.formula(
                    ws,
                    r,
                    c,
                    text,
                    _pounds(variance[k - 1, y]),
                    "total" if row.kind != "line" else "calc",
                )
        r += 1
    return name


def _assumptions_sheet(w: _Writer, res: Results, org: int) -> str:
    s = w.structure
    snap = res.snapshot
    years = s.years
    ws, name = w.new_sheet("Assumptions")
    w.header(
        ws,
        "Assumptions",
        "Populations (known or projected), rates, uplifts and growth, with sources.",
        ["What", "Organisation or line", "Measure", "Source or status", *years],
        4,
    )
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 60)
    ws.set_column(4, 4 + len(years), 14)
    r = FIRST_DATA_ROW
    measures = ("registered", "weighted", "adjusted")
    status_words = {0: "known", 1: "projected", 2: "sum of its organisations", 3: "none"}
    for o in range(org, int(snap.subtree_end[org])):
        for m, measure in enumerate(measures):
            if np.isnan(res.pop[o, m]).all():
                continue
            ws.write_string(r, 0, "Population", w.formats["label"])
            ws.write_string(
                r, 1, safe_text(f"{s.orgs[o].code} {s.orgs[o].name}"), w.formats["label"]
            )
            ws.write_string(r, 2, measure, w.formats["code"])
            kinds = {status_words[int(x)] for x in res.pop_status[o, m]}
            ws.write_string(r, 3, ", ".join(sorted(kinds)), w.formats["note"])
            for y in range(len(years)):
                known = int(res.pop_status[o, m, y]) == 0
                value = float(np.nan_to_num(res.pop[o, m, y]))
                ws.write_number(
                    r, 4 + y, value, w.formats["input_count" if known else "calc_count"]
                )
            r += 1
    rates = {
        (lid, y): (src, conf)
        for lid, y, src, conf in w.book.conn.execute(
            "SELECT line_id, year_idx, source, confidence FROM rates WHERE scenario_id = 0"
        )
    }
    for li, line in enumerate(s.lines):
        if line.basis == "per_head":
            for what, arr in (("Rate £", snap.rate), ("Months", snap.months)):
                ws.write_string(r, 0, what, w.formats["label"])
                ws.write_string(r, 1, safe_text(f"{line.code} {line.name}"), w.formats["label"])
                ws.write_string(r, 2, line.measure or "", w.formats["code"])
                src = rates.get((line.id, 0), ("", ""))
                ws.write_string(
                    r,
                    3,
                    safe_text(f"{src[0] or ''} ({src[1] or 'no confidence given'})"),
                    w.formats["note"],
                )
                for y in range(len(years)):
                    ws.write_number(r, 4 + y, float(arr[li, y]), w.formats["input_rate"])
                r += 1
        elif line.basis == "uplift":
            ws.write_string(r, 0, "Uplift", w.formats["label"])
            ws.write_string(r, 1, safe_text(f"{line.code} {line.name}"), w.formats["label"])
            for y in range(len(years)):
                ws.write_number(r, 4 + y, float(snap.uplift[li, y]), w.formats["input_pct"])
            r += 1
    for m, measure in enumerate(measures):
        ws.write_string(r, 0, "Growth", w.formats["label"])
        ws.write_string(r, 1, "Book-wide (organisations may differ)", w.formats["label"])
        ws.write_string(r, 2, measure, w.formats["code"])
        ws.write_number(r, 4, float(snap.book_growth[m]), w.formats["input_pct"])
        r += 1
    return name


def _about_sheet(w: _Writer, book: Book, scenarios: list[str], org: str) -> None:
    ws, _ = w.new_sheet("About")
    versions = list_versions(book)
    rows = [
        ("Book", book.meta("name")),
        ("File", book.path.name),
        ("Organisation", org),
        ("Scenarios", ", ".join(scenarios)),
        ("Latest version", versions[-1].name if versions else "(none marked)"),
        ("Exported at (UTC)", datetime.now(UTC).isoformat(timespec="seconds")),
        ("Exported by", current_user()),
        ("pcbudget version", __version__),
        ("Book identity", book_identity(book)),
        (
            "Editing",
            "Change yellow cells only; totals are formulas. Import the return with "
            "`pcbudget import-return` (or File > Import Return) to take edits back.",
        ),
    ]
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 100)
    for r, (k, v) in enumerate(rows):
        ws.write_string(r, 0, k, w.formats["total_label"])
        ws.write_string(r, 1, safe_text(v), w.formats["label"])


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
    workbook = xlsxwriter.Workbook(
        str(temp),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
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
        "label": workbook.add_format({}),
        "code": workbook.add_format({"font_color": "#595959"}),
        "note": workbook.add_format({"font_color": "#595959", "text_wrap": False}),
        "total_label": workbook.add_format({"bold": True}),
        "input": workbook.add_format(
            {"num_format": MONEY, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"}
        ),
        "input_plain": workbook.add_format(
            {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"}
        ),
        "input_count": workbook.add_format({"num_format": "#,##0", "bg_color": "#FFF2CC"}),
        "input_rate": workbook.add_format({"num_format": "0.0000", "bg_color": "#FFF2CC"}),
        "input_pct": workbook.add_format({"num_format": "0.00%", "bg_color": "#FFF2CC"}),
        "calc": workbook.add_format({"num_format": MONEY, "bg_color": "#DDEBF7"}),
        "calc_count": workbook.add_format({"num_format": "#,##0", "bg_color": "#DDEBF7"}),
        "total": workbook.add_format(
            {"num_format": MONEY, "bold": True, "bg_color": "#DDEBF7", "top": 1}
        ),
        "grand": workbook.add_format(
            {"num_format": MONEY, "bold": True, "bg_color": "#BDD7EE", "top": 1, "bottom": 6}
        ),
    }
    w = _Writer(book, s, workbook, formats)
    try:
        step(0.05, "Computing scenarios")
        results = dict(scenario_results(book.conn, names))
        first = results[names[0]]
        o = first.snapshot.org_index[root.id]
        sheets = [_budget_sheet(w, first, o, "Summary", names[0])]
        children = [i for i, p in enumerate(first.snapshot.parent) if p == o]
        for k, child in enumerate(children):
            step(0.1 + 0.5 * k / max(1, len(children)), f"Writing {s.orgs[child].code}")
            sheets.append(_budget_sheet(w, first, child, s.orgs[child].code, names[0]))
        step(0.65, "Writing PCN DES and GPFV")
        for section, title in (("pcn", "PCN DES"), ("gpfv", "GPFV")):
            made = _section_sheet(w, first, o, section, title, names[0])
            if made:
                sheets.append(made)
        for n in names:
            made = _leftshift_sheet(w, results[n], n)
            if made:
                sheets.append(made)
        if len(names) > 1:
            sheets.append(_comparison_sheet(w, book, names, o))
        step(0.8, "Writing assumptions")
        sheets.append(_assumptions_sheet(w, first, o))
        latest = book.conn.execute(
            "SELECT max(year_idx) FROM actuals WHERE year_idx >= 0 AND year_idx < ?",
            (len(s.years),),
        ).fetchone()[0]
        if latest is not None:  # the budget year under way: plan against actual
            ym = year_months(book, first, int(latest))
            sheets.append(actuals_sheet(w, ym, [o, *children]))
        published = reconcile(book)
        if published:
            sheets.append(reconciliation_sheet(w, published))
        _about_sheet(w, book, names, root.code)
        hidden, _ = w.new_sheet(MAP_SHEET)
        hidden.write_row(0, 0, ["book", book_identity(book)])
        hidden.write_row(1, 0, list(MAP_HEADER))
        for r, row in enumerate(w.mapping, start=2):
            hidden.write_row(r, 0, list(row))
        hidden.very_hidden()
        step(0.9, "Saving the workbook")
        workbook.close()
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(Exception):  # the original error is what matters
            workbook.close()
        temp.unlink(missing_ok=True)
        raise
    step(1.0, "Done")
    return ExportSummary(out, sheets, len(w.mapping), w.formulas)


__all__ = ["ExportSummary", "book_identity", "col_letter", "export_return"]
