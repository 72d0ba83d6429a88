"""Importers apply the bounds typing does: no infinite, 1e308 or NaN figure reaches a book."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import Book, BookError, open_book
from pcbudget.engine import Model
from pcbudget.io.excel_return import export_return
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.rate_catalogue import new_blank_book
from pcbudget.io.return_import import read_return

HEADER = "Practice_Code,PCN_Code,ICB,Population,Final PMC WP\n"


@pytest.fixture
def blank(tmp_path: Path) -> Book:
    return new_blank_book(
        tmp_path / "england.pcbook",
        years=["2024/25", "2025/26"],
        name="England",
        root_code="ENG",
        root_name="England",
        rates="national",
    )


def test_population_rows_out_of_bounds_are_skipped_by_row(blank: Book, tmp_path: Path) -> None:
    path = tmp_path / "pops.csv"
    path.write_text(
        HEADER
        + "A1,U1,QHM,4000,4400\n"
        + "A2,U1,QHM,inf,10\n"
        + "A3,U1,QHM,1e308,10\n"
        + "A4,U1,QHM,nan,10\n"
        + "A5,U1,QHM,10,2000000000\n"
        + "A6,U1,QHM,-inf,10\n",
        encoding="utf-8",
    )
    report = import_populations(blank, path, year="2024/25")
    skipped = dict(report.skipped)
    assert sorted(skipped) == [3, 4, 5, 6, 7]
    assert "out of range for a population" in skipped[4] and "not a number" in skipped[5]
    assert "weighted" in skipped[6] and "not a number" in skipped[3] + skipped[7]
    stored = blank.conn.execute("SELECT max(value) FROM populations").fetchone()[0]
    assert stored == 4400
    totals = Model(blank).results.rolled[0]
    assert (totals >= 0).all()  # nothing wrapped to -£92 quadrillion


@pytest.fixture
def exported(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    book = open_book(sample_path, write=False)
    out = tmp_path / "return.xlsx"
    export_return(book, out)
    book.close()
    return sample_path, out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1e15, r"LC!E5: 1000000000000000(\.0)? is out of range for an amount"),
        (1e17, r"LC!E5: 1e\+17 is out of range"),
        (1e308, r"LC!E5: 1e\+308 is out of range"),
        # NaN and infinity cannot reach a cell: openpyxl writes none, and refuses to read one.
    ],
)
def test_return_cells_past_the_bounds_are_refused(
    exported: tuple[Path, Path], tmp_path: Path, value: float, message: str
) -> None:
    book_path, out = exported
    wb = openpyxl.load_workbook(out)
    wb["LC"]["E5"] = value
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    before = hashlib.sha256(book_path.read_bytes()).hexdigest()
    book = open_book(book_path)
    try:
        with pytest.raises(BookError, match=message):
            read_return(book, bad)
    finally:
        book.close()
    assert hashlib.sha256(book_path.read_bytes()).hexdigest() == before
    conn = sqlite3.connect(book_path)
    assert conn.execute("SELECT max(abs(pence)) FROM amounts").fetchone()[0] < 10**14
    conn.close()
