"""A return's worksheets store every formula exactly as XlsxWriter itself would: they skip its
renaming of newer functions only for formulas that use none (a third of a national export)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pcbudget.io.return_writer import ReturnSheet

#: Each shape of formula a return writes, and some it does not.
FORMULAS = [
    "=SUM(E5:I5)",
    "=SUM(E12,E30,E41)",
    '=SUMIF($D$5:$D$40,"GP",E5:E40)',
    '=SUMIF(C5:C9000,"Total *",E5:E9000)',
    "=ROUND(E5*100*(1+0.021),0)/100",
    "=ROUND(F7*100*(1+1e-05),0)/100",
    "=E40-E38+E12",
    "=E40-(E5+E6+E9)",
    "=0",
    "=SUM($C$10:D10)",
    "=XLOOKUP(A1,B1:B9,C1:C9)",  # renamed by XlsxWriter: Excel stores it as _xlfn.XLOOKUP
    "=SWITCH(A1,1,2,3)",
    "=SUM(A1:A3)+TAKE(B1:B9,2)",
    "={=SUM(A1:A3)}",
    "=_xlfn.SINGLE(A1)",
]


def _formulas(path: Path, sheet: int) -> list[str]:
    xml = zipfile.ZipFile(path).read(f"xl/worksheets/sheet{sheet}.xml").decode()
    return re.findall(r"<f[^>]*>(.*?)</f>", xml)


def test_each_formula_is_stored_as_xlsxwriter_stores_it(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    ours, theirs = workbook.add_worksheet("ours", ReturnSheet), workbook.add_worksheet("theirs")
    for r, text in enumerate(FORMULAS):
        ours.write_formula(r, 0, text, None, 1.5)
        theirs.write_formula(r, 0, text, None, 1.5)
    workbook.close()
    stored = _formulas(path, 1)
    assert stored == _formulas(path, 2)
    assert len(stored) == len(FORMULAS)
    assert "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)" in stored  # still renamed where it must be


def test_xlsxwriter_still_asks_the_sheet_to_prepare_each_formula(tmp_path: Path) -> None:
    """ReturnSheet's saving rests on XlsxWriter's `_prepare_formula` hook: if a new XlsxWriter
    no longer calls it, the return is still right but slower, and this says so."""
    asked: list[str] = []

    class Spy(ReturnSheet):
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            asked.append(formula)
            return super()._prepare_formula(formula, expand_future_functions)

    workbook = xlsxwriter.Workbook(str(tmp_path / "s.xlsx"))
    sheet = workbook.add_worksheet("s", Spy)
    sheet.write_formula(0, 0, "=SUM(B1:B3)", None, 0)
    workbook.close()
    assert asked == ["=SUM(B1:B3)"]
    assert Worksheet._prepare_formula.__code__.co_varnames[:3] == (
        "self",
        "formula",
        "expand_future_functions",
    )
