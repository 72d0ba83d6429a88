"""The return's hidden map: one row per sheet row, and the older one row per cell still read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import BookError, open_book
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_import import read_return
from pcbudget.io.return_map import CELL_MAP_HEADER, MAP_HEADER, MAP_SHEET, mapped_cells


@pytest.fixture
def exported(sample_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "return.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out)
    return out


def _map_rows(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb[MAP_SHEET].iter_rows(values_only=True)]


def test_one_map_row_per_sheet_row_names_each_input_cell(exported: Path) -> None:
    rows = _map_rows(exported)
    assert tuple(rows[1][: len(MAP_HEADER)]) == MAP_HEADER
    cells = list(mapped_cells("r.xlsx", rows))
    assert len(cells) > len(rows) - 2  # several years' cells to a row
    lc = {c[1]: c for c in cells if c[0] == "LC"}
    assert lc["E5"][2:6] == ("amount", "LC", "core_contract", "2019/20")
    assert lc["E5"][7] == 3_832_124_700 and lc["E5"][8] == "entered"


def test_a_return_with_the_older_map_of_one_row_per_cell_is_still_read(
    sample_path: Path, exported: Path, tmp_path: Path
) -> None:
    rows = _map_rows(exported)
    cells = list(mapped_cells("r.xlsx", rows))
    wb = openpyxl.load_workbook(exported)
    old = wb[MAP_SHEET]
    old.delete_rows(2, old.max_row)
    old.append(list(CELL_MAP_HEADER))
    for c in cells:
        old.append(list(c))
    wb["LC"]["E5"] = 40_000_000
    wb.save(tmp_path / "old.xlsx")
    with open_book(sample_path, write=False) as book:
        edits = read_return(book, tmp_path / "old.xlsx")
    assert [(e.sheet, e.cell, e.new) for e in edits] == [("LC", "E5", 4_000_000_000)]


def test_a_changed_map_row_is_refused(sample_path: Path, exported: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(exported)
    wb[MAP_SHEET]["F3"] = "entered:12 calculated"
    wb.save(tmp_path / "bad.xlsx")
    with open_book(sample_path, write=False) as book, pytest.raises(BookError, match="changed"):
        read_return(book, tmp_path / "bad.xlsx")
