"""The calculation: every line x organisation x year of one scenario, vectorised with numpy.

Order matters only where the domain says so: per-head, entered and uplift lines stand alone;
a balancing line needs every other line of its budget type rolled up first. Amounts are int64
pence; each computed cell is worked in float64 and rounded once, half away from zero.

A national book is over a million cells, so the full calculation writes each result array in
place, a line group at a time (a slice when the group's lines are adjacent), and rolls up
child by child rather than with a cumulative sum down the organisations, which numpy runs
slowly across rows. What depends only on the book's shape is worked out once (`Plan`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..book.money import round_half_away_into, round_pence
from .leftshift import compute_leftshift
from .limits import refuse_overflow
from .population import populations
from .snapshot import BALANCE, ENTERED, LEFT_SHIFT, PER_HEAD, UPLIFT, Snapshot, cells

#: Cell status, as the grid shows it.
NOT_HELD, CALCULATED, ENTERED_CELL, OVERRIDDEN = 0, 1, 2, 3

#: The arrays a caller reads; read-only outside a recalculation, so no view or chart can change
#: a figure behind the engine's back (they change only through the book).
HANDED_OUT = ("pop", "pop_status", "calc", "own", "rolled", "alloc_rolled", "alloc_present")

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass
class Results:
    """The engine's output for one scenario; arrays share the snapshot's axes."""

    snapshot: Snapshot
    pop: np.ndarray  # (O, M, Y) float64
    pop_status: np.ndarray  # (O, M, Y) int8
    calc: np.ndarray  # (O, L, Y) int64: what the line's basis gives, before overrides
    own: np.ndarray  # (O, L, Y) int64: the amount held at the organisation
    rolled: np.ndarray  # (O, L, Y) int64: own plus every descendant's
    alloc_rolled: np.ndarray  # (O, T, Y) int64
    alloc_present: np.ndarray  # (O, T, Y) bool: an allocation is set in the subtree
    #: (L,) largest and smallest amount held on each line, so an edit checks only its lines.
    line_high: np.ndarray = field(default_factory=lambda: _EMPTY)
    line_low: np.ndarray = field(default_factory=lambda: _EMPTY)

    def status(self) -> np.ndarray:
        """(O, L, Y) int8: not held, calculated, entered or overridden."""
        snap = self.snapshot
        return _status(snap.basis, snap.entered_set, snap.holds)

    def status_at(self, org: int) -> np.ndarray:
        """(L, Y) int8 status of one organisation's cells."""
        snap = self.snapshot
        return _status(snap.basis, snap.entered_set[org][None], snap.holds[org][None])[0]


def _status(basis: np.ndarray, entered_set: np.ndarray, holds: np.ndarray) -> np.ndarray:
    typed = np.zeros(entered_set.shape[1:], dtype=bool)
    typed[basis == ENTERED, :] = True
    typed[basis == UPLIFT, 0] = True
    out = np.where(typed, ENTERED_CELL, np.where(entered_set, OVERRIDDEN, CALCULATED))
    return np.where(holds[:, :, None], out, NOT_HELD).astype(np.int8)


def rollup(
    values: np.ndarray,
    subtree_end: np.ndarray,
    out: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """Each organisation's value plus its descendants' (a subtree is a contiguous slice).

    One cumulative sum down the depth-first order: rolled[i] = csum[end_i - 1] - csum[i - 1].
    `out` and `scratch` (same shape as `values`) let a caller reuse its buffers.
    """
    csum = np.cumsum(values, axis=0, out=scratch)
    result = np.take(csum, subtree_end - 1, axis=0, out=out)
    result[1:] -= csum[:-1]
    return result


@dataclass(frozen=True)
class Plan:
    """What a calculation needs from the book's shape: line groups and the roll-up's parents."""

    made_from: tuple[np.ndarray, ...]  # the snapshot arrays it was worked out from
    groups: dict[int, np.ndarray]  # basis -> its lines
    parents: np.ndarray  # organisations with children, each subtree [p, last + 1)
    last: np.ndarray  # the last organisation of each parent's subtree
    type_lines: np.ndarray  # (T, L, Y) bool: a non-balancing line's amount counts against type t


def plan_of(snap: Snapshot) -> Plan:
    """The plan for `snap`, reused while its shape arrays are the same objects."""
    made_from = (snap.basis, snap.subtree_end, snap.year_type)
    cached = getattr(snap, "_plan", None)
    if cached is not None and all(a is b for a, b in zip(cached.made_from, made_from, strict=True)):
        return cached
    groups = {basis: np.flatnonzero(snap.basis == basis) for basis in range(5)}
    parents = np.flatnonzero(snap.subtree_end > np.arange(1, snap.subtree_end.size + 1))
    n_type = snap.alloc.shape[1]
    others = (snap.basis != BALANCE)[:, None]
    type_lines = np.stack([(snap.year_type == t) & others for t in range(n_type)])
    plan = Plan(made_from, groups, parents, snap.subtree_end[parents] - 1, type_lines)
    object.__setattr__(snap, "_plan", plan)
    return plan


def _at(lines: np.ndarray) -> slice | np.ndarray:
    """Lines as an index: a slice (a view, no copy) when they are adjacent."""
    if lines.size and lines[-1] - lines[0] == lines.size - 1:
        return slice(int(lines[0]), int(lines[-1]) + 1)
    return lines


def _roll(values: np.ndarray, plan: Plan, out: np.ndarray | None = None) -> np.ndarray:
    """`rollup` of any (O, ...) array, worked along the organisations' own contiguous axis.

    A leaf is its own total; a parent's subtree is a contiguous run of organisations, so its
    total is one difference of a cumulative sum (exact in int64, even past a wrap)."""
    if out is None:
        out = values.copy(order="K")
    elif out is not values:
        np.copyto(out, values)
    if not plan.parents.size:
        return out
    by_org = out.T  # (..., O): contiguous for year-major storage
    work = by_org if by_org.flags.c_contiguous else np.ascontiguousarray(by_org)
    flat = work.reshape(-1, work.shape[-1])
    csum = np.cumsum(flat, axis=1)
    totals = csum[:, plan.last]
    inner = plan.parents > 0
    totals[:, inner] -= csum[:, plan.parents[inner] - 1]
    flat[:, plan.parents] = totals
    if work is not by_org:
        by_org[...] = work
    return out


def _per_head(res: Results, lines: np.ndarray, at: slice | np.ndarray) -> None:
    """Per-head lines into calc: rate x population x months/12, nil where not held."""
    snap = res.snapshot
    factor = snap.rate[lines] * (snap.months[lines] / 12.0)  # (n, Y)
    pop = np.array(res.pop.T, order="C")  # (Y, M, O)
    np.nan_to_num(pop, copy=False)
    work = np.take(pop, snap.measure[lines], axis=1)  # (Y, n, O)
    work *= factor.T[:, :, None]
    work *= 100.0
    # Rates, months and populations are never negative (book/bounds.py), but a book is checked,
    # not trusted: the sign is looked at only if one is.
    non_negative = bool(factor.min(initial=0) >= 0 and pop.min(initial=0) >= 0)
    pence = np.empty(work.shape, dtype=np.int64)
    round_half_away_into(work, pence, non_negative=non_negative)
    pence *= snap.holds.T[lines][None]
    res.calc.T[:, at] = pence


def _left_shift(res: Results, at: slice | np.ndarray) -> None:
    """Left-shift lines into calc: each organisation's investment, on every left-shift line."""
    snap = res.snapshot
    calc = res.calc.T  # (Y, L, O)
    calc[:, at] = 0
    for o, params in snap.leftshift.items():
        investment = compute_leftshift(params, snap.structure.years).totals["investment"]
        calc[:, at, o] = round_pence(investment)[:, None]


def _uplift(res: Results, lines: np.ndarray, at: slice | np.ndarray) -> None:
    """Uplift lines: each year grows from the year before, as entered or overridden there."""
    snap = res.snapshot
    held = snap.holds.T[lines]  # (U, O)
    typed_in, entered = snap.entered_set.T[:, at], snap.entered.T[:, at]  # (Y, U, O)
    adjacent = isinstance(at, slice)
    own = res.own.T[:, at] if adjacent else np.empty(entered.shape, dtype=np.int64)
    calc = res.calc.T[:, at] if adjacent else np.empty(entered.shape, dtype=np.int64)
    np.multiply(entered[0], typed_in[0] & held, out=own[0])
    calc[0] = 0
    factor = 1.0 + snap.uplift[lines]  # (U, Y)
    work = np.empty(held.shape, dtype=np.float64)
    for y in range(1, own.shape[0]):  # each year grows from the year before, as entered
        np.multiply(own[y - 1], factor[:, y, None], out=work)  # as money.grow does
        round_half_away_into(work, calc[y])
        calc[y] *= held
        own[y] = calc[y]
        np.copyto(own[y], entered[y], where=typed_in[y] & held)
    if not adjacent:
        res.calc.T[:, at], res.own.T[:, at] = calc, own


def _compute_own(res: Results, only: np.ndarray | None) -> None:
    """Fill calc and own for non-balancing lines (all, or only those in `only`)."""
    snap = res.snapshot
    plan = plan_of(snap)
    calc, own = res.calc.T, res.own.T  # (Y, L, O), as stored
    for basis in (PER_HEAD, ENTERED, LEFT_SHIFT, UPLIFT):
        lines = plan.groups[basis]
        if only is not None:
            lines = lines[np.isin(lines, only)]
        if not lines.size:
            continue
        at = _at(lines)
        if basis == UPLIFT:
            _uplift(res, lines, at)
            continue
        if basis == PER_HEAD:
            _per_head(res, lines, at)
        elif basis == LEFT_SHIFT:
            _left_shift(res, at)
        else:
            calc[:, at] = 0
        own[:, at] = calc[:, at]
        for li in lines[snap.line_has_entries[lines]]:  # overrides, where a line has any
            keep = snap.entered_set.T[:, li] & snap.holds.T[li]
            np.copyto(own[:, li], snap.entered.T[:, li], where=keep)


def _compute_balances(res: Results, types: np.ndarray | None) -> np.ndarray:
    """Balancing lines: the allocation of their budget type less every other line of it,
    rolled up, worked out only where a balancing line is held. Returns the lines redone."""
    snap = res.snapshot
    plan = plan_of(snap)
    bal = plan.groups[BALANCE]
    if types is not None:
        bal = bal[np.isin(snap.year_type[bal], types).any(axis=1)]
    if bal.size == 0:
        return bal
    years = np.arange(snap.year_type.shape[1])
    for b in bal:
        t = snap.year_type[b]  # the type it balances, year by year
        held = np.flatnonzero(snap.holds[:, b])
        counted = plan.type_lines[t, :, years]  # (Y, L): lines of that type, year by year
        spend = np.sum(res.rolled.T[:, :, held], axis=1, where=counted[:, :, None])  # (Y, H)
        calc = np.zeros((len(years), snap.shape[0]), dtype=np.int64)
        calc[:, held] = res.alloc_rolled[held[None, :], t[:, None], years[:, None]] - spend
        res.calc.T[:, b] = calc
        keep = snap.entered_set.T[:, b] & snap.holds.T[b]
        np.copyto(calc, snap.entered.T[:, b], where=keep)
        res.own.T[:, b] = calc
    at = _at(bal)
    res.rolled[:, at] = _roll(res.own[:, at], plan)
    return bal


def compute(snap: Snapshot) -> Results:
    """Compute a whole book or scenario from its snapshot."""
    shape = snap.shape
    n_org, _, n_year = shape
    n_type = snap.alloc.shape[1]
    res = Results(
        snapshot=snap,
        pop=np.zeros((n_org, snap.known_pop.shape[1], n_year)),
        pop_status=np.zeros((n_org, snap.known_pop.shape[1], n_year), dtype=np.int8),
        calc=cells(shape, np.int64),
        own=cells(shape, np.int64),
        rolled=cells(shape, np.int64),
        alloc_rolled=np.zeros((n_org, n_type, n_year), dtype=np.int64),
        alloc_present=np.zeros((n_org, n_type, n_year), dtype=bool),
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
    try:
        redone = _recompute(
            res,
            lines=lines,
            populations_changed=populations_changed,
            allocations_changed=allocations_changed,
        )
        _extremes(res, redone)
    finally:
        _hand_out(res, writable=False)
    refuse_overflow(res)


def _hand_out(res: Results, *, writable: bool) -> None:
    for name in HANDED_OUT:
        getattr(res, name).flags.writeable = writable


def _extremes(res: Results, lines: np.ndarray | None) -> None:
    """Keep each line's largest and smallest held amount current (all lines, or `lines`)."""
    if lines is None or res.line_high.size != res.own.shape[1]:
        own = res.own.T  # (Y, L, O), as stored
        res.line_high = own.max(axis=2, initial=0).max(axis=0, initial=0)
        res.line_low = own.min(axis=2, initial=0).min(axis=0, initial=0)
    elif lines.size:
        res.line_high = res.line_high.copy()  # may be shared with the results it came from
        res.line_low = res.line_low.copy()
        own = res.own.T[:, lines]
        res.line_high[lines] = own.max(axis=2, initial=0).max(axis=0, initial=0)
        res.line_low[lines] = own.min(axis=2, initial=0).min(axis=0, initial=0)


def _recompute(
    res: Results,
    *,
    lines: np.ndarray | None,
    populations_changed: bool,
    allocations_changed: bool,
) -> np.ndarray | None:
    """Recalculate; returns the lines whose amounts were redone (None: every line)."""
    snap = res.snapshot
    plan = plan_of(snap)
    everything = lines is None and not populations_changed and not allocations_changed
    if populations_changed or everything:
        res.pop, res.pop_status = populations(snap)
    if allocations_changed or everything:
        res.alloc_rolled = _roll(snap.alloc, plan)
        res.alloc_present = _roll(snap.alloc_set.astype(np.int64), plan) > 0
    if everything or (lines is None and populations_changed and allocations_changed):
        _compute_own(res, None)
        _roll(res.own, plan, out=res.rolled)
        _compute_balances(res, None)
        return None
    if populations_changed:
        ph = plan.groups[PER_HEAD]
        lines = ph if lines is None else np.union1d(lines, ph)
    types = None
    redone = _EMPTY
    if lines is not None and lines.size:
        own_lines = lines[snap.basis[lines] != BALANCE]
        if own_lines.size:
            _compute_own(res, own_lines)
            res.rolled[:, own_lines] = _roll(res.own[:, own_lines], plan)
            redone = own_lines
        types = np.unique(snap.year_type[lines])
    if allocations_changed:
        types = None
    return np.union1d(redone, _compute_balances(res, types))
