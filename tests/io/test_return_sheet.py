"""A return's worksheets store every formula and cell exactly as XlsxWriter itself would: they
skip its renaming of newer functions only for formulas that use none, and its general cell
writer for styled numbers, strings and formulas (together half a national export)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pcbudget.io.return_sheet import ReturnSheet

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
        ours.write_own_formula(r, 1, text, None, 1.5)
        theirs.write_formula(r, 0, text, None, 1.5)
        theirs.write_formula(r, 1, text, None, 1.5)
    workbook.close()
    stored = _formulas(path, 1)
    assert stored == _formulas(path, 2)
    assert _sheet_data(path, 1) == _sheet_data(path, 2)
    assert len(stored) == 2 * len(FORMULAS)
    assert "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)" in stored  # still renamed where it must be


def test_xlsxwriter_still_asks_the_sheet_to_prepare_each_formula(tmp_path: Path) -> None:
    """ReturnSheet's savings rest on XlsxWriter's `_prepare_formula`, `_write_rows` and
    `_write_cell` hooks: if a new XlsxWriter no longer calls them, the return is still right
    but slower, and this says so."""
    asked: list[str] = []
    cells: list[tuple[int, int]] = []
    sheets: list[str] = []

    class Spy(ReturnSheet):
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            asked.append(formula)
            return super()._prepare_formula(formula, expand_future_functions)

        def _write_cell(self, row: int, col: int, cell: object) -> None:
            cells.append((row, col))
            super()._write_cell(row, col, cell)

        def _write_rows(self) -> None:
            sheets.append(self.name)
            super()._write_rows()

    workbook = xlsxwriter.Workbook(str(tmp_path / "s.xlsx"))
    sheet = workbook.add_worksheet("s", Spy)
    sheet.write_formula(0, 0, "=SUM(B1:B3)", None, 0)
    sheet.write_number(1, 2, 5, workbook.add_format({"bold": True}))
    sheet.write_comment(1, 2, "a sheet with comments takes XlsxWriter's own row loop")
    workbook.close()
    assert asked == ["=SUM(B1:B3)"]
    assert sheets == ["s"]  # the sheet's rows are written by the sheet's own hook
    assert cells == [(0, 0), (1, 2)]  # and so is each cell, in XlsxWriter's row loop
    assert Worksheet._prepare_formula.__code__.co_varnames[:3] == (
        "self",
        "formula",
        "expand_future_functions",
    )


def _sheet_data(path: Path, sheet: int) -> str:
    xml = zipfile.ZipFile(path).read(f"xl/worksheets/sheet{sheet}.xml").decode()
    found = re.search(r"<sheetData>.*</sheetData>", xml, re.S)
    assert found, xml[:200]
    return found.group(0)


@pytest.mark.parametrize("comment", [False, True])
def test_each_cell_is_stored_as_xlsxwriter_stores_it(tmp_path: Path, comment: bool) -> None:
    """ReturnSheet writes styled numbers, strings and formulas itself (a quarter of a national
    export is XlsxWriter's general cell path): every kind of cell, styled or not, in a row or
    column with a style of its own or not, must come out as XlsxWriter's own sheet has it,
    from the sheet's own row loop or (on a sheet with comments) from XlsxWriter's."""
    path = tmp_path / "c.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    money = workbook.add_format({"num_format": "#,##0", "bg_color": "#FFF2CC"})
    bold = workbook.add_format({"bold": True})
    ours, theirs = workbook.add_worksheet("ours", ReturnSheet), workbook.add_worksheet("theirs")
    numbers = [0, -0.0, 1, -1.5, 0.1 + 0.2, 123456789012.34, 1e-300, 2**53 + 1, 1e21, -7e-5]
    texts = ["Plain", " lead and trail ", 'a & b < c > "d"', "=SUM(A1)", "£ Ünïcode", "x\ny"]
    formulas = [("=SUM(A1:A3)", 1.5), ('=SUMIF(A1:A9,"<>Total *",B1:B9)', -2), ("=A1", "text")]
    formulas += [("=A1=A2", True), ("=A1", ""), ("=1/0", "#DIV/0!"), ('=A1&"<x>"', 0.25)]
    for sheet in (ours, theirs):
        sheet.set_row(3, None, bold)  # a row with a style of its own
        sheet.set_column(5, 5, 12, money)  # and a column
        sheet.set_column(6, 6, 30)  # a width, no style
        for c, fmt in enumerate((money, None, bold)):
            for r, n in enumerate(numbers):
                sheet.write_number(r, c, n, fmt)
            for r, text in enumerate(texts, len(numbers)):
                sheet.write_string(r, c, text, fmt)
            for r, (text, value) in enumerate(formulas, len(numbers) + len(texts)):
                sheet.write_formula(r, c, text, fmt, value)
        for col in (5, 6):  # unstyled cells in a styled row, a styled column and a plain one
            sheet.write_number(3, col, 4.25)
            sheet.write_string(4, col, "label")
            sheet.write_formula(5, col, "=F4", None, 4.25)
        sheet.write_string(3, 7, "a label in a styled row")
        sheet.write_blank(30, 0, None, money)
        sheet.write_boolean(31, 0, True, money)
        sheet.write_number(40, 16383, 9, money)  # the last column Excel has
        sheet.write_number(2, 9, 1.0, money)  # a row's cells written out of column order
        sheet.write_number(2, 8, 2.0, money)
        sheet.set_row(35, 30)  # a row with a height and no cells, and one below the last cell
        sheet.set_row(60, 30, bold)
        for r in range(100, 140, 7):  # rows in blocks of 16 with different columns in use
            sheet.write_number(r, r % 11, r, money)
        if comment:
            sheet.write_comment(0, 0, "a note")
    workbook.close()
    assert _sheet_data(path, 1) == _sheet_data(path, 2)
    assert 't="s"' in _sheet_data(path, 1) and "<f>" in _sheet_data(path, 1)


def test_a_row_of_cells_is_stored_as_each_cell_alone(tmp_path: Path) -> None:
    """`write_numbers` and `write_strings` store a row's cells as `write_number` and
    `write_string` store each one: the same XML, shared strings and used area, including a
    long text cut to Excel's limit and cells past the last column, which are left out."""
    path = tmp_path / "r.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    money = workbook.add_format({"num_format": "#,##0", "bg_color": "#FFF2CC"})
    ours = workbook.add_worksheet("ours", ReturnSheet)
    theirs = workbook.add_worksheet("theirs")
    numbers, texts = [1.5, -0.0, 2**53 + 1, 1e-300], ["a", "b & c", "a", "x" * 40000]
    fmts = [money, None, money, None]
    ours.write_numbers(7, 3, numbers, fmts)
    ours.write_strings(9, 1, texts, fmts)
    ours.write_strings(10, 16382, ["last", "past the last column"], [None, None])
    with pytest.raises(TypeError):  # as write_number: refused
        ours.write_numbers(11, 0, [float("nan")], [None])
    for c, (n, text, fmt) in enumerate(zip(numbers, texts, fmts, strict=True)):
        theirs.write_number(7, 3 + c, n, fmt)
        theirs.write_string(9, 1 + c, text, fmt)
    theirs.write_string(10, 16382, "last")
    theirs.write_string(10, 16383, "past the last column")
    with pytest.raises(TypeError):
        theirs.write_number(11, 0, float("nan"))
    workbook.close()
    for part in ("dimension", "sheetData"):
        ours_xml, theirs_xml = (
            re.search(
                rf"<{part}.*?(</{part}>|/>)",
                zipfile.ZipFile(path).read(f"xl/worksheets/sheet{n}.xml").decode(),
                re.S,
            )
            for n in (1, 2)
        )
        assert ours_xml and theirs_xml
        assert ours_xml.group(0) == theirs_xml.group(0)
