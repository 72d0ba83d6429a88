"""The calculation: every line x organisation x year of one scenario, vectorised with numpy.

Order matters only where the domain says so: per-head, entered and uplift lines stand alone;
a balancing line needs every other line of its budget type rolled up first. Amounts are int64
pence; each computed cell is worked in float64 and rounded once, half away from zero.

A national book is over a million cells, so the full calculation writes each result array in
place, a line group at a time (a slice when the group's lines are adjacent), along each line's
organisations, which the year-major storage keeps contiguous (`snapshot.cells`). The roll-up
and what depends only on the book's shape are in `rollup.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..book.money import round_half_away_into, round_pence
from .cell_status import cell_status
from .closures import close_cells, closed_years, open_allocations
from .leftshift import compute_leftshift
from .limits import refuse_overflow
from .population import populations
from .roll_lines import roll_own
from .rollup import lines_at, plan_of, roll
from .runs import Run, runs_of
from .snapshot import (
    ALLOCATION_SHARE,
    BALANCE,
    ENTERED,
    LEFT_SHIFT,
    PER_HEAD,
    UPLIFT,
    Snapshot,
    cells,
)

#: The arrays a caller reads; read-only outside a recalculation, so no view or chart can change
#: a figure behind the engine's back (they change only through the book).
HANDED_OUT = ("pop", "pop_status", "own", "rolled", "alloc_rolled", "alloc_present")

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass
class Results:
    """The engine's output for one scenario; arrays share the snapshot's axes."""

    snapshot: Snapshot
    pop: np.ndarray  # (O, M, Y) float64
    pop_status: np.ndarray  # (O, M, Y) int8
    own: np.ndarray  # (O, L, Y) int64: the amount held at the organisation
    rolled: np.ndarray  # (O, L, Y) int64: own plus every descendant's
    alloc_rolled: np.ndarray  # (O, T, Y) int64
    alloc_present: np.ndarray  # (O, T, Y) bool: an allocation is set in the subtree
    #: (L,) largest and smallest amount held on each line, so an edit checks only its lines.
    line_high: np.ndarray
    line_low: np.ndarray
    #: What the basis gives where it differs from `own`: only where an amount is entered (an
    #: override, or an uplift line's typed year). Line -> (cells as y x O + o, pence).
    replaced: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _calc: np.ndarray | None = field(default=None, repr=False)

    @property
    def calc(self) -> np.ndarray:
        """(O, L, Y) int64: what each line's basis gives, before overrides (read-only).

        Made on first use after a recalculation: it equals `own` but where an amount is
        entered, so a book's worth of pence is held twice only while someone looks."""
        if self._calc is None:
            calc = self.own.copy(order="K")
            n_org = calc.shape[0]
            for li, (cells, pence) in self.replaced.items():
                calc.T[cells // n_org, li, cells % n_org] = pence
            calc.flags.writeable = False
            self._calc = calc
        return self._calc

    def calc_at(self, org: int, line: int, year: int) -> int:
        """What the basis gives for one cell, before any override."""
        cells, pence = self.replaced.get(line, (_EMPTY, _EMPTY))
        at = np.flatnonzero(cells == year * self.own.shape[0] + org)
        return int(pence[at[0]]) if at.size else int(self.own[org, line, year])

    def status(self) -> np.ndarray:
        """(O, L, Y) int8: not held, calculated, entered or overridden (not held in a year the
        organisation is closed)."""
        snap = self.snapshot
        return cell_status(snap.basis, snap.entered_set, snap.holds, snap.open)

    def status_at(self, org: int) -> np.ndarray:
        """(L, Y) int8 status of one organisation's cells."""
        snap = self.snapshot
        is_open = snap.open[org][None] if snap.open.size else snap.open
        return cell_status(snap.basis, snap.entered_set[org][None], snap.holds[org][None], is_open)[
            0
        ]

    def line_status(self, line: int, orgs: np.ndarray) -> np.ndarray:
        """(len(orgs), Y) int8 status of one line's cells at many organisations, at once (the
        practice grid reads a line at every practice of a subtree)."""
        return self.statuses(orgs, np.array([line]))[:, 0]

    def statuses(self, orgs: np.ndarray, lines: np.ndarray) -> np.ndarray:
        """(len(orgs), len(lines), Y) int8 status of those lines' cells at those organisations
        only (a return's section sheet, a grid's line), not the whole book's."""
        snap = self.snapshot
        is_open = snap.open[orgs] if snap.open.size else snap.open
        at = np.ix_(orgs, lines)
        return cell_status(snap.basis[lines], snap.entered_set[at], snap.holds[at], is_open)


def _per_head(res: Results, runs: list[Run]) -> None:
    """Per-head lines into own: rate x population x months/12, nil where not held.

    Worked only at the organisations holding the lines (PCN lines are held by one
    organisation in six), a group of lines held alike at a time."""
    snap = res.snapshot
    calc = res.own.T  # (Y, L, O), overrides put in after
    pop = res.pop.T  # (Y, M, O), as stored; NaN where unknown, which counts as nobody
    # Rates, months and populations are never negative (book/bounds.py), but a book is
    # checked, not trusted: the sign is looked at only if one is.
    non_negative = bool(np.fmin.reduce(pop, axis=None, initial=0.0) >= 0)
    for run in runs:  # runs of adjacent lines held alike
        mine, orgs, where = run.lines, run.holders, run.at
        if orgs is not None and not orgs.size:
            calc[:, where] = 0
            continue
        factor = snap.rate[mine] * (snap.months[mine] / 12.0)  # (n, Y)
        work = np.take(pop if orgs is None else pop[..., orgs], snap.measure[mine], axis=1)
        signed = not (non_negative and factor.min() >= 0)
        if signed:
            np.copyto(work, 0.0, where=np.isnan(work))
        work *= factor.T[:, :, None]
        work *= 100.0
        if not signed:
            np.fmax(work, 0.0, out=work)  # NaN (unknown) to nil, the rest as they are
        if orgs is None:  # held by most: worked for all, nil where not held
            work *= snap.holds.T[mine[0]]
            round_half_away_into(work, calc[:, where], non_negative=not signed)
            continue
        pence = np.empty(work.shape, dtype=np.int64)
        round_half_away_into(work, pence, non_negative=not signed)
        calc[:, where] = 0
        calc[:, where, orgs] = pence


def _allocation_share(res: Results, lines: np.ndarray) -> None:
    """Share-of-allocation lines (a contingency) into own: the share x months/12 of the
    allocation of the line's budget type that year, rolled up to each organisation holding it."""
    snap = res.snapshot
    calc = res.own.T  # (Y, L, O), overrides put in after
    years = np.arange(snap.year_type.shape[1])
    for li in lines:
        held = snap.holds[:, li]
        if not held.any():
            calc[:, li] = 0
            continue
        alloc = res.alloc_rolled[:, snap.year_type[li], years].T  # (Y, O) pounds x 100
        work = alloc * (snap.rate[li] * (snap.months[li] / 12.0))[:, None]
        pence = np.empty(work.shape, dtype=np.int64)
        round_half_away_into(work, pence)
        calc[:, li] = pence * held


def _left_shift(res: Results, at: slice | np.ndarray) -> None:
    """Left-shift lines into own: each organisation's investment, on every left-shift line."""
    snap = res.snapshot
    calc = res.own.T  # (Y, L, O), overrides put in after
    calc[:, at] = 0
    for o, params in snap.leftshift.items():
        investment = compute_leftshift(params, snap.structure.years).totals["investment"]
        calc[:, at, o] = round_pence(investment)[:, None]


def _uplift(res: Results, lines: np.ndarray, at: slice | np.ndarray) -> None:
    """Uplift lines: each year grows from the year before, as entered or overridden there."""
    snap = res.snapshot
    n_org = snap.shape[0]
    held = snap.holds.T[lines]  # (U, O)
    typed_in, entered = snap.entered_set.T[:, at], snap.entered.T[:, at]  # (Y, U, O)
    adjacent = isinstance(at, slice)
    own = res.own.T[:, at] if adjacent else np.empty(entered.shape, dtype=np.int64)
    factor = 1.0 + snap.uplift[lines]  # (U, Y)
    shut = dict(closed_years(snap))  # nil where closed: one reopened grows from what is typed
    work = np.empty(held.shape, dtype=np.float64)
    by_year = []  # per year: typed cells (as k x O + o, line-sorted) and what the basis gives
    for y in range(own.shape[0]):  # each year grows from the year before, as entered
        typed = typed_in[y] & held
        if y == 0:  # the first year is entered: nothing to grow from
            np.multiply(entered[0], typed, out=own[0])
            none_below = bool(own[0].min(initial=0) >= 0)  # no amount below zero this year
        else:
            np.multiply(own[y - 1], factor[:, y, None], out=work)  # as money.grow does
            if y - 1 in shut:
                work[:, shut[y - 1]] = 0
            # Uplifts are above -100%, so a year grown from amounts none below zero is too.
            rising = none_below and bool(factor[:, y].min(initial=1) >= 0)
            round_half_away_into(work, own[y], non_negative=rising)  # nil where not held
            none_below = rising or bool(own[y].min(initial=0) >= 0)
        if y > 0 and not typed.any():
            continue
        at_typed = np.flatnonzero(typed)
        if y == 0:
            pence = np.zeros(at_typed.size, dtype=np.int64)
        else:
            grown = np.reshape(own[y], -1, copy=False)  # a view (a year's lines are contiguous)
            pence = grown[at_typed]
            grown[at_typed] = typed_amounts = entered[y].reshape(-1)[at_typed]
            none_below = none_below and bool(typed_amounts.min(initial=0) >= 0)
        bounds = np.searchsorted(at_typed, np.arange(lines.size + 1) * n_org)
        by_year.append((y, bounds, at_typed, pence))
    if not adjacent:
        res.own.T[:, at] = own
    for k, li in enumerate(lines):
        cells = [typed[b[k] : b[k + 1]] + (y - k) * n_org for y, b, typed, _ in by_year]
        basis = [gives[b[k] : b[k + 1]] for _, b, _, gives in by_year]
        _replaced(res, int(li), np.concatenate(cells), np.concatenate(basis))


def _replaced(res: Results, line: int, cells: np.ndarray, pence: np.ndarray) -> None:
    if cells.size:
        res.replaced[line] = (cells, pence)
    else:
        res.replaced.pop(line, None)


def _put_entered(res: Results, line: int, own: np.ndarray) -> None:
    """An override replaces the basis's figure in `own` (Y, O) where it is held; the figure it
    replaces is kept (only at those cells) for what would have been calculated."""
    snap = res.snapshot
    if not snap.line_has_entries[line]:
        res.replaced.pop(line, None)
        return
    held = np.flatnonzero(snap.holds.T[line])  # looked at only where held: PCNs, places
    ys, at = np.nonzero(snap.entered_set.T[:, line][:, held])
    orgs = held[at]
    _replaced(res, line, ys * snap.shape[0] + orgs, own[ys, orgs])  # a copy: fancy indexing
    own[ys, orgs] = snap.entered.T[:, line][ys, orgs]


def _compute_own(res: Results, only: np.ndarray | None) -> None:
    """Fill own (and what overrides replace) for non-balancing lines (all, or those in `only`),
    then their roll-up and extremes, a basis at a time: a national book's figures are larger
    than the processor's cache, so each group's are rolled up while they are still in it."""
    snap = res.snapshot
    plan = plan_of(snap)
    own = res.own.T  # (Y, L, O), as stored
    for basis in (PER_HEAD, ENTERED, LEFT_SHIFT, ALLOCATION_SHARE, UPLIFT):
        lines = plan.groups[basis]
        if only is not None:
            lines = lines[np.isin(lines, only)]
        if not lines.size:
            continue
        at = lines_at(lines)
        if basis == UPLIFT:
            _uplift(res, lines, at)  # overrides are where each year grows from
        else:
            if basis == PER_HEAD:
                _per_head(res, runs_of(snap, lines))
            elif basis == LEFT_SHIFT:
                _left_shift(res, at)
            elif basis == ALLOCATION_SHARE:
                _allocation_share(res, lines)
            else:
                own[:, at] = 0
            for li in lines:  # overrides, where a line has any
                _put_entered(res, int(li), own[:, li])
        close_cells(res.own, res.snapshot, lines)
        roll_own(res, lines)  # and their extremes


def _compute_balances(res: Results, types: np.ndarray | None) -> None:
    """Balancing lines: the allocation of their budget type less every other line of it,
    rolled up, worked out only where a balancing line is held."""
    snap = res.snapshot
    plan = plan_of(snap)
    bal = plan.groups[BALANCE]
    if types is not None:
        bal = bal[np.isin(snap.year_type[bal], types).any(axis=1)]
    if bal.size == 0:
        return
    years = np.arange(snap.year_type.shape[1])
    for b in bal:
        t = snap.year_type[b]  # the type it balances, year by year
        held = np.flatnonzero(snap.holds[:, b])
        counted = plan.type_lines[t, :, years]  # (Y, L): lines of that type, year by year
        spend = np.sum(res.rolled.T[:, :, held], axis=1, where=counted[:, :, None])  # (Y, H)
        own = res.own.T[:, b]  # (Y, O)
        own[...] = 0
        own[:, held] = res.alloc_rolled[held[None, :], t[:, None], years[:, None]] - spend
        _put_entered(res, int(b), own)
    close_cells(res.own, snap, bal)
    roll_own(res, bal)  # and their extremes


def compute(snap: Snapshot) -> Results:
    """Compute a whole book or scenario from its snapshot."""
    shape = snap.shape
    n_org, _, n_year = shape
    n_type = snap.alloc.shape[1]
    res = Results(
        snapshot=snap,
        pop=np.zeros((n_org, snap.known_pop.shape[1], n_year)),
        pop_status=np.zeros((n_org, snap.known_pop.shape[1], n_year), dtype=np.int8),
        own=cells(shape, np.int64),
        rolled=cells(shape, np.int64),
        alloc_rolled=np.zeros((n_org, n_type, n_year), dtype=np.int64),
        alloc_present=np.zeros((n_org, n_type, n_year), dtype=bool),
        line_high=np.zeros(shape[1], dtype=np.int64),  # set by the roll-ups below
        line_low=np.zeros(shape[1], dtype=np.int64),
    )
    recompute(res, populations_changed=True, allocations_changed=True)
    return res


def recompute(
    res: Results,
    *,
    lines: np.ndarray | None = None,
    populations_changed: bool = False,
    allocations_changed: bool = False,
) -> None:
    """Bring `res` up to date after its snapshot changed, redoing only what the change touches.

    With no lines named and nothing else changed, everything is recalculated, in place. A cell
    or total too large to hold is refused with BookError naming it, never wrapped (limits.py).
    """
    _hand_out(res, writable=True)
    res._calc = None
    res.replaced = dict(res.replaced)  # may be shared with the results it came from
    res.line_high, res.line_low = res.line_high.copy(), res.line_low.copy()  # may be shared too
    try:
        _recompute(
            res,
            lines=lines,
            populations_changed=populations_changed,
            allocations_changed=allocations_changed,
        )
    finally:
        _hand_out(res, writable=False)
    refuse_overflow(res)


def _hand_out(res: Results, *, writable: bool) -> None:
    for name in HANDED_OUT:
        getattr(res, name).flags.writeable = writable


def _recompute(
    res: Results,
    *,
    lines: np.ndarray | None,
    populations_changed: bool,
    allocations_changed: bool,
) -> None:
    """Recalculate what the change touches (every line's roll-up keeps its extremes)."""
    snap = res.snapshot
    plan = plan_of(snap)
    everything = lines is None and not populations_changed and not allocations_changed
    if populations_changed or everything:
        res.pop, res.pop_status = populations(snap)
    if allocations_changed or everything:
        alloc, alloc_set = open_allocations(snap)  # a closed organisation's count nowhere
        by_org = (alloc_set | (alloc != 0)).reshape(alloc.shape[0], -1)
        holders = np.flatnonzero(by_org.any(axis=1))  # allocations are set high in the tree
        res.alloc_rolled = roll(alloc, plan, holders=holders)
        res.alloc_present = roll(alloc_set, plan, holders=holders)  # any set below: True
    if everything or (lines is None and populations_changed and allocations_changed):
        _compute_own(res, None)  # balances follow
        _compute_balances(res, None)
        return
    if populations_changed:
        ph = plan.groups[PER_HEAD]
        lines = ph if lines is None else np.union1d(lines, ph)
    if allocations_changed and plan.groups[ALLOCATION_SHARE].size:
        shares = plan.groups[ALLOCATION_SHARE]
        lines = shares if lines is None else np.union1d(lines, shares)
    types = None
    if lines is not None and lines.size:
        own_lines = lines[snap.basis[lines] != BALANCE]
        if own_lines.size:
            _compute_own(res, own_lines)
        types = np.unique(snap.year_type[lines])
    if allocations_changed:
        types = None
    _compute_balances(res, types)
