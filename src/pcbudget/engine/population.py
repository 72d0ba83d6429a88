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

from .rollup import lines_at
from .snapshot import Snapshot

#: How a population figure was found (KNOWN and PROJECTED are 0 and 1: `project` relies on it).
KNOWN, PROJECTED, SUMMED, MISSING = 0, 1, 2, 3


def project(known: np.ndarray, growth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill unknown years of `known` (O, M, Y) with growth (O, M); returns values and status,
    (O, M, Y) views of year-major arrays, and the measures any organisation has a figure of."""
    n_org, n_measure, n_year = known.shape
    values = np.array(known.T, order="C")  # (Y, M, O), a copy
    status = np.full(values.shape, MISSING, dtype=np.int8)
    gaps = np.isnan(values)
    # A measure no organisation has a figure of stays NaN, missing (a book without QOF lists).
    measures = np.flatnonzero(~gaps.all(axis=(0, 2)))
    if not measures.size:
        return values.T, status.T, measures
    pick = lines_at(measures)  # adjacent measures: each year's are one contiguous block
    part = values[:, pick] if isinstance(pick, slice) else np.take(values, pick, axis=1)
    by_year = part.reshape(n_year, -1)  # (Y, series), a series being (measure, organisation)
    unknown = gaps[:, pick].reshape(by_year.shape)
    # Each year is worked from its anchor, the last known year up to it, else the first known
    # after it: the anchor's value is carried along the years with the distance from it.
    none_yet = 2 * n_year  # a distance no anchor gives: no year known so far
    distance = np.empty(by_year.shape, dtype=np.int32)
    distance[0] = np.where(unknown[0], none_yet, 0)
    for y in range(1, n_year):
        np.add(distance[y - 1], 1, out=distance[y])
        np.copyto(distance[y], 0, where=~unknown[y])
        np.copyto(by_year[y], by_year[y - 1], where=unknown[y])
    some = distance[-1] < none_yet  # a series with any known year; the rest stay NaN, missing
    if (some & (distance[0] >= none_yet)).any():  # some series are first known after year one
        for y in range(n_year - 2, -1, -1):
            before = distance[y] >= none_yet
            np.copyto(distance[y], distance[y + 1] - 1, where=before)
            np.copyto(by_year[y], by_year[y + 1], where=before)
    # Few distinct growth rates (most books have one a measure): one power per rate and step.
    if (growth == growth[:1]).all():  # one rate a measure: no need to sort them out
        rates = 1.0 + growth[0]
        which = measures[:, None]  # (M', 1), as the series lie
    else:
        rates, which = np.unique(1.0 + growth, return_inverse=True)
        which = which.reshape(n_org, n_measure).T[measures]  # (M', O)
    powers = rates[:, None] ** np.arange(1 - n_year, n_year)[None, :]
    # A year's power is rate ** (its distance from its anchor); a known year's is rate ** 0,
    # exactly 1. A series never known stays NaN whatever power its (wrapped) index finds.
    by_measure = distance.reshape(part.shape)  # a view: (Y, M', O)
    by_measure += which * powers.shape[1] + (n_year - 1)
    by_year *= np.take(powers, distance, mode="wrap")
    part_status = unknown.astype(np.int8)  # KNOWN (0) or PROJECTED (1)
    part_status[:, ~some] = MISSING
    status[:, pick] = part_status.reshape(part.shape)
    if not isinstance(pick, slice):
        values[:, pick] = part
    return values.T, status.T, measures


def populations(snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """Every organisation's population (O, M, Y) and how each figure was found."""
    values, status, measures = project(snap.known_pop, snap.growth)
    by_year, status_by_year = values.T, status.T  # (Y, M, O), as stored
    if not snap.year_trees:  # one tree for every year: most books
        _sum_children(by_year, status_by_year, snap.levels, measures)
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
        _sum_children(part, part_status, levels, measures)
        by_year[years], status_by_year[years] = part, part_status
    return values, status


def _sum_children(
    values: np.ndarray,
    status: np.ndarray,
    levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    measures: np.ndarray,
) -> None:
    """A parent with children that have a population takes their sum, deepest first; `values`
    and `status` are (Y, M, O). `measures` are those any organisation has a figure of (as
    projected): a measure without one in any year stays so (a book without QOF lists)."""
    if not measures.size:
        return
    n_year = values.shape[0]
    pick = lines_at(measures)
    part, part_status = values[:, pick], status[:, pick]  # views when adjacent (most books)
    for kids, parents, starts in levels:  # deepest first, so children are final
        vals = np.take(part, kids, axis=-1)  # (Y, measures with figures, kids)
        unknown = np.isnan(vals)
        if not unknown.any():  # every child known (most books): each parent is their sum
            part[..., parents] = np.add.reduceat(vals, starts, axis=-1)
            part_status[..., parents] = SUMMED
            continue
        if (unknown[1:] == unknown[:1]).all():  # known alike every year, as projected: once
            once = np.logical_or.reduceat(~unknown[0], starts, axis=-1)
            have = np.broadcast_to(once, (n_year, *once.shape))  # a view, no copy
        else:
            have = np.logical_or.reduceat(~unknown, starts, axis=-1)
        flat_have = have.reshape(-1, starts.size)
        rows = np.flatnonzero(flat_have.any(axis=1))  # a row with no child known keeps its own
        if not rows.size:
            continue
        # Populations are finite (book/bounds.py), NaN is unknown and counts as nothing.
        flat_vals = vals.reshape(-1, kids.size)
        if rows.size < flat_vals.shape[0]:
            flat_vals, flat_unknown = flat_vals[rows], unknown.reshape(flat_vals.shape)[rows]
        else:
            flat_unknown = unknown.reshape(flat_vals.shape)
        np.copyto(flat_vals, 0.0, where=flat_unknown)
        sums = np.zeros(flat_have.shape)
        sums[rows] = np.add.reduceat(flat_vals, starts, axis=-1)
        mine = np.take(part, parents, axis=-1)
        np.copyto(mine, sums.reshape(mine.shape), where=have)
        part[..., parents] = mine
        mine_status = np.take(part_status, parents, axis=-1)
        np.copyto(mine_status, SUMMED, where=have)
        part_status[..., parents] = mine_status
    if not isinstance(pick, slice):
        values[:, pick], status[:, pick] = part, part_status
