"""Uplifted years and Reserve/QIPP are formulas in the return, so a base year changed in a
spreadsheet flows through to later years and the reserve, as the app would work it out."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pcbudget.book import open_book
from pcbudget.engine import Model
from pcbudget.io.excel_return import export_return
from pcbudget.io.recalc_check import recalculate
from pcbudget.io.return_import import apply_return, read_return


def _row(ws, line: str) -> int:  # type: ignore[no-untyped-def]
    return next(r[0].row for r in ws.iter_rows() if r[1].value == line)


def test_a_changed_base_year_flows_through_the_formulas(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out, scenarios=["baseline"])
    wb = openpyxl.load_workbook(out)
    ws = wb["LC"]
    premises, reserve = _row(ws, "premises"), _row(ws, "reserve_qipp")
    assert str(ws[f"F{premises}"].value).startswith("=ROUND(E")  # 2020/21 grows from 2019/20
    assert str(ws[f"F{reserve}"].value).startswith("=")  # the allocation less the rest
    ws[f"E{premises}"] = 7_738_977  # a colleague adds £1m to the 2019/20 premises base
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    recalculated, _ = recalculate(edited, tmp_path)
    seen = openpyxl.load_workbook(recalculated, data_only=True)["LC"]
    grown = round(seen[f"F{premises}"].value * 100)
    reserve_2021 = round(seen[f"F{reserve}"].value * 100)
    with open_book(sample_path) as book:
        edits = read_return(book, recalculated)
        assert [e.target for e in edits if not e.calculated] == ["premises"]  # only the input
        # The grown years and the reserve moved only because the formulas did their work: the
        # engine gives the same figures, so they are not offered as overrides.
        assert [e for e in edits if e.calculated] == []
        apply_return(book, edits)
        m = Model(book)
        o = m.snapshot.org_index[m.structure.org("LC").id]
        li = m.snapshot.line_index[m.structure.line("premises").id]
        ri = m.snapshot.line_index[m.structure.line("reserve_qipp").id]
        # The spreadsheet's formulas and the app agree to the penny on what the change does.
        assert int(m.results.rolled[o, li, 1]) == grown
        assert int(m.results.rolled[o, ri, 1]) == reserve_2021
