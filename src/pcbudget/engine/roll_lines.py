"""The lines' roll-ups: `rolled` from `own`, a run of lines held alike at a time (`runs.py`),
with each line's largest and smallest amount held, as every figure is looked at here anyway.

Most lines are held by most organisations (practices): each year's run of them is a contiguous
block, rolled up in place, its cumulative sum written into `rolled` itself (no scratch array),
the parents' totals taken from it, then the block of own amounts copied over it and the totals
put back. Lines held by few organisations (PCN or place lines) are summed and looked at at
their holders only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .rollup import plan_of, roll_year, totals
from .runs import Run, runs_of

if TYPE_CHECKING:
    from .compute import Results


def roll_own(res: Results, lines: np.ndarray | None) -> None:
    """`rolled` of `lines` (all when None) from `own`, and each line's extremes."""
    snap = res.snapshot
    if lines is None:
        lines = np.arange(snap.shape[1])
    own, rolled = res.own.T, res.rolled.T  # (Y, L, O), as stored
    for run in runs_of(snap, lines):  # kept with the snapshot: found once per set of lines
        if run.holders is None:
            _roll_all(res, run)
        else:
            _roll_held(res, run)
    for y, order, end in plan_of(snap).years:  # years with a tree of their own: these lines
        rolled[y, lines] = roll_year(own[y, lines], order, end)


def _roll_all(res: Results, run: Run) -> None:
    """A run held by most organisations, a year's (lines, O) block at a time: each block is
    contiguous (year-major storage), so its sums and extremes are passes along memory."""
    own, rolled = res.own.T[:, run.at], res.rolled.T[:, run.at]  # (Y, n, O) views
    n_year, n_line = own.shape[:2]
    high = np.zeros((n_year, n_line), dtype=np.int64)
    low = np.zeros((n_year, n_line), dtype=np.int64)
    for y in range(n_year):
        figures, out = own[y], rolled[y]  # (n, O)
        figures.max(axis=1, initial=0, out=high[y])
        figures.min(axis=1, initial=0, out=low[y])
        np.cumsum(figures, axis=1, out=out)  # `out` is overwritten below: no scratch needed
        sums = totals(out, run.bounds)
        np.copyto(out, figures)
        out[:, run.bounds.parents] = sums
    res.line_high[run.lines] = high.max(axis=0, initial=0)
    res.line_low[run.lines] = low.min(axis=0, initial=0)


def _roll_held(res: Results, run: Run) -> None:
    """A run held by few organisations: its figures at the holders, every year at once."""
    own, rolled = res.own.T[:, run.at], res.rolled.T[:, run.at]  # (Y, n, O) views
    figures = own[..., run.holders]  # (Y, n, H), a copy
    res.line_high[run.lines] = figures.max(axis=2, initial=0).max(axis=0, initial=0)
    res.line_low[run.lines] = figures.min(axis=2, initial=0).min(axis=0, initial=0)
    sums = totals(np.cumsum(figures, axis=2, out=figures), run.bounds)
    np.copyto(rolled, own)
    rolled[..., run.bounds.parents] = sums
