"""A window's objects set aside from Python's cycle collector while it is open.

A national book's window holds some 90,000 objects (its structure, grids, models and charts)
for as long as it is open, and every full collection walked them all: 45-150 ms here, a stall
in the middle of a scroll or an edit. Set aside once a window is built they are skipped; when
a window closes they are handed back, so what the closed window leaves is collected again.
"""

from __future__ import annotations

import gc


def set_aside() -> None:
    """Every object alive now is left out of later collections (a window has just opened)."""
    gc.freeze()


def hand_back() -> None:
    """Everything set aside is collected as usual again (a window has closed)."""
    gc.unfreeze()
