"""The return's hidden map names a run of an organisation's rows in one map row; returns with
the older maps (one row per sheet row, one row per cell) are still read, and a changed map is
refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pcbudget.book import BookError, open_book
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_import import read_return
from pcbudget.io.return_map import (
    CELL_MAP_HEADER,
    MAP_HEADER,
    MAP_SHEET,
    ROW_MAP_HEADER,
    InputMap,
    mapped_cells,
)


@pytest.fixture
def exported(sample_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "return.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out)
    return out


def _map_rows(path: Path) -> list[list[Any]]:
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb[MAP_SHEET].iter_rows(values_only=True)]


def test_each_cell_of_a_run_sits_beside_its_line_under_its_year(exported: Path) -> None:
    rows = _map_rows(exported)
    assert tuple(rows[1][: len(MAP_HEADER)]) == MAP_HEADER
    assert any(" " in str(row[4]) for row in rows[2:])  # several sheet rows to a map row
    wb = openpyxl.load_workbook(exported)
    cells = list(mapped_cells("r.xlsx", rows))
    assert len({(c[0], c[1]) for c in cells}) == len(cells)
    for sheet, ref, kind, _org, target, year, _scenario, pence, _status, row, col in cells:
        ws = wb[sheet]
        assert (ws[ref].row, ws[ref].column_letter) == (row, col)
        assert ws.cell(row, 2 if kind == "amount" else 4).value == target
        assert ws.cell(4, ws[ref].column).value == year
        assert ws[ref].value == pence / 100 or str(ws[ref].value).startswith("=")


def test_a_return_with_the_map_of_one_row_per_sheet_row_is_still_read(
    sample_path: Path, exported: Path, tmp_path: Path
) -> None:
    rows = _map_rows(exported)
    years = rows[1][len(MAP_HEADER) :]
    wb = openpyxl.load_workbook(exported)
    old = wb[MAP_SHEET]
    old.delete_rows(2, old.max_row)
    old.append([*ROW_MAP_HEADER, *years])
    for sheet, first, kind, org, targets, figures, scenario in (r[:7] for r in rows[2:]):
        words = figures.split(" ")
        for k, target in enumerate(targets.split(" ")):
            mine = " ".join(words[k * len(years) : (k + 1) * len(years)])
            old.append([sheet, first + k, kind, org, target, mine, scenario])
    wb["LC"]["E5"] = 40_000_000
    wb.save(tmp_path / "rows.xlsx")
    with open_book(sample_path, write=False) as book:
        edits = read_return(book, tmp_path / "rows.xlsx")
    assert [(e.sheet, e.cell, e.new) for e in edits] == [("LC", "E5", 4_000_000_000)]


@pytest.mark.parametrize(
    ("ref", "edit"),
    [
        ("B3", lambda _v: 0),  # a row above the sheet's first
        ("B3", str),  # a row number as text
        ("E3", lambda v: f"{v} extra_line"),  # a line with no figures
        ("B3", lambda _v: 2.5),  # a fraction of a row
        ("B3", lambda _v: 2_000_000),  # past Excel's last row
        ("F3", lambda v: v.replace("calculated:0", "entered:--5", 1)),  # not pence
        ("F3", lambda v: v.replace("calculated:0", "entered:\u00b2", 1)),  # a digit, not 0-9
    ],
)
def test_a_map_row_naming_no_sheet_row_or_too_few_figures_is_refused(
    sample_path: Path, exported: Path, tmp_path: Path, ref: str, edit: Callable[[Any], Any]
) -> None:
    wb = openpyxl.load_workbook(exported)
    key = wb[MAP_SHEET]
    key[ref] = edit(key[ref].value)
    wb.save(tmp_path / "bad.xlsx")
    with open_book(sample_path, write=False) as book, pytest.raises(BookError, match="changed"):
        read_return(book, tmp_path / "bad.xlsx")


@pytest.mark.parametrize("ref", [5, "E", "E0", None])
def test_the_oldest_map_naming_no_cell_is_refused(
    sample_path: Path, exported: Path, tmp_path: Path, ref: Any
) -> None:
    """The per-cell map of the first returns: a reference that is no cell is a changed map."""
    wb = openpyxl.load_workbook(exported)
    key = wb[MAP_SHEET]
    key.delete_rows(2, key.max_row)
    key.append(list(CELL_MAP_HEADER))
    key.append(["LC", ref, "amount", "LC", "core_contract", "2019/20", "baseline", 100, "entered"])
    wb.save(tmp_path / "cells.xlsx")
    with open_book(sample_path, write=False) as book, pytest.raises(BookError, match="changed"):
        read_return(book, tmp_path / "cells.xlsx")


class _Sheet:
    """Stands in for a worksheet: the rows written to it."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []

    def write_row(self, r: int, _c: int, values: list[Any]) -> None:
        assert r == len(self.rows)
        self.rows.append(values)

    def write_string(self, r: int, c: int, value: str) -> None:
        self._write(r, c, value)

    def write_number(self, r: int, c: int, value: float) -> None:
        self._write(r, c, value)

    def _write(self, r: int, c: int, value: Any) -> None:
        if r == len(self.rows):
            self.rows.append([])
        assert r == len(self.rows) - 1 and c == len(self.rows[r])
        self.rows[r].append(value)


def test_a_long_run_is_split_so_no_map_cell_passes_excels_limit() -> None:
    years = [f"20{y}/{y + 1}" for y in range(20, 30)]
    m = InputMap(years)
    for r in range(4, 1004):
        statuses, pence = ["overridden"] * len(years), [-(10**17) - r] * len(years)
        m.add_row("PCN DES", r, ("amount", "ORG", f"line_{r}", "baseline"), statuses, pence)
    ws = _Sheet()
    m.write(ws, "id", "hash")
    assert len(ws.rows) > 3
    assert max(len(str(v)) for row in ws.rows for v in row) < 32_767
    cells = list(mapped_cells("r.xlsx", ws.rows))
    assert len(cells) == m.cells == 10_000
    assert cells[-1][1:5] == ("N1004", "amount", "ORG", "line_1003")


def test_a_map_changed_to_send_figures_to_another_organisation_is_refused(
    sample_path: Path, exported: Path, tmp_path: Path
) -> None:
    """LC's rows named as ELR's in the map: an edit on LC's sheet would land on ELR."""
    wb = openpyxl.load_workbook(exported)
    key = wb[MAP_SHEET]
    at = next(r for r in key.iter_rows(min_row=3) if (r[0].value, r[1].value) == ("LC", 5))
    at[3].value = "ELR"
    wb["LC"]["E5"] = 40_000_000
    wb.save(tmp_path / "swap.xlsx")
    with (
        open_book(sample_path, write=False) as book,
        pytest.raises(BookError, match="LC!E5 should be ELR core_contract"),
    ):
        read_return(book, tmp_path / "swap.xlsx")


def test_the_map_names_each_input_cell_with_its_line_year_and_figure(exported: Path) -> None:
    rows = _map_rows(exported)
    assert tuple(rows[1][: len(MAP_HEADER)]) == MAP_HEADER
    cells = list(mapped_cells("r.xlsx", rows))
    assert len(cells) > 5 * (len(rows) - 2)  # several rows and years to a map row
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
        old.append(list(c[:9]))
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
