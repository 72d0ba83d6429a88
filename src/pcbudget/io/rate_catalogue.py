"""The national PCN DES rate catalogue (`resources/rates/`) and blank books that use it.

Each rate carries its source and a confidence ('confirmed', 'uncertain', 'not per head');
years the catalogue does not reach take the nearest earlier rate, marked as an assumption.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from ..book.create import NewLine, NewOrg, add_lines, create_book, ids, insert_rows
from ..book.store import Book
from .resources import resource


@dataclass(frozen=True)
class CatalogueRate:
    line: str
    year: str
    rate: str
    months: float
    source: str
    confidence: str


def _read(name: str) -> list[dict[str, str]]:
    with resource("rates", name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def catalogue_lines() -> list[dict[str, str]]:
    """The catalogue's lines: code, name, section, budget type, basis, measure, note."""
    return _read("national_lines.csv")


def catalogue_rates() -> list[dict[str, str]]:
    """The catalogue's rates: line, basis, year, rate, months, source, confidence."""
    return _read("national_pcn_des.csv")


def rates_for_years(years: list[str]) -> list[CatalogueRate]:
    """A rate for every per-head catalogue line and book year (carried or nil where unknown)."""
    table = catalogue_rates()
    out: list[CatalogueRate] = []
    for line in catalogue_lines():
        if line["basis"] != "per_head":
            continue
        code = line["line"]
        by_year = {r["year"]: r for r in table if r["line"] == code}
        for year in years:
            if year in by_year:
                r = by_year[year]
                out.append(
                    CatalogueRate(
                        code, year, r["rate"], float(r["months"]), r["source"], r["confidence"]
                    )
                )
                continue
            earlier = [y for y in by_year if y < year]
            if earlier:
                last = by_year[max(earlier)]
                out.append(
                    CatalogueRate(
                        code,
                        year,
                        last["rate"],
                        12.0,
                        f"{max(earlier)} rate carried forward (not in the catalogue)",
                        "assumed",
                    )
                )
            else:
                out.append(
                    CatalogueRate(code, year, "0", 12.0, "Not paid in this year", "confirmed")
                )
    return out


def add_national_lines(book: Book, years: list[str], level: str) -> None:
    """Add the catalogue's PCN DES lines, held at `level`, with their rates (in a transaction)."""
    add_lines(
        book,
        [
            NewLine(
                r["line"],
                r["section"],
                r["name"],
                r["budget_type"],
                level,
                r["basis"],
                r["measure"] or None,
                r["note"] or None,
            )
            for r in catalogue_lines()
        ],
    )
    line_id, year_idx = ids(book, "lines"), ids(book, "years")
    insert_rows(
        book,
        "rates",
        ("line_id", "year_idx", "rate", "months", "source", "confidence"),
        [
            (line_id[r.line], year_idx[r.year], r.rate, r.months, r.source, r.confidence)
            for r in rates_for_years(years)
        ],
    )


def new_blank_book(
    path: str | os.PathLike[str],
    *,
    years: list[str],
    name: str,
    root_code: str,
    root_name: str,
    rates: str | None,
    level: str = "pcn",
) -> Book:
    """A new book with chosen years and a top organisation; optionally the national lines."""

    def fill(book: Book) -> str:
        if rates == "national":
            add_national_lines(book, years, level)
            return f"blank book with the national PCN DES lines held at each {level}"
        return "blank book"

    return create_book(
        Path(path),
        years=years,
        name=name,
        root=NewOrg(root_code, root_name, "system", None),
        fill=fill,
    )
