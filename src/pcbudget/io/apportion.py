"""Splitting a published total into whole-pound shares that add back to it exactly."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def apportion(total: int, weights: Sequence[float] | np.ndarray) -> list[int]:
    """Largest-remainder split of an integer `total` in proportion to `weights`."""
    w = np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        raise ValueError("weights must have a positive sum")
    exact = total * w / w.sum()
    base = np.floor(exact).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return [int(x) for x in base]


def fit_table(rows: Sequence[int], cols: Sequence[int], seed: np.ndarray) -> np.ndarray:
    """Whole-pound table with the given row and column totals, shaped like `seed`.

    Iterative proportional fitting, then rounding: every row but the last by largest
    remainder, the last row taking what each column still needs.
    """
    if sum(rows) != sum(cols):
        raise ValueError("row and column totals differ")
    table = np.asarray(seed, dtype=float).copy()
    r, c = np.asarray(rows, dtype=float), np.asarray(cols, dtype=float)
    for _ in range(200):
        table *= (r / table.sum(axis=1))[:, None]
        table *= (c / table.sum(axis=0))[None, :]
    out = np.zeros(table.shape, dtype=np.int64)
    for i in range(table.shape[0] - 1):
        out[i] = apportion(int(rows[i]), table[i])
    out[-1] = np.asarray(cols, dtype=np.int64) - out[:-1].sum(axis=0)
    return out
