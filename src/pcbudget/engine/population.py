"""Populations by organisation, measure and year: known values, projections and sums of children.

A missing year is projected from the nearest known year with the organisation's growth
(forwards from the last known year, backwards before the first); a parent with children that
have a population takes their sum (DESIGN.md, "Populations"), the children of that year's tree:
a practice that moves PCN from a year counts in its new PCN's list from then, and a closed
organisation has no population (missing) in the years it is closed.
"""

from __future__ import annotations

import numpy as np

from .snapshot import Snapshot

KNOWN, PROJECTED, SUMMED, MISSING = 0, 1, 2, 3


def project(known: np.ndarray, growth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fill unknown years of `known` (O, M, Y) with growth (O, M); returns values and status."""
    shape = known.shape
    n_year = shape[2]
    values = np.array(known.reshape(-1, n_year).T, order="C")  # (Y, O x M), a copy
    status = np.full(values.shape, MISSING, dtype=np.int8)
    some = np.flatnonzero((~np.isnan(values)).any(axis=0))  # the rest stay NaN, missing
    by_year = values[:, some]
    is_known = ~np.isnan(by_year)
    anchor = np.empty(by_year.shape, dtype=np.int64)  # the last known year up to each year
    anchor[0] = np.where(is_known[0], 0, -1)
    for y in range(1, n_year):
        anchor[y] = np.where(is_known[y], y, anchor[y - 1])
    np.copyto(anchor, is_known.argmax(axis=0), where=anchor < 0)  # else the first known
    base = np.take_along_axis(by_year, anchor, axis=0)
    # Few distinct growth rates (most books have one a measure): one power per rate and step.
    if (growth == growth[:1]).all():  # one rate a measure: no need to sort them out
        rates, which = 1.0 + growth[0], some % shape[1]
    else:
        rates, which = np.unique(1.0 + growth, return_inverse=True)
        which = which.reshape(-1)[some]
    powers = rates[:, None] ** np.arange(1 - n_year, n_year)[None, :]
    anchor -= np.arange(n_year)[:, None]  # minus each year's distance from its anchor
    base *= powers[which[None, :], n_year - 1 - anchor]
    values[:, some] = np.where(is_known, by_year, base)
    status[:, some] = np.where(is_known, KNOWN, PROJECTED)
    return _by_org(values, shape), _by_org(status, shape)


def _by_org(by_year: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.ascontiguousarray(by_year.T).reshape(shape)


def populations(snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """Every organisation's population (O, M, Y) and how each figure was found."""
    values, status = project(snap.known_pop, snap.growth)
    if not snap.year_trees:  # one tree for every year: most books
        _sum_children(values, status, snap.levels)
        return values, status
    closed = ~snap.open  # (O, Y)
    values[np.broadcast_to(closed[:, None, :], values.shape)] = np.nan
    status[np.broadcast_to(closed[:, None, :], status.shape)] = MISSING
    same = [y for y in range(values.shape[2]) if y not in snap.year_trees]
    groups = [(same, snap.levels)] + [([y], t.levels) for y, t in snap.year_trees.items()]
    for years, levels in groups:
        if not years:
            continue
        part, part_status = values[:, :, years], status[:, :, years]  # copies
        _sum_children(part, part_status, levels)
        values[:, :, years], status[:, :, years] = part, part_status
    return values, status


def _sum_children(
    values: np.ndarray, status: np.ndarray, levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> None:
    """A parent with children that have a population takes their sum, deepest first."""
    for kids, parents, starts in levels:  # deepest first, so children are final
        vals = values[kids]
        unknown = np.isnan(vals)
        vals[unknown] = 0.0  # a copy: populations are finite (book/bounds.py), NaN is unknown
        sums = np.add.reduceat(vals, starts, axis=0)
        have = np.logical_or.reduceat(~unknown, starts, axis=0)
        values[parents] = np.where(have, sums, values[parents])
        status[parents] = np.where(have, SUMMED, status[parents])
