"""Organisations closed from a year (`org_moves` with no parent): in the years they are closed
they hold nothing, their allocations count nowhere, and no total includes them."""

from __future__ import annotations

import numpy as np

from .rollup import plan_of
from .snapshot import Snapshot


def closed_years(snap: Snapshot) -> tuple[tuple[int, np.ndarray], ...]:
    """(year, organisations closed that year) for each year in which any is closed, worked
    out once with the book's shape (`rollup.Plan`)."""
    return plan_of(snap).closed


def close_cells(own: np.ndarray, snap: Snapshot, lines: np.ndarray) -> None:
    """Nil the (O, L, Y) amounts of `lines` at organisations in the years they are closed."""
    by_year = own.T  # (Y, L, O), as stored
    for y, orgs in closed_years(snap):
        by_year[y][np.ix_(lines, orgs)] = 0


def open_allocations(snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """The allocations and where they are set, with a closed organisation's left out."""
    if not closed_years(snap):
        return snap.alloc, snap.alloc_set
    is_open = snap.open[:, None, :]
    return snap.alloc * is_open, snap.alloc_set & is_open
