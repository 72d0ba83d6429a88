"""A return after a dated move: an organisation that moves under the return's organisation
after the first year gets its own sheet, with the figures of the years it is there."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pcbudget.book.organisations import move_org
from pcbudget.engine import Model
from pcbudget.io.excel_return import export_return

from ..engine.test_moves import PRACTICES
from ..helpers import book_from_text


def test_an_organisation_moving_under_the_top_later_gets_its_sheet(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "b.pcbook", PRACTICES)
    move_org(book, "X2", "ICB", from_year="2026/27")
    done = export_return(book, tmp_path / "r.xlsx")
    model = Model(book)
    book.close()
    assert done.sheets[1:4] == ["P1", "P2", "X2"]  # after the first year's PCNs
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["X2"]
    snap, s = model.snapshot, model.structure
    gms = model.results.rolled[snap.org_index[s.org("X2").id], snap.line_index[s.line("gms").id]]
    row = next(r for r in ws.iter_rows(min_row=5) if r[1].value == "gms")
    assert [c.value for c in row[4:7]] == [int(p) / 100 for p in gms]


def test_a_return_below_the_top_lists_an_organisation_that_joins_later(tmp_path: Path) -> None:
    """P2's return: X2, under P1 in the first year and under P2 from 2026/27, is on P2's
    Populations sheet (and gets its own sheet), as it counts in P2's figures from then."""
    book = book_from_text(tmp_path / "b.pcbook", PRACTICES)
    move_org(book, "X2", "P2", from_year="2026/27")
    done = export_return(book, tmp_path / "r.xlsx", org="P2")
    book.close()
    assert "X2" in done.sheets
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["Populations"]
    listed = [str(r[0].value).split(" ")[0] for r in ws.iter_rows(min_row=5) if r[0].value]
    assert listed == ["P2", "Y1", "X2"]  # its own first, then the one that joins
