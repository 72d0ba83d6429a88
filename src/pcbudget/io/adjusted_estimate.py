"""An explicit, noted estimate of the PCN adjusted population where none was given.

Enhanced access, capacity and access and part of core PCN funding are paid on the PCN adjusted
population, which NHS England publishes separately from the practice lists. Without it those
lines would be £0; instead the user asks for an estimate, and every figure written says what it
is: the weighted (or registered) list times a stated ratio. NHS England scales the adjusted
population to the national registered total, as the contractor weighted lists are, so the
default ratio is 1.00; a known figure is never replaced, and a real file imported later
replaces the estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..book.bounds import POPULATION
from ..book.errors import BookError
from ..book.operations import Change, Operation, Write, apply
from ..book.schema import MEASURES
from ..book.store import Book
from ..engine import Model
from ..engine.population import MISSING

TARGET = "adjusted"
SOURCES = ("weighted", "registered")


@dataclass
class Estimate:
    figures: int
    orgs: int
    change: Change | None

    def line(self, source: str, ratio: Decimal) -> str:
        return (
            f"Estimated the adjusted population of {self.orgs:,} organisation(s)"
            f" ({self.figures:,} figures) as the {source} list x {ratio}; each figure is noted"
            " as an estimate, and a real file imported later replaces it."
        )


def estimate_adjusted(
    book: Book, *, source: str = "weighted", ratio: str | Decimal = "1.00"
) -> Estimate:
    """Write `source` x `ratio` as the adjusted population wherever the organisations holding
    adjusted-population lines have none (known, projected or summed), as one operation."""
    book.require_writable()
    if source not in SOURCES:
        raise BookError(f"Estimate the adjusted population from {' or '.join(SOURCES)}.")
    try:
        factor = Decimal(str(ratio))
    except ArithmeticError:
        raise BookError(f"'{ratio}' is not a ratio.") from None
    if not (Decimal("0.5") <= factor <= Decimal(2)):
        raise BookError(f"A ratio of {ratio} is not plausible: give one between 0.5 and 2.")
    model = Model(book)
    res, snap, s = model.results, model.snapshot, model.structure
    a, m = MEASURES.index(TARGET), MEASURES.index(source)
    levels = {ln.level for ln in s.lines if ln.basis == "per_head" and ln.measure == TARGET}
    if not levels:
        raise BookError("No line of this book is paid on the adjusted population.")
    note = (
        f"Estimate: {source} list x {factor} (no PCN adjusted population was given; NHS England"
        " scales it to the national registered total, as the weighted lists are)"
    )
    writes = []
    orgs = set()
    for org in s.orgs:
        if org.kind not in levels:
            continue
        o = snap.org_index[org.id]
        for y, year in enumerate(s.years):
            if int(res.pop_status[o, a, y]) != MISSING:
                continue
            if int(res.pop_status[o, m, y]) == MISSING:
                continue  # nothing to estimate from: the gap stays named
            estimate = (Decimal(repr(float(res.pop[o, m, y]))) * factor).quantize(Decimal("0.01"))
            value = float(POPULATION.number(estimate, f"{org.code} {TARGET} {year}"))
            label = f"{org.code} {TARGET} {year}"
            writes.append(Write("population", (org.id, TARGET, y), label, (value, note), 0))
            orgs.add(org.id)
    if not writes:
        raise BookError(
            "Every organisation holding adjusted-population lines has an adjusted population"
            " (or no list to estimate it from): nothing to estimate."
        )
    label = f"Estimate adjusted population from {source}"
    change = apply(book, Operation(label, "baseline", 0, tuple(writes)))
    return Estimate(len(writes), len(orgs), change)
