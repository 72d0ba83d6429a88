"""Who sits directly under an organisation: in one year's tree, or in any year's, so a list of
an organisation's children also shows one that moves under it after the first year."""

from __future__ import annotations

import numpy as np

from .snapshot import Snapshot


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
