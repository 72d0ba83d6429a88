"""Populations by organisation, measure and year: known values, projections and sums of children.

A missing year is projected from the nearest known year with the organisation's growth
(forwards from the last known year, backwards before the first); a parent with children that
have a population takes their sum (DESIGN.md, "Populations").
"""

from __future__ import annotations

import numpy as np

from .snapshot import Snapshot

KNOWN, PROJECTED, SUMMED, MISSING = 0, 1, 2, 3


def project(known: np.ndarray, growth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fill unknown years of `known` (O, M, Y) with growth (O, M); returns values and status."""
    n_year = known.shape[2]
    flat = known.reshape(-1, n_year)  # one row per organisation and measure
    is_known = ~np.isnan(flat)
    last = np.empty(flat.shape, dtype=np.int64)  # the last known year up to each year, or -1
    after = np.empty(flat.shape, dtype=np.int64)  # the first known year from each, or n_year
    last[:, 0] = np.where(is_known[:, 0], 0, -1)
    for y in range(1, n_year):
        last[:, y] = np.where(is_known[:, y], y, last[:, y - 1])
    after[:, -1] = np.where(is_known[:, -1], n_year - 1, n_year)
    for y in range(n_year - 2, -1, -1):
        after[:, y] = np.where(is_known[:, y], y, after[:, y + 1])
    anchor = np.where(last >= 0, last, after)
    has_anchor = anchor < n_year
    rows, years = np.nonzero(has_anchor & ~is_known)  # only these are worked out
    at = anchor[rows, years]
    # Few distinct growth rates (most books have one): each power is worked out once per rate.
    rates, which = np.unique(1.0 + growth, return_inverse=True)
    steps = np.arange(1 - n_year, n_year)
    powers = rates[:, None] ** steps[None, :]
    values = flat.copy()
    values[rows, years] = flat[rows, at] * powers[which.reshape(-1)[rows], years - at + n_year - 1]
    status = np.full(flat.shape, MISSING, dtype=np.int8)
    status[has_anchor] = PROJECTED
    status[is_known] = KNOWN
    return values.reshape(known.shape), status.reshape(known.shape)


def populations(snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """Every organisation's population (O, M, Y) and how each figure was found."""
    values, status = project(snap.known_pop, snap.growth)
    for kids, parents, starts in snap.levels:  # deepest first, so children are final
        vals = values[kids]
        sums = np.add.reduceat(np.nan_to_num(vals), starts, axis=0)
        have = np.add.reduceat(~np.isnan(vals), starts, axis=0) > 0
        values[parents] = np.where(have, sums, values[parents])
        status[parents] = np.where(have, SUMMED, status[parents])
    return values, status
