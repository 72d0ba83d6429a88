"""The calculation: every line x organisation x year of one scenario, vectorised with numpy.

Order matters only where the domain says so: per-head, entered and uplift lines stand alone;
a balancing line needs every other line of its budget type rolled up first. Amounts are int64
pence; each computed cell is worked in float64 and rounded once, half away from zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..book.money import round_half_away, round_pence
from .population import populations
from .snapshot import BALANCE, ENTERED, PER_HEAD, UPLIFT, Snapshot

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

    def status(self) -> np.ndarray:
        """(O, L, Y) int8: not held, calculated, entered or overridden."""
        snap = self.snapshot
        typed = np.zeros(snap.entered_set.shape, dtype=bool)
        typed[:, snap.basis == ENTERED, :] = True
        typed[:, snap.basis == UPLIFT, 0] = True
        out = np.where(typed, ENTERED_CELL, np.where(snap.entered_set, OVERRIDDEN, CALCULATED))
        return np.where(snap.holds[:, :, None], out, NOT_HELD).astype(np.int8)


def rollup(values: np.ndarray, subtree_end: np.ndarray) -> np.ndarray:
    """Each organisation's value plus its descendants' (a subtree is a contiguous slice)."""
    csum = np.zeros((values.shape[0] + 1, *values.shape[1:]), dtype=values.dtype)
    np.cumsum(values, axis=0, out=csum[1:])
    return csum[subtree_end] - csum[: values.shape[0]]


def _lines_of(snap: Snapshot, basis: int, only: np.ndarray | None) -> np.ndarray:
    mask = snap.basis == basis
    if only is not None:
        keep = np.zeros_like(mask)
        keep[only] = True
        mask &= keep
    return np.flatnonzero(mask)


def _compute_own(res: Results, only: np.ndarray | None) -> None:
    """Fill calc and own for non-balancing lines (all, or only those in `only`)."""
    snap = res.snapshot
    ph = _lines_of(snap, PER_HEAD, only)
    if ph.size:
        pop = np.nan_to_num(res.pop[:, snap.measure[ph], :])  # (O, Lph, Y)
        pounds = snap.rate[ph][None] * pop * (snap.months[ph] / 12.0)[None]
        calc = np.where(snap.holds[:, ph, None], round_pence(pounds), 0)
        res.calc[:, ph] = calc
        res.own[:, ph] = np.where(snap.entered_set[:, ph] & snap.holds[:, ph, None],
                                  snap.entered[:, ph], calc)
    en = _lines_of(snap, ENTERED, only)
    if en.size:
        res.calc[:, en] = 0
        keep = snap.entered_set[:, en] & snap.holds[:, en, None]
        res.own[:, en] = np.where(keep, snap.entered[:, en], 0)
    up = _lines_of(snap, UPLIFT, only)
    if up.size:
        held = snap.holds[:, up]
        entered, entered_set = snap.entered[:, up], snap.entered_set[:, up]
        first = np.where(entered_set[:, :, 0] & held, entered[:, :, 0], 0)
        res.calc[:, up, 0], res.own[:, up, 0] = 0, first
        for y in range(1, snap.shape[2]):  # each year grows from the year before, as entered
            grown = round_half_away(res.own[:, up, y - 1] * (1.0 + snap.uplift[up, y])[None, :])
            res.calc[:, up, y] = np.where(held, grown, 0)
            res.own[:, up, y] = np.where(entered_set[:, :, y] & held, entered[:, :, y],
                                         res.calc[:, up, y])


def _compute_balances(res: Results, types: np.ndarray | None) -> None:
    """Balancing lines: the allocation of their budget type less every other line of it."""
    snap = res.snapshot
    bal = np.flatnonzero(snap.basis == BALANCE)
    if types is not None:
        bal = bal[np.isin(snap.line_type[bal], types)]
    if bal.size == 0:
        return
    others = snap.basis != BALANCE
    for b in bal:
        same = np.flatnonzero(others & (snap.line_type == snap.line_type[b]))
        spend = res.rolled[:, same].sum(axis=1)
        calc = res.alloc_rolled[:, snap.line_type[b]] - spend
        held = snap.holds[:, b, None]
        res.calc[:, b] = np.where(held, calc, 0)
        res.own[:, b] = np.where(snap.entered_set[:, b] & held, snap.entered[:, b], res.calc[:, b])
    res.rolled[:, bal] = rollup(res.own[:, bal], snap.subtree_end)


def compute(snap: Snapshot) -> Results:
    """Compute a whole book or scenario from its snapshot."""
    pop, pop_status = populations(snap)
    shape = snap.shape
    res = Results(
        snapshot=snap,
        pop=pop,
        pop_status=pop_status,
        calc=np.zeros(shape, dtype=np.int64),
        own=np.zeros(shape, dtype=np.int64),
        rolled=np.zeros(shape, dtype=np.int64),
        alloc_rolled=rollup(snap.alloc, snap.subtree_end),
        alloc_present=rollup(snap.alloc_set.astype(np.int64), snap.subtree_end) > 0,
    )
    _compute_own(res, None)
    res.rolled[:] = rollup(res.own, snap.subtree_end)
    _compute_balances(res, None)
    return res


def recompute(res: Results, *, lines: np.ndarray | None = None, populations_changed: bool = False,
              allocations_changed: bool = False) -> None:
    """Bring `res` up to date after the snapshot changed, redoing only what the change touches."""
    snap = res.snapshot
    if populations_changed:
        res.pop, res.pop_status = populations(snap)
        ph = np.flatnonzero(snap.basis == PER_HEAD)
        lines = ph if lines is None else np.union1d(lines, ph)
    if allocations_changed:
        res.alloc_rolled = rollup(snap.alloc, snap.subtree_end)
        res.alloc_present = rollup(snap.alloc_set.astype(np.int64), snap.subtree_end) > 0
    types = None
    if lines is not None:
        own_lines = lines[snap.basis[lines] != BALANCE]
        if own_lines.size:
            _compute_own(res, own_lines)
            res.rolled[:, own_lines] = rollup(res.own[:, own_lines], snap.subtree_end)
        types = np.unique(snap.line_type[lines])
    if allocations_changed:
        types = None
    _compute_balances(res, types)
