"""A figure typed into a returned workbook becomes the pence that typing it in the app gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.money import parse_money
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_import import read_return

from .test_excel_return import edit


@pytest.mark.parametrize("typed", [0.125, 1.005, 2.675, 1_234_567.895])
def test_a_returned_figure_rounds_as_typing_does(
    sample_path: Path, tmp_path: Path, typed: float
) -> None:
    out, edited = tmp_path / "return.xlsx", tmp_path / "edited.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out, scenarios=["baseline"])
    edit(out, {("LC", "E5"): typed}, edited)
    with open_book(sample_path, write=False) as book:
        (change,) = read_return(book, edited)
    assert change.new == parse_money(str(typed))  # 0.125 -> 13p and 1.005 -> 101p, not 12p/100p


@pytest.mark.parametrize("bad", [float("nan"), 1e308, 1e15])
def test_a_returned_figure_out_of_range_is_refused_naming_the_cell(
    sample_path: Path, tmp_path: Path, bad: float
) -> None:
    out, edited = tmp_path / "return.xlsx", tmp_path / "edited.xlsx"
    with open_book(sample_path, write=False) as book:
        export_return(book, out, scenarios=["baseline"])
    edit(out, {("LC", "E5"): bad}, edited)
    with open_book(sample_path, write=False) as book, pytest.raises(BookError) as caught:
        read_return(book, edited)
    assert "LC!E5" in str(caught.value)
