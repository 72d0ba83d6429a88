"""A return's Populations sheet: one row per organisation, each measure's years side by side,
the engine's figures, known yellow and projected blue, blank (not zero) where there is none."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from pcbudget.book import open_book
from pcbudget.book.schema import MEASURES
from pcbudget.engine import Model
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_population_sheet import status_text

KNOWN_FILL, WORKED_FILL = "FFF2CC", "DDEBF7"


def test_populations_sheet_shows_the_engines_figures_by_measure_and_year(
    sample_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out)
        model = Model(book)
    res, s = model.results, model.structure
    ws = openpyxl.load_workbook(out)["Populations"]
    heads = [c.value for c in ws[4]]
    years = s.years
    assert heads[:2] == ["Organisation", "Status"]
    assert heads[2 : 2 + len(years)] == [f"Registered list {y}" for y in years]
    assert heads[2 + len(years) : 2 + 2 * len(years)] == [f"Weighted list {y}" for y in years]
    shown = [MEASURES.index("registered"), MEASURES.index("weighted")]
    rows = {str(r[0].value).split(" ")[0]: r for r in ws.iter_rows(min_row=5) if r[0].value}
    checked = blanks = 0
    for o, org in enumerate(s.orgs):
        pop = res.pop[o][shown]
        if np.isnan(pop).all():
            assert org.code not in rows  # nothing to show, no row of blanks
            continue
        row = rows[org.code]
        for j in range(len(shown)):
            for y in range(len(years)):
                got = row[2 + j * len(years) + y]
                want = float(pop[j, y])
                if math.isnan(want):
                    assert got.value is None, (org.code, got.coordinate)  # never a silent zero
                    blanks += 1
                    continue
                assert got.value == pytest.approx(want, rel=1e-15), (org.code, got.coordinate)
                known = res.pop_status[o, shown[j], y] == 0
                assert got.fill.fgColor.rgb[-6:] == (KNOWN_FILL if known else WORKED_FILL)
                checked += 1
    assert checked > 20 and blanks > 0
    # The first year of a PCN's list is known, later years projected from it.
    pcn = next(o for o, org in enumerate(s.orgs) if org.kind == "pcn")
    assert rows[s.orgs[pcn].code][1].value == "known, projected"
    # One page across for each measure, the organisation and status repeated on each.
    assert [b.id for b in ws.col_breaks.brk] == [2 + len(years)]
    assert ws.print_title_cols == "$A:$B"


def test_status_words_say_each_measure_only_when_they_differ() -> None:
    same = ((0, 1, 1), (0, 1, 1))
    assert status_text(same, ["registered list", "weighted list"]) == "known, projected"
    assert status_text(((2, 2, 2), (3, 3, 3)), ["a", "b"]) == "sum of its organisations"
    assert status_text(((3, 3, 3),), ["a"]) == "none"
