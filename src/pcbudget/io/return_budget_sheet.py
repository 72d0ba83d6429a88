"""A return's budget sheet: an organisation's lines by year with section subtotals, budget
types (SUMIF, or each year's lines where a type changes), allocation and headroom formulas."""

from __future__ import annotations

from ..engine.cell_status import CALCULATED, ENTERED_CELL, NOT_HELD, OVERRIDDEN
from ..engine.compute import Results
from ..engine.explain import rate_caveat
from ..engine.gaps import cell_gap
from ..engine.summary import summary_rows
from .return_writer import (
    FIRST_DATA_ROW,
    STATUS_WORDS,
    YEAR_COL,
    ReturnWriter,
    pounds,
)
from .xlsx_layout import area, cell, defined_name, quoted, safe_text

LINE_WIDTH = 58  # the Line column: a line's name, or a total's or headroom's, in characters


def budget_sheet(w: ReturnWriter, res: Results, org: int, title: str, scenario: str) -> str:
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
        (40, 24, LINE_WIDTH, 6, *[14] * len(years), 15),
    )
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
    pending: list[tuple[int, int, int, int]] = []  # balancing cells, once allocation is known
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
                typed = st in (ENTERED_CELL, OVERRIDDEN)
                key = ("amount", org_obj.code, row.line, years[y], scenario, STATUS_WORDS[st])
                # This organisation's own calculated cell (nothing below it adds to the row):
                # written as the formula it is, so a base year changed in Excel flows on.
                own = st == CALCULATED and all(
                    res.rolled[org, li, k] == res.own[org, li, k] for k in (y, max(0, y - 1))
                )
                basis = s.lines[li].basis
                if own and basis == "uplift" and y > 0:
                    up = float(res.snapshot.uplift[li, y])
                    w.formula(
                        ws,
                        r,
                        YEAR_COL + y,
                        f"=ROUND({cell(r, YEAR_COL + y - 1)}*100*(1+{up!r}),0)/100",
                        pounds(int(row.pence[y])),
                        "calc",
                    )
                    w.mapping.add(  # typed over in Excel, it is offered as an override
                        name, r, YEAR_COL + y, (*key[:5], "formula"), int(row.pence[y])
                    )
                elif own and basis == "balance":
                    pending.append((r, li, y, int(row.pence[y])))
                else:
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
                if not typed:  # a calculated figure on a rate carried forward or provisional,
                    said.append(rate_caveat(res, li, y))  # or with nothing to apply a rate to
                    said.append(cell_gap(res, org, li, y))
                told = "\n".join(t for t in said if t)
                if told:
                    ws.write_comment(r, YEAR_COL + y, safe_text(told)[:2000])
            w.formula(
                ws,
                r,
                total_col,
                f"=SUM({cell(r, YEAR_COL)}:{cell(r, total_col - 1)})",
                pounds(row.pence.sum()),
                "calc",
            )
            r += 1
        elif row.kind == "section_total":
            w.wrapped(ws, r, 2, safe_text(row.name), "total_label", LINE_WIDTH)
            for y in range(len(years) + 1):
                c = YEAR_COL + y
                value = row.pence.sum() if y == len(years) else row.pence[y]
                w.formula(
                    ws, r, c, f"=SUM({cell(section_start, c)}:{cell(r - 1, c)})", pounds(value)
                )
            section_rows.append(r)
            r += 2
            section_start = r
        elif row.kind == "budget_type":
            last_line = section_rows[-1] if section_rows else r
            w.wrapped(ws, r, 2, safe_text(row.name), "total_label", LINE_WIDTH)
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
                w.formula(ws, r, c, text, pounds(value))
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
                pounds(row.pence.sum()),
                "calc",
            )
            alloc_rows[row.line] = r
            r += 1
        elif row.kind == "headroom":
            w.wrapped(ws, r, 2, safe_text(row.name), "total_label", LINE_WIDTH)
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
                    pounds(value),
                )
            r += 1
        elif row.kind == "total":
            r += 1
            ws.write_string(r, 2, "Total", w.formats["total_label"])
            for y in range(len(years) + 1):
                c = YEAR_COL + y
                value = row.pence.sum() if y == len(years) else row.pence[y]
                parts = ",".join(cell(sr, c) for sr in section_rows) or "0"
                w.formula(ws, r, c, f"=SUM({parts})", pounds(value), "grand")
            w.workbook.define_name(
                defined_name(f"{org_obj.code}_total"),
                f"={quoted(name)}!{area(r, YEAR_COL, r, total_col, absolute=True)}",
            )
            r += 1
    for br, li, y, pence in pending:  # Reserve/QIPP: the allocation less the type's other lines
        t = int(year_type[li, y])
        c = YEAR_COL + y
        alloc = alloc_rows.get(s.budget_types[t].code)
        others = [
            cell(lr, c)
            for lr, lj in line_rows
            if int(year_type[lj, y]) == t and s.lines[lj].basis != "balance"
        ]
        if alloc is None:
            w.amount(ws, name, br, c, pence, typed=False)
            continue
        w.formula(
            ws, br, c, f"={cell(alloc, c)}-({'+'.join(others) or '0'})", pounds(pence), "calc"
        )
        key = ("amount", org_obj.code, s.lines[li].code, years[y], scenario, "formula")
        w.mapping.add(name, br, c, key, pence)
    w.workbook.define_name(
        defined_name(f"{org_obj.code}_budget"),
        f"={quoted(name)}!{area(FIRST_DATA_ROW, 0, r - 1, total_col, absolute=True)}",
    )
    return name
