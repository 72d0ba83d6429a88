"""Runs of adjacent lines held by the same organisations, and which totals of each run a roll-up
changes (`rollup.bounds`): worked out once for a book's shape and holdings, not at every
recalculation.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

import numpy as np

from .rollup import Bounds, Plan, bounds, plan_of
from .snapshot import Snapshot

#: Sets of lines whose runs a snapshot keeps (a full recalculation asks for six).
_KEPT = 64


class Run(NamedTuple):
    """Adjacent lines held by the same organisations, and how their roll-up is worked."""

    lines: np.ndarray
    at: slice  # the same lines as a slice, so a run's figures are a view
    holders: np.ndarray | None  # positions holding the lines; None when most do (then all)
    bounds: Bounds


def runs_of(snap: Snapshot, lines: np.ndarray) -> list[Run]:
    """`lines` in runs of adjacent lines held alike, kept with the snapshot while its shape
    (`plan_of`) and holdings are the same objects (`holds` is replaced, never changed in place,
    once a snapshot is computed: a scenario's overlay copies it first)."""
    plan = plan_of(snap)
    kept: tuple[Plan, np.ndarray, dict[bytes, list[Run]]] | None = getattr(snap, "_runs", None)
    if kept is None or kept[0] is not plan or kept[1] is not snap.holds:
        kept = (plan, snap.holds, {})
        object.__setattr__(snap, "_runs", kept)
    key = lines.tobytes()
    runs = kept[2].get(key)
    if runs is None:
        if len(kept[2]) >= _KEPT:  # edits name ever new sets of lines: keep the cache small
            kept[2].clear()
        runs = kept[2][key] = _runs(snap, plan, lines)
    return runs


def _runs(snap: Snapshot, plan: Plan, lines: np.ndarray) -> list[Run]:
    """The runs themselves: holders are named only when they are under half the organisations
    (fewer to look at); otherwise the lines are worked on for all."""
    if not lines.size:
        return []
    held = snap.holds.T[lines]  # (n, O)
    alike = (held[1:] == held[:-1]).all(axis=1) & (np.diff(lines) == 1)  # with the line before
    firsts = np.flatnonzero(np.concatenate([[True], ~alike, [True]]))
    runs = []
    for first, after in pairwise(firsts):
        orgs = np.flatnonzero(held[first])
        holders = None if orgs.size * 2 > held.shape[1] else orgs
        mine = lines[first:after]
        at = slice(int(mine[0]), int(mine[-1]) + 1)
        runs.append(Run(mine, at, holders, bounds(plan, holders)))
    return runs
