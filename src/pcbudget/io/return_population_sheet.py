"""A return's Populations sheet: each organisation's lists and counts (registered, weighted,
adjusted, care home beds, QOF points: those the book holds) by year on one row, known figures
yellow and projected or summed ones blue."""

from __future__ import annotations

import numpy as np

from ..book.schema import MEASURES
from ..engine.children import below
from ..engine.compute import Results
from ..engine.population import KNOWN, MISSING, PROJECTED, SUMMED
from .population_columns import MEASURE_WORDS
from .return_writer import FIRST_DATA_ROW, ReturnWriter
from .xlsx_layout import safe_text

STATUS_WIDTH = 30  # characters: the status column, wrapped where measures differ
STATUS_WORDS = {KNOWN: "known", PROJECTED: "projected", SUMMED: "sum of its organisations"}


def status_text(statuses: tuple[tuple[int, ...], ...], measures: list[str]) -> str:
    """Where an organisation's figures come from: one set of words if every measure it holds
    agrees ("known, projected"), else the words measure by measure."""
    words = [", ".join(sorted({STATUS_WORDS[x] for x in s if x != MISSING})) for s in statuses]
    held = [(m, w) for m, w in zip(measures, words, strict=True) if w]
    if len({w for _, w in held}) <= 1:
        return held[0][1] if held else "none"
    return "; ".join(f"{m}: {w}" for m, w in held)


def populations_sheet(w: ReturnWriter, res: Results, org: int) -> str | None:
    """One row per organisation below `org` with any population, its measures' years side by
    side; a year with no figure is left blank (never a zero), and the status says why."""
    s = w.structure
    years = s.years
    orgs = below(res.snapshot, org)  # in any year: one may move under it after the first
    pop = res.pop[orgs]
    empty = np.isnan(pop).all(axis=2)  # (orgs, measures): True where a measure has no figure
    shown = [m for m in range(pop.shape[1]) if not empty[:, m].all()]
    if not shown:
        return None
    keep = ~empty.all(axis=1)  # an organisation with a figure of any measure
    rows = orgs[keep].tolist()
    measures = [MEASURE_WORDS[MEASURES[m]] for m in shown]
    ws, name = w.new_sheet("Populations")
    w.header(
        ws,
        "Populations",
        "Lists and counts by year: yellow as known, blue as projected or summed from the "
        "organisations below; blank where there is no figure.",
        [
            "Organisation",
            "Status",
            *(f"{m[0].upper()}{m[1:]} {y}" for m in measures for y in years),
        ],
        2,
        (40, STATUS_WIDTH, 12),
        page_breaks=[2 + len(years) * k for k in range(1, len(shown))],
    )
    n_year = len(years)
    # Plain lists, not a numpy scalar per cell: a national book has 7,900 organisations.
    figures = pop[keep][:, shown].tolist()
    statuses = res.pop_status[orgs[keep]][:, shown].astype(int).tolist()
    counts = (w.formats["calc_count"], w.formats["input_count"])
    said: dict[tuple[tuple[int, ...], ...], str] = {}
    write_string, write_number = ws.write_string, ws.write_number
    for r, (o, values, known) in enumerate(
        zip(rows, figures, statuses, strict=True), FIRST_DATA_ROW
    ):
        write_string(r, 0, safe_text(f"{s.orgs[o].code} {s.orgs[o].name}"), w.formats["label"])
        key = tuple(tuple(x) for x in known)
        if key not in said:
            said[key] = status_text(key, measures)
        w.wrapped(ws, r, 1, said[key], "note", STATUS_WIDTH)
        for j, (series, status) in enumerate(zip(values, known, strict=True)):
            for y, value in enumerate(series):
                if value == value:  # not NaN: a year without a figure stays blank
                    write_number(r, 2 + j * n_year + y, value, counts[status[y] == KNOWN])
    return name
