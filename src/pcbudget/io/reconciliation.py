"""Published figures beside the book's own: every figure of a source document (for the LLR
sample, Tables 4-7 of the strategy) with the book lines that make it up and the difference.

A book names its published figures in its meta (`published_figures`); the figures live in
`resources/samples/<name>-published.csv` as table, figure, org, year, pounds, the summary rows
that add up to it, the difference the source's own rounding allows, and why.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from ..book.errors import BookError
from ..book.money import parse_money
from ..book.store import Book
from ..engine import Model
from ..engine.compute import Results
from ..engine.summary import summary_rows
from .resources import resource


@dataclass(frozen=True)
class Reconciled:
    """One published figure and the book's: amounts in pence."""

    table: str
    figure: str
    org: str
    year: str
    published: int
    book: int
    rows: str  # the book's summary rows that make the figure, 'section:line+...'
    allowed: int  # the difference the published table's own rounding explains
    why: str

    @property
    def difference(self) -> int:
        return self.book - self.published

    @property
    def agrees(self) -> bool:
        return abs(self.difference) <= self.allowed


def published_source(book: Book) -> str | None:
    return book.meta("published_figures") or None


def reconcile(book: Book, base: Results | None = None) -> list[Reconciled]:
    """The book's baseline beside each published figure; [] for a book with none. `base`: the
    baseline's results where the caller has them already (any other scenario's are ignored)."""
    name = published_source(book)
    if name is None:
        return []
    try:
        path = resource("samples", f"{name}-published.csv")
    except FileNotFoundError:
        raise BookError(
            f"This book's published figures ({name}) are not in this release."
        ) from None
    with path.open(encoding="utf-8", newline="") as handle:
        figures = list(csv.DictReader(handle))
    results = base if base is not None and base.snapshot.scenario.id == 0 else Model(book).results
    snap = results.snapshot
    s = snap.structure
    by_org: dict[str, dict[tuple[str, str], Any]] = {}
    out = []
    for f in figures:
        if f["org"] not in by_org:
            o = snap.org_index[s.org(f["org"]).id]
            by_org[f["org"]] = {(r.section, r.line): r.pence for r in summary_rows(results, o)}
        rows, y = by_org[f["org"]], s.year_index(f["year"])
        total, missing = 0, []
        for key in f["rows"].split("+"):
            section, line = key.split(":")
            pence = rows.get((section, line))
            if pence is None:
                missing.append(key)
            else:
                total += int(pence[y])
        why = f["why"] + (f" The book has no row {', '.join(missing)}." if missing else "")
        out.append(
            Reconciled(
                f["table"],
                f["figure"],
                f["org"],
                f["year"],
                parse_money(f["pounds"]),
                total,
                f["rows"],
                parse_money(f["tolerance"]),
                why.strip(),
            )
        )
    return out
