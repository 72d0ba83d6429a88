"""Who sits under an organisation: in one year's tree, or in any year's, so a list of an
organisation's children (or of everything below it) also shows one that moves under it after
the first year."""

from __future__ import annotations

import numpy as np

from .rollup import members
from .snapshot import Snapshot


def year_parents(snap: Snapshot, year: int) -> np.ndarray:
    """(O,) each organisation's parent position in year index `year`'s tree (-1: the top, or
    closed that year)."""
    tree = snap.year_trees.get(year)
    return snap.parent if tree is None else tree.parent


def children(snap: Snapshot, org: int, year: int | None = None) -> list[int]:
    """The organisations directly under `org` in year index `year`'s tree (closed ones not),
    or, with no year, in any year's: the first year's in book order, then the ones that move
    under it later, in book order."""
    if year is not None:
        return np.flatnonzero(year_parents(snap, year) == org).tolist()
    first = np.flatnonzero(snap.parent == org).tolist()
    later: set[int] = set()
    for y in snap.year_trees:
        later.update(np.flatnonzero(year_parents(snap, y) == org).tolist())
    return first + sorted(later.difference(first))


def below(snap: Snapshot, org: int) -> np.ndarray:
    """`org` and every organisation under it in any year: its first year's subtree in book
    order, then (after a dated move) those that join it later, in book order."""
    first = members(snap, org, 0)  # the first year keeps the book's own order
    later = [members(snap, org, y) for y in snap.year_trees]
    if not later:
        return first
    joining = np.setdiff1d(np.concatenate(later), first)  # sorted: book order
    return np.concatenate([first, joining])


def counted_under(snap: Snapshot, org: int, orgs: np.ndarray) -> np.ndarray | None:
    """(len(orgs), Y) bool: whether each of `orgs` counts in `org`'s figures each year (is
    `org` or under it in that year's tree), or None when every one counts in every year (a
    book without dated moves, answered without looking, or moves elsewhere in the tree)."""
    if not snap.year_trees:
        return None
    first = (orgs >= org) & (orgs < snap.subtree_end[org])  # the first year's subtree
    out = np.repeat(first[:, None], len(snap.structure.years), axis=1)
    for y in snap.year_trees:
        out[:, y] = np.isin(orgs, members(snap, org, y))
    out[orgs == org] = True  # the chosen organisation is always its own
    return None if out.all() else out
