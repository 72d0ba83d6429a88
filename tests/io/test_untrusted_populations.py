"""Population and PCN membership files from anyone: what is wrong is reported by row (header =
row 1, as a spreadsheet shows it), what is ambiguous is refused, and nothing is half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import Book
from pcbudget.book.bounds import MAX_NAME
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.rate_catalogue import new_blank_book

HEADER = "Practice_Code,GP_Practice_Name,PCN_Code,PCN_Name,ICB,Population,Final PMC WP\n"


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


def pops(tmp_path: Path, *rows: str, name: str = "pops.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def names(book: Book) -> dict[str, str]:
    return dict(book.conn.execute("SELECT code, name FROM orgs").fetchall())


def test_a_name_past_the_bound_skips_its_row(blank: Book, tmp_path: Path) -> None:
    long = "N" * (MAX_NAME + 1)
    path = pops(
        tmp_path,
        "A1,Short,U00001,North PCN,QHM,4000,4400",
        f"A2,{long},U00001,North PCN,QHM,10,10",
        f"A3,Third,U00002,{'P' * 1000},QHM,10,10",
    )
    report = import_populations(blank, path, year="2024/25")
    assert report.skipped == [
        (3, f"the name of A2 is {MAX_NAME + 1} characters; the most is {MAX_NAME}"),
        (4, f"the name of U00002 is 1,000 characters; the most is {MAX_NAME}"),
    ]
    stored = names(blank)
    assert stored["A1"] == "Short" and "A2" not in stored and "U00002" not in stored
