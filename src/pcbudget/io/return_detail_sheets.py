"""A return's detail sheets: the PCN DES and GPFV sections by holder, the left-shift
results and bridge, and the scenario comparison with its variance formulas."""

from __future__ import annotations

import numpy as np

from ..engine.children import below
from ..engine.compare import compare_tables
from ..engine.compute import Results
from ..engine.leftshift import RESULT_ROWS, compute_leftshift
from ..engine.leftshift_labels import (
    MODES,
    measure_label,
    param_label,
    reading_order,
    value_kind,
)
from ..engine.summary import summary_rows
from .return_writer import (
    FIRST_DATA_ROW,
    YEAR_COL,
    ReturnWriter,
    pounds,
)
from .xlsx_layout import LINE_HEIGHT, area, cell, col_letter, safe_text, wrapped_lines

COMPARE_LINE_WIDTH = 54  # characters: the comparison's Line column; longer names wrap


def section_sheet(
    w: ReturnWriter, res: Results, org: int, section: str, title: str, scenario: str
) -> str | None:
    """One section's lines for every organisation below `org` that holds them, with subtotals."""
    s = w.structure
    snap = res.snapshot
    lines = [i for i, ln in enumerate(s.lines) if ln.section == section]
    if not lines:
        return None
    orgs = below(snap, org)  # in any year: one may move under it after the first
    holds = snap.holds[orgs][:, lines]
    holding = holds.any(axis=1)
    holders = orgs[holding].tolist()
    if not holders:
        return None
    # Plain lists for the holders' cells, worked out together: a numpy call per organisation
    # or a numpy scalar per cell is slow.
    held_by = holds[holding].tolist()
    status_by = res.statuses(np.asarray(holders), np.asarray(lines)).tolist()
    own_by = res.own[holders][:, lines].tolist()
    years = s.years
    ws, name = w.new_sheet(title)
    w.header(
        ws,
        title,
        f"Scenario: {scenario}. Pounds, by organisation.",
        ["Organisation", "Line code", "Line", "Type", *years, "Total"],
        YEAR_COL,
        (34, 20, 34, 6, 14),
    )
    n_year = len(years)
    letters = [col_letter(YEAR_COL + y) for y in range(n_year + 1)]
    label, code_format = w.formats["label"], w.formats["code"]
    line_text = [  # by position in the section
        (s.lines[li].code, safe_text(s.lines[li].name), s.lines[li].budget_type) for li in lines
    ]
    label_formats = [label, code_format, label, code_format]
    write_strings = ws.write_strings
    r = FIRST_DATA_ROW
    subtotals = []
    grand = [0] * (n_year + 1)
    for h, o in enumerate(holders):
        first = r
        code = s.orgs[o].code
        held = [k for k, holds_it in enumerate(held_by[h]) if holds_it]
        org_text = safe_text(f"{code} {s.orgs[o].name}")
        for k in held:
            line_code, line_name, budget_type = line_text[k]
            write_strings(r, 0, [org_text, line_code, line_name, budget_type], label_formats)
            who = ("amount", code, line_code, scenario)
            w.amount_row(ws, name, r, who, status_by[h][k], own_by[h][k])
            r += 1
        ws.write_string(r, 2, safe_text(f"Total {code}"), w.formats["total_label"])
        by_year = [sum(year) for year in zip(*own_by[h], strict=True)]
        for y, value in enumerate([*by_year, sum(by_year)]):
            at = letters[y]
            w.formula(ws, r, YEAR_COL + y, f"=SUM({at}{first + 1}:{at}{r})", value / 100)
            grand[y] += value
        subtotals.append(r)
        r += 1
    r += 1
    ws.write_string(r, 2, "Total", w.formats["total_label"])
    for y, value in enumerate(grand):
        c = YEAR_COL + y
        w.formula(
            ws,
            r,
            c,
            f"=SUM({','.join(cell(x, c) for x in subtotals)})"
            if len(subtotals) < 200
            else f'=SUMIF({area(FIRST_DATA_ROW, 2, r - 1, 2)},"Total *",{cell(FIRST_DATA_ROW, c)}:'
            f"{cell(r - 1, c)})",
            pounds(value),
            "grand",
        )
    return name


def leftshift_sheet(w: ReturnWriter, res: Results, scenario: str) -> str | None:
    """A scenario's left-shift parameters and notes and results, net and cumulative as formulas.

    The results' years share the parameters' Value column and the columns the notes are wrapped
    across, so no year prints in a column sized for a note."""
    snap = res.snapshot
    if not snap.leftshift:
        return None
    s = w.structure
    years = s.years
    named = scenario if scenario.lower().startswith("left shift") else f"Left shift {scenario}"
    ws, name = w.new_sheet(named)
    note_last = max(2 + len(years) - 1, 6)  # notes span the year columns, at least four wide
    w.header(
        ws,
        f"Left shift: {scenario}",
        "Parameters as entered (shares in %, unit costs in £); results in pounds, activity in "
        "attendances.",
        ["Organisation", "Parameter", "Value", "Note"],
        2,
        (14, 44, *([15] * (note_last - 1))),
    )
    ws.merge_range(3, 3, 3, note_last, "Note", w.formats["header"])
    note_width = 15 * (note_last - 2)
    r = FIRST_DATA_ROW
    for o, params in snap.leftshift.items():
        for key in reading_order(list(params)):
            value = params[key]
            ws.write_string(r, 0, s.orgs[o].code, w.formats["label_top"])
            ws.write_string(r, 1, param_label(key), w.formats["label_top"])
            kind = value_kind(key)
            try:
                ws.write_number(r, 2, float(value), w.formats[f"param_{kind}"])
            except ValueError:
                ws.write_string(r, 2, MODES.get(value, safe_text(value)), w.formats["param_text"])
            note = safe_text(snap.leftshift_notes.get((o, key), ""))
            ws.merge_range(r, 3, r, note_last, note, w.formats["note_top"])
            lines = wrapped_lines(note, note_width) if note else 1
            if lines > 1:
                ws.set_row(r, LINE_HEIGHT * lines)
            r += 1
        r += 1
        result = compute_leftshift(params, years)
        for c, y in enumerate(years):
            ws.write_string(r, 2 + c, y, w.formats["header"])
        ws.write_string(r, 1, f"{s.orgs[o].code} results", w.formats["header"])
        r += 1
        at: dict[str, int] = {}
        for measure in RESULT_ROWS:
            at[measure] = r
            ws.write_string(r, 1, measure_label(measure), w.formats["label"])
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


def comparison_sheet(
    w: ReturnWriter, results: dict[str, Results], names: list[str], org: int
) -> str:
    """The scenarios' figures side by side from results already worked out for the return."""
    s = w.structure
    years = s.years
    ws, name = w.new_sheet("Scenario comparison")
    cols = [f"{n} {y}" for n in names for y in years] + [
        f"Variance {n} {y}" for n in names[1:] for y in years
    ]
    n_year = len(years)
    w.header(
        ws,
        f"Scenarios compared: {s.orgs[org].code}",
        f"Variance against {names[0]}. Pounds.",
        ["Section", "Line code", "Line", "", *cols],
        YEAR_COL,
        (18, 24, COMPARE_LINE_WIDTH, 1, 15),
        # Each scenario's years (and each variance) on pages of their own, beside the lines.
        page_breaks=range(YEAR_COL + n_year, YEAR_COL + len(cols), n_year),
    )
    r = FIRST_DATA_ROW
    for row in compare_tables([summary_rows(results[n], org) for n in names]):
        ws.write_string(r, 0, row.section, w.formats["code"])
        ws.write_string(r, 1, row.line, w.formats["code"])
        label = "label" if row.kind == "line" else "total_label"
        w.wrapped(ws, r, 2, safe_text(row.name), label, COMPARE_LINE_WIDTH)
        for k in range(len(names)):
            for y in range(n_year):
                ws.write_number(
                    r, YEAR_COL + k * n_year + y, pounds(row.values[k, y]), w.formats["calc"]
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
                    pounds(variance[k - 1, y]),
                    "total" if row.kind != "line" else "calc",
                )
        r += 1
    return name
