"""The return's Plan v actual sheet: variances are formulas LibreOffice recalculates to the
app's figures."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pcbudget.book import open_book
from pcbudget.io.actuals_ledger import import_ledger
from pcbudget.io.excel_return import export_return
from pcbudget.io.recalc_check import check_return, soffice


def test_plan_against_actual_recalculates(sample_path: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text(
        "year,period,org,line,amount\n2019/20,M1,LC,premises,900000\n2019/20,M1,WL,qof,1\n"
    )
    out = tmp_path / "r.xlsx"
    with open_book(sample_path) as book:
        import_ledger(book, ledger)
        export_return(book, out, scenarios=["baseline"])
    ws = openpyxl.load_workbook(out)["Plan v actual"]
    row = next(
        r
        for r in ws.iter_rows()
        if r[0].value and r[0].value.startswith("LC ") and r[1].value == "Premises"
    )
    assert row[3].value == 900000  # actual to date
    assert str(row[5].value).startswith("=") and str(row[6].value).startswith("=IF(")
    assert soffice() is not None
    report = check_return(out)
    assert report.mismatches == []
