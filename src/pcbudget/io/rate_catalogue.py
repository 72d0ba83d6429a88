"""The national PCN DES rate catalogue (`resources/rates/`) and blank books that use it.

Each rate carries its source and a confidence ('confirmed', 'provisional', 'uncertain', 'not per
head', 'assumed'); a continuing line's rate is carried into years not yet published, marked
'assumed', and an ended or part-year line is never carried (reference.md has the sources).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from decimal import Decimal
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
    """The catalogue's lines: code, name, section, budget type, basis, measure, level, note."""
    return _read("national_lines.csv")


def catalogue_rates() -> list[dict[str, str]]:
    """The catalogue's rates: line, basis, year, rate, months, source, confidence."""
    return _read("national_pcn_des.csv")


def catalogue_budget_types() -> list[dict[str, str]]:
    """Lines whose budget type changes: line, from_year, budget_type, source."""
    return _read("national_budget_types.csv")


def _ended(row: dict[str, str]) -> bool:
    return row["source"].startswith("Ended")


def _after(code: str, year: str, last_year: str, last: dict[str, str]) -> CatalogueRate:
    """A year after the catalogue's last for the line: carried only if the line continues."""
    if _ended(last):
        return CatalogueRate(code, year, "0", 12.0, f"Ended (see {last_year})", "confirmed")
    if float(last["months"]) < 12:
        return CatalogueRate(
            code,
            year,
            "0",
            12.0,
            f"{last_year} was a part year: not carried forward, enter the rate when published",
            "uncertain",
        )
    return CatalogueRate(
        code,
        year,
        last["rate"],
        12.0,
        f"{last_year} rate carried forward: not yet published",
        "assumed",
    )


def rates_for_years(years: list[str]) -> list[CatalogueRate]:
    """A rate for every per-head catalogue line and book year.

    A year the catalogue gives is taken as it is; a year before the line began is nil; a later
    year carries the last rate forward, marked *assumed*, only where the line continues at a
    full-year rate: an ended or part-year line is never carried forward.
    """
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
                out.append(_after(code, year, max(earlier), by_year[max(earlier)]))
            else:
                out.append(
                    CatalogueRate(code, year, "0", 12.0, "Not paid in this year", "confirmed")
                )
    return out


def _relevant(code: str, basis: str, rates: list[CatalogueRate]) -> bool:
    """Whether a line pays anything in the book's years (an ended line is left out)."""
    if basis != "per_head":
        return True
    mine = [r for r in rates if r.line == code]
    return any(Decimal(r.rate) != 0 or r.confidence == "not per head" for r in mine)


def add_national_lines(book: Book, years: list[str], level: str) -> None:
    """Add the catalogue's lines that pay in the book's years, with their rates and budget
    types by year (in the caller's transaction).

    Each line is held where NHS England pays it (participation at practices, the rest at
    PCNs); `level` other than 'pcn' holds the PCN lines there instead (a book without PCNs).
    """
    rates = rates_for_years(years)
    lines = [r for r in catalogue_lines() if _relevant(r["line"], r["basis"], rates)]
    by_year = {r["line"]: _types_by_year(r, years) for r in lines}
    add_lines(
        book,
        [
            NewLine(
                r["line"],
                r["section"],
                r["name"],
                by_year[r["line"]][0],  # the type in the book's first year is the line's own
                level if r["level"] == "pcn" else r["level"],
                r["basis"],
                r["measure"] or None,
                r["note"] or None,
            )
            for r in lines
        ],
    )
    line_id, year_idx = ids(book, "lines"), ids(book, "years")
    insert_rows(
        book,
        "rates",
        ("line_id", "year_idx", "rate", "months", "source", "confidence"),
        [
            (line_id[r.line], year_idx[r.year], r.rate, r.months, r.source, r.confidence)
            for r in rates
            if r.line in line_id
        ],
    )
    book.conn.executemany(  # book-wide, not per scenario; only years that differ
        "INSERT INTO line_types (line_id, year_idx, budget_type) VALUES (?, ?, ?)",
        [
            (line_id[code], year_idx[y], t)
            for code, types in by_year.items()
            for y, t in zip(years, types, strict=True)
            if t != types[0]
        ],
    )


def _types_by_year(line: dict[str, str], years: list[str]) -> list[str]:
    """The budget type a catalogue line counts against in each book year."""
    changes = sorted(
        (t["from_year"], t["budget_type"])
        for t in catalogue_budget_types()
        if t["line"] == line["line"]
    )
    out = []
    for year in years:
        current = line["budget_type"]
        for start, btype in changes:
            if start <= year:
                current = btype
        out.append(current)
    return out


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
