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
from .children import below, counted_under
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


def missing_populations(res: Results, org: int | None = None) -> list[Gap]:
    """Every per-head line with a non-zero rate in a year where no organisation holding it has a
    population of its measure (or no organisation holds it at all).

    With `org` (a position), only the holders under it are looked at, each in the years it is
    (a dated move or closure): a line reads £0 for that organisation when none of its own
    holders has a population, however many elsewhere do. A line held in the book but never
    under `org` is not its line, so no gap."""
    snap = res.snapshot
    s = snap.structure
    scope = _scope(res, org)
    gaps = _missing_allocations(res, scope)
    lines = np.flatnonzero(snap.basis == PER_HEAD)
    if lines.size == 0:
        return gaps
    paid = snap.rate_set[lines] & (snap.rate[lines] > 0) & (snap.months[lines] > 0)  # (L', Y)
    anywhere = np.asarray(snap.holds[:, lines].any(axis=0))  # (L',): held anywhere in the book
    holders = snap.holds[scope.rows][:, lines]  # (O', L')
    # (O', L', Y): each holder's population of its line's measure is known; NaN compares False
    known = (res.pop[scope.rows] > 0)[:, snap.measure[lines]]
    if scope.counted is not None:
        known &= scope.counted[:, None, :]  # only the years each is under the organisation
    has_pop = (known & holders[:, :, None]).any(axis=0)  # (L', Y)
    missing: np.ndarray = paid & ~has_pop & (holders.any(axis=0) | ~anywhere)[:, None]
    for k in np.flatnonzero(missing.any(axis=1)):
        line = s.lines[int(lines[k])]
        measure = MEASURES[int(snap.measure[lines[k]])]
        years = tuple(s.years[int(y)] for y in np.flatnonzero(missing[k]))
        if not anywhere[k]:
            reason = (
                f"no organisation of kind '{line.level}' holds it, so its rate applies to nobody"
            )
        elif measure == "qof_points":
            reason = (
                f"no QOF points {scope.where(line.level)}, so it shows £0; import the"
                f" {line.level}s' points (measure qof_points) or enter them in Populations"
            )
        else:
            reason = (
                f"no {measure} population {scope.where(line.level)}, so it shows £0; import"
                f" or enter the {line.level}s' {measure} lists"
            )
        gaps.append(Gap(line.code, line.name, line.level, measure, years, reason))
    return gaps


@dataclass(frozen=True)
class _Scope:
    """The organisations a gap is looked for among: the whole book, or one subtree."""

    rows: np.ndarray | slice
    code: str | None
    kind: str | None
    #: (O', Y) whether each counts under the organisation that year (None: every year).
    counted: np.ndarray | None = None

    def where(self, level: str) -> str:
        """Where nothing was found, in words: at any pcn (in the book, or in an ICB), or for
        the one pcn shown."""
        if self.code is None:
            return f"at any {level}"
        return f"for {self.code}" if self.kind == level else f"at any {level} in {self.code}"


def _scope(res: Results, org: int | None) -> _Scope:
    """`org`'s subtree in any year (with the years each counts there); the whole book for no
    organisation or the book's top."""
    snap = res.snapshot
    if org is None or org == snap.org_index[snap.structure.root.id]:
        return _Scope(slice(None), None, None)
    shown = snap.structure.orgs[org]
    rows = below(snap, org)
    return _Scope(rows, shown.code, shown.kind, counted_under(snap, org, rows))


def _missing_allocations(res: Results, scope: _Scope) -> list[Gap]:
    """Share-of-allocation lines with a share in a year where no organisation holding the line
    (in the scope) has an allocation of its budget type."""
    snap = res.snapshot
    s = snap.structure
    gaps = []
    present = res.alloc_present[scope.rows]  # (O', T, Y)
    for li in np.flatnonzero(snap.basis == ALLOCATION_SHARE):
        line = s.lines[int(li)]
        anywhere = snap.holds[:, li].any()
        held = snap.holds[scope.rows, li]
        if anywhere and not held.any():
            continue  # held in the book, not under this organisation: not its line
        paid = snap.rate_set[li] & (snap.rate[li] > 0) & (snap.months[li] > 0)
        years = np.arange(paid.size)
        has = present[:, snap.year_type[li], years]  # (O', Y)
        if scope.counted is not None:
            has = has & scope.counted
        has = has[held].any(axis=0)
        missing = paid & ~has
        if not missing.any():
            continue
        span = tuple(s.years[int(y)] for y in np.flatnonzero(missing))
        inside = "" if scope.code is None else f" in {scope.code}"
        none_set = (
            f"{scope.code} has no allocation of its budget type"
            if scope.kind == line.level
            else f"no {line.level}{inside} holding it has an allocation of its budget type"
        )
        reason = (
            f"{none_set}, so its share shows £0; enter the allocation"
            if anywhere
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
