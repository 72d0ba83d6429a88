"""No silent zeros: lines with a rate for a year but nothing to apply it to (a per-head line
without a population, a share of the allocation where no allocation is set).

A line paid per head at PCN level in a book whose PCNs have no population (a population file
without PCN codes, say) computes to £0 everywhere; that must be said wherever the figure shows,
not passed off as a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..book.schema import MEASURES
from .compute import Results
from .snapshot import ALLOCATION_SHARE, PER_HEAD, RATED


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
    gaps = _missing_allocations(res)
    lines = np.flatnonzero(snap.basis == PER_HEAD)
    if lines.size == 0:
        return gaps
    paid = snap.rate_set[lines] & (snap.rate[lines] > 0) & (snap.months[lines] > 0)  # (L', Y)
    holders = snap.holds[:, lines]  # (O, L')
    known = res.pop > 0  # (O, M, Y); an unknown population (NaN) compares False
    has_pop = np.zeros(paid.shape, dtype=bool)  # (L', Y): a holder has a population
    for i, m in enumerate(snap.measure[lines].tolist()):
        has_pop[i] = known[holders[:, i], m].any(axis=0)
    missing = paid & ~has_pop
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
                f"no QOF points at any {line.level}, so it shows £0; import the {line.level}s'"
                " points (measure qof_points) or enter them in Populations"
                if measure == "qof_points"
                else f"no {measure} population at any {line.level}, so it shows £0; import or"
                f" enter the {line.level}s' {measure} lists"
            )
        gaps.append(Gap(line.code, line.name, line.level, measure, years, reason))
    return gaps


def _missing_allocations(res: Results) -> list[Gap]:
    """Share-of-allocation lines with a share in a year where no organisation holding the line
    has an allocation of its budget type."""
    snap = res.snapshot
    s = snap.structure
    gaps = []
    for li in np.flatnonzero(snap.basis == ALLOCATION_SHARE):
        line = s.lines[int(li)]
        held = snap.holds[:, li]
        paid = snap.rate_set[li] & (snap.rate[li] > 0) & (snap.months[li] > 0)
        years = np.arange(paid.size)
        has = res.alloc_present[:, snap.year_type[li], years][held].any(axis=0)
        missing = paid & ~has
        if not missing.any():
            continue
        span = tuple(s.years[int(y)] for y in np.flatnonzero(missing))
        reason = (
            f"no {line.level} holding it has an allocation of its budget type, so its share"
            " shows £0; enter the allocation"
            if held.any()
            else f"no organisation of kind '{line.level}' holds it, so its share applies to none"
        )
        gaps.append(Gap(line.code, line.name, line.level, "allocation", span, reason))
    return gaps


def cell_gap(res: Results, org: int, line: int, year: int) -> str | None:
    """Why a rated cell of an organisation holding the line cannot be worked out (its rate
    is paid but it has no population of the line's measure, or no allocation, that year)."""
    snap = res.snapshot
    basis = snap.basis[line]
    if basis not in RATED or not snap.holds[org, line]:
        return None
    if snap.open.size and not snap.open[org, year]:  # closed that year: nil, not a gap
        return None
    if not (
        snap.rate_set[line, year] and snap.rate[line, year] > 0 and snap.months[line, year] > 0
    ):
        return None
    if basis == ALLOCATION_SHARE:
        t = int(snap.year_type[line, year])
        if res.alloc_present[org, t, year]:
            return None
        code, s = snap.structure.budget_types[t].code, snap.structure
        return (
            f"No {code} allocation for {s.orgs[org].code} in {s.years[year]}: the share has"
            " nothing to apply to. Enter the allocation."
        )
    pop = res.pop[org, snap.measure[line], year]
    if pop == pop and pop > 0:  # known (NaN is not equal to itself)
        return None
    s = snap.structure
    measure = MEASURES[int(snap.measure[line])]
    return (
        f"No {measure} population for {s.orgs[org].code} in {s.years[year]}: the rate has "
        f"nothing to apply to. Import or enter the {measure} list."
    )
