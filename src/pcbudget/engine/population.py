"""Populations by organisation, measure and year: known values, projections and sums of children.

A missing year is projected from the nearest known year with the organisation's growth
(forwards from the last known year, backwards before the first); a parent with children that
have a population takes their sum (DESIGN.md, "Populations"), the children of that year's tree:
a practice that moves PCN from a year counts in its new PCN's list from then, and a closed
organisation has no population (missing) in the years it is closed.

The figures are worked year-major with the organisations innermost, (Y, M, O), so each step is
one pass along contiguous memory and the per-head lines read them without a copy; callers get
the usual (O, M, Y) view of them.
"""

from __future__ import annotations

import numpy as np

from .snapshot import Snapshot

KNOWN, PROJECTED, SUMMED, MISSING = 0, 1, 2, 3


def project(known: np.ndarray, growth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fill unknown years of `known` (O, M, Y) with growth (O, M); returns values and status,
    (O, M, Y) views of year-major arrays."""
    n_org, n_measure, n_year = known.shape
    values = np.array(known.T, order="C")  # (Y, M, O), a copy
    status = np.empty(values.shape, dtype=np.int8)
    by_year = values.reshape(n_year, -1)  # (Y, series), a series being (measure, organisation)
    is_known = ~np.isnan(by_year)
    # Each year's anchor: the last known year up to it, else the first known after it; the
    # value is carried from the anchor along with it (a known year is its own anchor).
    anchor = np.empty(by_year.shape, dtype=np.intp)
    anchor[0] = np.where(is_known[0], 0, -1)
    for y in range(1, n_year):
        unknown = ~is_known[y]
        np.copyto(anchor[y], anchor[y - 1], where=unknown)
        anchor[y][is_known[y]] = y
        np.copyto(by_year[y], by_year[y - 1], where=unknown)
    some = anchor[-1] >= 0  # a series with any known year; the rest stay NaN, missing
    if (some & (anchor[0] < 0)).any():  # some series are first known after the first year
        for y in range(n_year - 2, -1, -1):
            before = anchor[y] < 0  # no known year yet: the first known one after
            np.copyto(anchor[y], anchor[y + 1], where=before)
            np.copyto(by_year[y], by_year[y + 1], where=before)
    np.maximum(anchor, 0, out=anchor)  # a series never known stays NaN whatever its power
    # Few distinct growth rates (most books have one a measure): one power per rate and step.
    if (growth == growth[:1]).all():  # one rate a measure: no need to sort them out
        rates = 1.0 + growth[0]
        which = np.repeat(np.arange(n_measure), n_org)
    else:
        rates, which = np.unique(1.0 + growth, return_inverse=True)
        which = which.reshape(n_org, n_measure).T.ravel()
    powers = rates[:, None] ** np.arange(1 - n_year, n_year)[None, :]
    # A year's power is that of its distance from its anchor, rate ** (year - anchor); a known
    # year's is rate ** 0, exactly 1.
    step = which * powers.shape[1] + (n_year - 1)
    anchor -= np.arange(n_year)[:, None]
    np.subtract(step, anchor, out=anchor)
    by_year *= np.take(powers, anchor)
    status_by_year = status.reshape(n_year, -1)
    status_by_year[...] = np.where(some, PROJECTED, MISSING).astype(np.int8)
    status_by_year[is_known] = KNOWN
    return values.T, status.T


def populations(snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """Every organisation's population (O, M, Y) and how each figure was found."""
    values, status = project(snap.known_pop, snap.growth)
    by_year, status_by_year = values.T, status.T  # (Y, M, O), as stored
    if not snap.year_trees:  # one tree for every year: most books
        _sum_children(by_year, status_by_year, snap.levels)
        return values, status
    closed = ~snap.open.T  # (Y, O)
    by_year[np.broadcast_to(closed[:, None, :], by_year.shape)] = np.nan
    status_by_year[np.broadcast_to(closed[:, None, :], by_year.shape)] = MISSING
    same = [y for y in range(by_year.shape[0]) if y not in snap.year_trees]
    groups = [(same, snap.levels)] + [([y], t.levels) for y, t in snap.year_trees.items()]
    for years, levels in groups:
        if not years:
            continue
        part, part_status = by_year[years], status_by_year[years]  # copies
        _sum_children(part, part_status, levels)
        by_year[years], status_by_year[years] = part, part_status
    return values, status


def _sum_children(
    values: np.ndarray, status: np.ndarray, levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> None:
    """A parent with children that have a population takes their sum, deepest first; `values`
    and `status` are (Y, M, O)."""
    n_row = values.shape[0] * values.shape[1]
    flat, flat_status = values.reshape(n_row, -1), status.reshape(n_row, -1)
    for kids, parents, starts in levels:  # deepest first, so children are final
        vals = np.take(flat, kids, axis=-1)
        known = ~np.isnan(vals)
        have = _any_in_runs(known, starts)
        rows = np.flatnonzero(have.any(axis=1))  # a row with no child known keeps its own
        if not rows.size:
            continue
        vals, have = vals[rows], have[rows]
        # Populations are finite (book/bounds.py), NaN is unknown and counts as nothing.
        np.copyto(vals, 0.0, where=np.isnan(vals))
        sums = np.add.reduceat(vals, starts, axis=-1)
        mine = flat[np.ix_(rows, parents)]
        np.copyto(mine, sums, where=have)
        flat[np.ix_(rows, parents)] = mine
        mine_status = flat_status[np.ix_(rows, parents)]
        mine_status[have] = SUMMED
        flat_status[np.ix_(rows, parents)] = mine_status


def _any_in_runs(flags: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """`np.logical_or.reduceat(flags, starts, axis=-1)` for a (rows, n) bool array, worked on
    the rows packed as bits, 64 to a word, so the runs are walked once per 64 rows, not per row."""
    out = np.empty((flags.shape[0], starts.size), dtype=bool)
    for first in range(0, flags.shape[0], 64):
        part = flags[first : first + 64]
        bit = np.arange(part.shape[0], dtype=np.uint64)[:, None]
        words = np.sum(part.astype(np.uint64) << bit, axis=0, dtype=np.uint64)
        any_set = np.bitwise_or.reduceat(words, starts)
        out[first : first + 64] = (any_set[None, :] >> bit) & np.uint64(1)
    return out
