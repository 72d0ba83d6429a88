"""No silent zeros: per-head lines with a rate for a year but nothing to apply it to.

A line paid per head at PCN level in a book whose PCNs have no population (a population file
without PCN codes, say) computes to £0 everywhere; that must be said wherever the figure shows,
not passed off as a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..book.schema import MEASURES
from .compute import Results
from .snapshot import PER_HEAD


@dataclass(frozen=True)
class Gap:
    """A per-head line whose rate has nothing to apply to, in some years."""

    line: str
    name: str
    level: str
    measure: str
    years: tuple[str, ...]
    reason: str

    def sentence(self) -> str:
        span = self.years[0] if len(self.years) == 1 else f"{self.years[0]} to {self.years[-1]}"
        return f"{self.name} ({self.line}), {span}: {self.reason}"


def missing_populations(res: Results) -> list[Gap]:
    """Every per-head line with a non-zero rate in a year where no organisation holding it has a
    population of its measure (or no organisation holds it at all)."""
    snap = res.snapshot
    s = snap.structure
    lines = np.flatnonzero(snap.basis == PER_HEAD)
    if lines.size == 0:
        return []
    paid = snap.rate_set[lines] & (snap.rate[lines] > 0) & (snap.months[lines] > 0)  # (L', Y)
    holders = snap.holds[:, lines]  # (O, L')
    pop = res.pop[:, snap.measure[lines], :]  # (O, L', Y)
    known = np.nan_to_num(pop, nan=0.0) > 0
    has_pop = (known & holders[:, :, None]).any(axis=0)  # (L', Y)
    missing = paid & ~has_pop
    gaps = []
    for k in np.flatnonzero(missing.any(axis=1)):
        line = s.lines[int(lines[k])]
        measure = MEASURES[int(snap.measure[lines[k]])]
        years = tuple(s.years[int(y)] for y in np.flatnonzero(missing[k]))
        if not holders[:, k].any():
            reason = (
                f"no organisation of kind '{line.level}' holds it, so its rate applies to nobody"
            )
        else:
            reason = (
                f"no {measure} population at any {line.level}, so it shows £0; import or enter"
                f" the {line.level}s' {measure} lists"
            )
        gaps.append(Gap(line.code, line.name, line.level, measure, years, reason))
    return gaps


def cell_gap(res: Results, org: int, line: int, year: int) -> str | None:
    """Why a per-head cell of an organisation holding the line cannot be worked out (its rate
    is paid but it has no population of the line's measure that year), or None."""
    snap = res.snapshot
    if snap.basis[line] != PER_HEAD or not snap.holds[org, line]:
        return None
    if snap.open.size and not snap.open[org, year]:  # closed that year: nil, not a gap
        return None
    if not (
        snap.rate_set[line, year] and snap.rate[line, year] > 0 and snap.months[line, year] > 0
    ):
        return None
    pop = res.pop[org, snap.measure[line], year]
    if pop == pop and pop > 0:  # known (NaN is not equal to itself)
        return None
    s = snap.structure
    measure = MEASURES[int(snap.measure[line])]
    return (
        f"No {measure} population for {s.orgs[org].code} in {s.years[year]}: the rate has "
        f"nothing to apply to. Import or enter the {measure} list."
    )
