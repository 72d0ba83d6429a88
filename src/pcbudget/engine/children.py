"""Who sits under an organisation: in one year's tree, or in any year's, so a list of an
organisation's children (or of everything below it) also shows one that moves under it after
the first year."""

from __future__ import annotations

import numpy as np

from .snapshot import Snapshot, YearTree


def children(snap: Snapshot, org: int, year: int | None = None) -> list[int]:
    """The organisations directly under `org` in year index `year`'s tree (closed ones not),
    or, with no year, in any year's: the first year's in book order, then the ones that move
    under it later, in book order."""
    if year is not None:
        tree = snap.year_trees.get(year)
        parent = tree.parent if tree is not None else snap.parent
        return np.flatnonzero(parent == org).tolist()
    first = np.flatnonzero(snap.parent == org).tolist()
    later: set[int] = set()
    for tree in snap.year_trees.values():
        later.update(np.flatnonzero(tree.parent == org).tolist())
    return first + sorted(later.difference(first))


def below(snap: Snapshot, org: int) -> np.ndarray:
    """`org` and every organisation under it in any year: its first year's subtree in book
    order, then (after a dated move) those that join it later, in book order."""
    first = np.arange(org, int(snap.subtree_end[org]))
    later = [tree.order[at : tree.end[at]] for tree, at in _positions(snap, org)]
    if not later:
        return first
    joining = np.setdiff1d(np.concatenate(later), first)  # sorted: book order
    return np.concatenate([first, joining])


def _positions(snap: Snapshot, org: int) -> list[tuple[YearTree, int]]:
    """Each year tree of the book with `org`'s place in its depth-first order."""
    return [(t, int(np.flatnonzero(t.order == org)[0])) for t in snap.year_trees.values()]


def under_by_year(snap: Snapshot, child: int, org: int) -> list[bool]:
    """Whether `child` sits directly under `org` in each year of the book."""
    parents = (
        snap.year_trees[y].parent if y in snap.year_trees else snap.parent
        for y in range(len(snap.structure.years))
    )
    return [bool(parent[child] == org) for parent in parents]
