"""The engine refuses figures it cannot add up, naming the cell, rather than wrap int64 pence.

numpy turns an infinite or huge float into -9,223,372,036,854,775,808 pence without a word, and
int64 sums wrap silently, so a crafted population once showed totals of -£92 quadrillion. Stored
inputs are checked against the book's bounds as the book reads them (`book/input_reader.py`);
computed cells against £1 trillion here; and the totals are shown to stay far inside int64
before anyone sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..book.bounds import MAX_PENCE
from ..book.errors import BookError
from .snapshot import BALANCE

if TYPE_CHECKING:
    from .compute import Results
    from .snapshot import Snapshot


#: Totals stay below this (a 32nd of int64), leaving room for every level of the roll-up.
_TOTAL_LIMIT = float(2**63) / 32


def _cell(snap: Snapshot, where: np.ndarray) -> str:
    """The first cell in `where`, a line's own before a balancing line that only follows it."""
    own_lines = where & (snap.basis != BALANCE)[None, :, None]
    o, li, y = (int(i) for i in np.argwhere(own_lines if own_lines.any() else where)[0])
    s = snap.structure
    return f"{s.orgs[o].code} {s.lines[li].code} {s.years[y]}"


def refuse_overflow(res: Results) -> None:
    """Raise BookError naming the first cell over £1 trillion, or a year too large to total.

    Only the amounts held are checked: a computed figure an override replaces reaches no total.
    Each line's extremes are kept by the recalculation, so one after an edit stays quick.
    """
    snap = res.snapshot
    own, alloc = res.own, snap.alloc
    if not own.size:
        return
    high, low = int(res.line_high.max(initial=0)), int(res.line_low.min(initial=0))
    if high > MAX_PENCE or low < -MAX_PENCE:
        cell = _cell(snap, (own > MAX_PENCE) | (own < -MAX_PENCE))
        raise BookError(
            f"{cell} works out at more than £1 trillion: check the figures it is worked out "
            "from (rate, population, uplift or left-shift parameters). It was not added into "
            "any total."
        )
    largest = max(high, -low, int(alloc.max(initial=0)), -int(alloc.min(initial=0)))
    if float(largest) * (own.shape[0] + 1) * (own.shape[1] + 1) < _TOTAL_LIMIT:
        return  # even if every cell were the largest, no total could come near int64
    totals = np.abs(own.astype(np.float64)).sum(axis=(0, 1))
    totals += np.abs(alloc.astype(np.float64)).sum(axis=(0, 1))
    over = np.flatnonzero(totals >= _TOTAL_LIMIT)
    if over.size:
        raise BookError(
            f"The figures for {snap.structure.years[int(over[0])]} add up to more than pcbudget "
            "can total: check the largest amounts, rates and populations entered."
        )
