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
    years = np.arange(n_year)
    is_known = ~np.isnan(known)
    last = np.maximum.accumulate(np.where(is_known, years, -1), axis=2)
    after = np.flip(np.minimum.accumulate(np.flip(np.where(is_known, years, n_year), 2), axis=2), 2)
    anchor = np.where(last >= 0, last, after)
    has_anchor = anchor < n_year
    anchor = np.where(has_anchor, anchor, 0)
    base = np.take_along_axis(known, anchor, axis=2)
    factor = (1.0 + growth)[:, :, None] ** (years[None, None, :] - anchor)
    values = np.where(is_known, known, np.where(has_anchor, base * factor, np.nan))
    status = np.where(is_known, KNOWN, np.where(has_anchor, PROJECTED, MISSING)).astype(np.int8)
    return values, status


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
