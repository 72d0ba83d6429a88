"""The calculation: every line x organisation x year of one scenario, vectorised with numpy.

Order matters only where the domain says so: per-head, entered and uplift lines stand alone;
a balancing line needs every other line of its budget type rolled up first. Amounts are int64
pence; each computed cell is worked in float64 and rounded once, half away from zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..book.money import grow, round_pence
from .leftshift import compute_leftshift
from .limits import refuse_overflow
from .population import populations
from .snapshot import BALANCE, ENTERED, LEFT_SHIFT, PER_HEAD, UPLIFT, Snapshot

#: Cell status, as the grid shows it.
NOT_HELD, CALCULATED, ENTERED_CELL, OVERRIDDEN = 0, 1, 2, 3


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
    scratch: np.ndarray  # (O, L, Y) int64 work space for roll-ups
    type_spend: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), dtype=np.int64))

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
    `out` and `scratch` (same shape as `values`) let a recalculation reuse its buffers.
    """
    csum = np.cumsum(values, axis=0, out=scratch)
    result = np.take(csum, subtree_end - 1, axis=0, out=out)
    result[1:] -= csum[:-1]
    return result


def _lines_of(snap: Snapshot, basis: int, only: np.ndarray | None) -> np.ndarray:
    mask = snap.basis == basis
    if only is not None:
        keep = np.zeros_like(mask)
        keep[only] = True
        mask &= keep
    return np.flatnonzero(mask)


def _merge_overrides(res: Results, lines: np.ndarray, calc: np.ndarray) -> np.ndarray:
    """`calc` (O, n, Y) with entered values put in, only for lines that have any."""
    snap = res.snapshot
    own = calc.copy()
    for k in np.flatnonzero(snap.line_has_entries[lines]):
        li = lines[k]
        keep = snap.entered_set[:, li] & snap.holds[:, li, None]
        own[:, k] = np.where(keep, snap.entered[:, li], calc[:, k])
    return own


def _compute_own(res: Results, only: np.ndarray | None) -> None:
    """Fill calc and own for non-balancing lines (all, or only those in `only`)."""
    snap = res.snapshot
    ph = _lines_of(snap, PER_HEAD, only)
    if ph.size:
        pop = np.nan_to_num(res.pop[:, snap.measure[ph], :])  # (O, Lph, Y)
        pop *= snap.rate[ph][None] * (snap.months[ph] / 12.0)[None]
        calc = round_pence(pop)
        calc *= snap.holds[:, ph, None]
        res.calc[:, ph] = calc
        res.own[:, ph] = _merge_overrides(res, ph, calc)
    en = _lines_of(snap, ENTERED, only)
    if en.size:
        res.calc[:, en] = 0
        res.own[:, en] = _merge_overrides(res, en, np.zeros_like(res.calc[:, en]))
    ls = _lines_of(snap, LEFT_SHIFT, only)
    if ls.size:
        calc = np.zeros_like(res.calc[:, ls])
        for o, params in snap.leftshift.items():
            investment = compute_leftshift(params, snap.structure.years).totals["investment"]
            calc[o] = round_pence(investment)[None, :]
        res.calc[:, ls] = calc
        res.own[:, ls] = _merge_overrides(res, ls, calc)
    up = _lines_of(snap, UPLIFT, only)
    if up.size:
        # Year-major copies (Y, O, U) so each year's step runs over contiguous memory.
        held = snap.holds[:, up]
        typed = np.moveaxis(snap.entered_set[:, up], 2, 0) & held
        entered = np.moveaxis(snap.entered[:, up], 2, 0)
        own = np.where(typed, entered, 0)
        calc = np.zeros_like(own)
        rate = snap.uplift[up].T
        for y in range(1, own.shape[0]):  # each year grows from the year before, as entered
            grown = grow(own[y - 1], rate[y])
            grown *= held
            calc[y] = grown
            own[y] = np.where(typed[y], entered[y], grown)
        res.calc[:, up] = np.moveaxis(calc, 0, 2)
        res.own[:, up] = np.moveaxis(own, 0, 2)


def _compute_balances(res: Results, types: np.ndarray | None) -> None:
    """Balancing lines: the allocation of their budget type less every other line of it."""
    snap = res.snapshot
    bal = np.flatnonzero(snap.basis == BALANCE)
    if types is not None:
        bal = bal[np.isin(snap.year_type[bal], types).any(axis=1)]
    if bal.size == 0:
        return
    years = np.arange(snap.year_type.shape[1])
    for b in bal:
        t = snap.year_type[b]  # the type it balances, year by year
        calc = res.alloc_rolled[:, t, years] - res.type_spend[:, t, years]
        held = snap.holds[:, b, None]
        res.calc[:, b] = np.where(held, calc, 0)
        res.own[:, b] = np.where(snap.entered_set[:, b] & held, snap.entered[:, b], res.calc[:, b])
    res.rolled[:, bal] = rollup(res.own[:, bal], snap.subtree_end)


def _type_spend(res: Results) -> np.ndarray:
    """(O, T, Y) rolled spend of each budget type, balancing lines left out."""
    snap = res.snapshot
    out = np.zeros((res.rolled.shape[0], len(snap.type_index), res.rolled.shape[2]), dtype=np.int64)
    others = snap.basis != BALANCE
    fixed = (snap.year_type == snap.line_type[:, None]).all(axis=1)
    for t in range(out.shape[1]):
        same = np.flatnonzero(others & fixed & (snap.line_type == t))
        if same.size:
            out[:, t] = res.rolled[:, same].sum(axis=1)
    for li in np.flatnonzero(others & ~fixed):  # lines whose type changes between years
        for y, t in enumerate(snap.year_type[li]):
            out[:, t, y] += res.rolled[:, li, y]
    return out


def compute(snap: Snapshot) -> Results:
    """Compute a whole book or scenario from its snapshot."""
    shape = snap.shape
    n_org, _, n_year = shape
    n_type = snap.alloc.shape[1]
    res = Results(
        snapshot=snap,
        pop=np.zeros((n_org, snap.known_pop.shape[1], n_year)),
        pop_status=np.zeros((n_org, snap.known_pop.shape[1], n_year), dtype=np.int8),
        calc=np.zeros(shape, dtype=np.int64),
        own=np.zeros(shape, dtype=np.int64),
        rolled=np.zeros(shape, dtype=np.int64),
        alloc_rolled=np.zeros((n_org, n_type, n_year), dtype=np.int64),
        alloc_present=np.zeros((n_org, n_type, n_year), dtype=bool),
        scratch=np.zeros(shape, dtype=np.int64),
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
        _recompute(
            res,
            lines=lines,
            populations_changed=populations_changed,
            allocations_changed=allocations_changed,
        )
    finally:
        _hand_out(res, writable=False)
    refuse_overflow(res)


#: The arrays a caller reads; read-only outside a recalculation, so no view or chart can change
#: a figure behind the engine's back (they change only through the book).
HANDED_OUT = ("pop", "pop_status", "calc", "own", "rolled", "alloc_rolled", "alloc_present")


def _hand_out(res: Results, *, writable: bool) -> None:
    for name in (*HANDED_OUT, "type_spend"):
        getattr(res, name).flags.writeable = writable


def _recompute(
    res: Results,
    *,
    lines: np.ndarray | None,
    populations_changed: bool,
    allocations_changed: bool,
) -> None:
    snap = res.snapshot
    everything = lines is None and not populations_changed and not allocations_changed
    if populations_changed or everything:
        res.pop, res.pop_status = populations(snap)
    if allocations_changed or everything:
        res.alloc_rolled = rollup(snap.alloc, snap.subtree_end)
        res.alloc_present = rollup(snap.alloc_set.astype(np.int64), snap.subtree_end) > 0
    if everything or (lines is None and populations_changed and allocations_changed):
        _compute_own(res, None)
        rollup(res.own, snap.subtree_end, out=res.rolled, scratch=res.scratch)
        res.type_spend = _type_spend(res)
        _compute_balances(res, None)
        return
    if populations_changed:
        ph = np.flatnonzero(snap.basis == PER_HEAD)
        lines = ph if lines is None else np.union1d(lines, ph)
    types = None
    if lines is not None and lines.size:
        own_lines = lines[snap.basis[lines] != BALANCE]
        if own_lines.size:
            before = res.rolled[:, own_lines].copy()
            _compute_own(res, own_lines)
            res.rolled[:, own_lines] = rollup(res.own[:, own_lines], snap.subtree_end)
            delta = res.rolled[:, own_lines] - before
            res.type_spend = res.type_spend.copy()  # may be shared with the results it came from
            years = np.arange(delta.shape[2])
            for k, li in enumerate(own_lines):  # keep each type's spend current, line by line
                res.type_spend[:, snap.year_type[li], years] += delta[:, k]
        types = np.unique(snap.year_type[lines])
    if allocations_changed:
        types = None
    _compute_balances(res, types)
