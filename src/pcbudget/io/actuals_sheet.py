"""The return's Plan v Actual sheet: for the latest year with actuals, each organisation's
lines with plan, actual to date, forecast outturn and the variance as formulas (forecast less
plan, and as a percentage), so a board paper's variances recalculate if a figure is changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine.compute import Results
from ..engine.months import YearMonths, view_values
from .xlsx_layout import cell, safe_text

if TYPE_CHECKING:
    from .return_writer import ReturnWriter

FIRST_ROW = 4
HEADER = [
    "Organisation",
    "Line",
    "Plan £",
    "Actual to date £",
    "Forecast £",
    "Variance £",
    "Variance %",
]


def actuals_sheet(w: ReturnWriter, res: Results, ym: YearMonths, orgs: list[int]) -> str:
    """Write the sheet for organisation indices `orgs` and return its name.

    The forecast is the summary's forecast view, so Reserve/QIPP shows what the allocation
    leaves once every other line is forecast, as the app does."""
    s = w.structure
    forecasts = view_values(res, {ym.year: ym}, "forecast")[:, :, ym.year]
    ws, name = w.new_sheet("Plan v actual")
    year = s.years[ym.year]
    w.header(
        ws,
        f"Plan against actual {year}",
        f"Actuals to M{ym.closed}; forecast = actuals to date, then the plan or the run rate. "
        "Variance = forecast less plan: positive is over plan.",
        HEADER,
        2,
        (40, 40, 15, 17, 15, 15, 11),
    )
    pct = w.workbook.add_format({"num_format": "0.0%", "bg_color": "#DDEBF7"})
    r = FIRST_ROW
    for o in orgs:
        org = s.orgs[o]
        for li, line in enumerate(s.lines):
            plan, actual = int(ym.plan[o, li].sum()), int(ym.actual[o, li].sum())
            forecast = int(forecasts[o, li])
            if not (plan or actual or forecast):
                continue
            ws.write_string(r, 0, safe_text(f"{org.code} {org.name}"), w.formats["label"])
            ws.write_string(r, 1, safe_text(line.name), w.formats["label"])
            for c, value in ((2, plan), (3, actual), (4, forecast)):
                ws.write_number(r, c, value / 100, w.formats["calc"])
            w.formula(ws, r, 5, f"={cell(r, 4)}-{cell(r, 2)}", (forecast - plan) / 100, "calc")
            share = (forecast - plan) / abs(plan) if plan else 0.0
            ws.write_formula(
                r, 6, f"=IF({cell(r, 2)}=0,0,{cell(r, 5)}/ABS({cell(r, 2)}))", pct, share
            )
            w.formulas += 1
            r += 1
    return name
