"""What each cell is, as the grid shows it: not held, calculated, entered or overridden."""

from __future__ import annotations

import numpy as np

from .snapshot import ENTERED, UPLIFT

#: Cell status, as the grid shows it.
NOT_HELD, CALCULATED, ENTERED_CELL, OVERRIDDEN = 0, 1, 2, 3


def cell_status(
    basis: np.ndarray, entered_set: np.ndarray, holds: np.ndarray, is_open: np.ndarray
) -> np.ndarray:
    """(O, L, Y) int8 for the organisations and lines given: an entered line's cells (and an
    uplift line's first year) are entered, an amount typed over a basis is an override, and
    a line not held, or held by an organisation closed that year, is not held."""
    typed = np.zeros(entered_set.shape[1:], dtype=bool)
    typed[basis == ENTERED, :] = True
    typed[basis == UPLIFT, 0] = True
    out = np.where(typed, ENTERED_CELL, np.where(entered_set, OVERRIDDEN, CALCULATED))
    held = holds[:, :, None]
    if is_open.size and not is_open.all():
        held = held & is_open[:, None, :]
    return np.where(held, out, NOT_HELD).astype(np.int8)
