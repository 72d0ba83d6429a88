"""Practice lists from NHS England's *NHS Payments to General Practice*: its "Number of
Registered Patients (Last Known Figure)" and "Number of Weighted Patients (Last Known
Figure)" as the practices' registered and weighted populations for the file's year.

The weighted figure here is the contractor (Carr-Hill) weighted list the DES pays on, unlike
the allocation files' need-weighted population. Only practices already in the book are set (the
tree comes from a population file or by hand); the rest are counted, as one operation.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ..book.bounds import POPULATION
from ..book.errors import BookError
from ..book.operations import Change, Operation, Write, apply
from ..book.store import Book
from ..book.structure import load_structure
from .csv_text import header_words
from .nhs_payments import read_payments


@dataclass
class ListsImport:
    file: str
    year: str
    practices: int
    figures: int
    outside: int
    change: Change | None

    def lines(self) -> list[str]:
        out = [
            f"{self.file}: the registered and contractor weighted lists (Last Known Figure) of"
            f" {self.practices:,} practices set for {self.year} ({self.figures:,} figures)."
        ]
        if self.outside:
            out.append(f"{self.outside:,} practices in the file are not in this book: left out.")
        return out


def is_payments_file(path: str | os.PathLike[str]) -> bool:
    """Whether a csv's header row is NHS Payments to General Practice's (it has Global Sum)."""
    try:
        with Path(path).open(encoding="utf-8-sig", errors="replace") as handle:
            head = handle.read(20_000).lower()
    except OSError:
        return False
    return "practice code" in header_words(head) and "global sum" in head


def import_payment_lists(
    book: Book, path: str | os.PathLike[str], *, year: str | None = None
) -> ListsImport:
    """Set each book practice's registered and weighted list for the file's year."""
    book.require_writable()
    paid = read_payments(Path(path), year=year)
    file_year = paid.known_year()
    s = load_structure(book.conn)
    y = s.year_index(file_year)
    note = f"NHS Payments to General Practice {paid.name}: Last Known Figure"
    writes: list[Write] = []
    practices = outside = 0
    frame = paid.frame
    for code, registered, weighted in zip(
        frame["practice_code"], frame["registered"], frame["weighted"], strict=True
    ):
        try:
            org = s.org(str(code).strip())
        except BookError:
            outside += 1
            continue
        if org.kind != "practice":
            outside += 1
            continue
        wrote = False
        for measure, value in (("registered", registered), ("weighted", weighted)):
            if not math.isfinite(float(value)):
                continue  # the file has no figure: the gap stays named, never 0
            number = float(POPULATION.number(value, f"{org.code} {measure}"))
            label = f"{org.code} {measure} {s.years[y]}"
            writes.append(Write("population", (org.id, measure, y), label, (number, note), 0))
            wrote = True
        practices += wrote
    if not writes:
        raise BookError(f"{paid.name}: no practice of this book has a list in the file.")
    change = apply(book, Operation(f"Import lists from {paid.name}", "baseline", 0, tuple(writes)))
    return ListsImport(paid.name, s.years[y], practices, len(writes), outside, change)
