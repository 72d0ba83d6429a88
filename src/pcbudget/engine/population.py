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
    shape = known.shape
    n_year = shape[2]
    by_year = np.ascontiguousarray(known.reshape(-1, n_year).T)  # (Y, O x M): rows contiguous
    is_known = ~np.isnan(by_year)
    anchor = np.empty(by_year.shape, dtype=np.int64)  # the last known year up to each year
    anchor[0] = np.where(is_known[0], 0, -1)
    for y in range(1, n_year):
        anchor[y] = np.where(is_known[y], y, anchor[y - 1])
    # Before the first known year, that year; a row with nothing known has only NaN in it, so
    # its year 0 projects NaN again.
    np.copyto(anchor, is_known.argmax(axis=0), where=anchor < 0)
    base = np.take_along_axis(by_year, anchor, axis=0)
    # Few distinct growth rates (most books have one a measure): one power per rate and step.
    if (growth == growth[:1]).all():  # one rate a measure: no need to sort them out
        rates, which = 1.0 + growth[0], np.tile(np.arange(shape[1]), shape[0])
    else:
        rates, which = np.unique(1.0 + growth, return_inverse=True)
    powers = rates[:, None] ** np.arange(1 - n_year, n_year)[None, :]
    anchor -= np.arange(n_year)[:, None]  # minus each year's distance from its anchor
    base *= powers[which.reshape(1, -1), n_year - 1 - anchor]
    values = np.where(is_known, by_year, base)
    some = is_known.any(axis=0)
    status = np.where(is_known, KNOWN, np.where(some, PROJECTED, MISSING)).astype(np.int8)
    return _by_org(values, shape), _by_org(status, shape)


def _by_org(by_year: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.ascontiguousarray(by_year.T).reshape(shape)


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
