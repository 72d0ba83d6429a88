"""Actuals: what was paid, by organisation, line, year and month. Facts, shared by every
scenario; an import of a year and month replaces what the book held for that period, so
importing the same ledger twice never counts it twice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from .errors import BookError
from .operations import Change, Operation, Write, apply
from .store import Book
from .structure import Structure
from .years import normalise_year


def actual_year_index(s: Structure, label: str) -> int:
    """A year's index in the book; the year before the first is -1 (last year's shape)."""
    year = normalise_year(label)
    idx = int(year[:4]) - int(s.years[0][:4])
    if not -1 <= idx < len(s.years):
        raise BookError(
            f"Actuals for {year} do not fit this book: it takes {s.years[0]} to {s.years[-1]} "
            "and the year before."
        )
    return idx


def replace_actuals(
    book: Book,
    cells: Mapping[tuple[int, int, int, int], int],
    periods: Iterable[tuple[int, int]],
    *,
    source: str,
    label: str,
) -> Change:
    """Set the actuals of `periods` (year index, month) to `cells` as one undoable operation.

    cells: (org id, line id, year index, month) -> pence. Rows the book held for those periods
    that `cells` does not name are removed: a re-import replaces, never adds.
    """
    wanted = set(periods)
    writes: list[Write] = []
    for y, m in sorted(wanted):
        for org_id, line_id in book.conn.execute(
            "SELECT org_id, line_id FROM actuals WHERE year_idx = ? AND month = ?", (y, m)
        ):
            if (org_id, line_id, y, m) not in cells:
                writes.append(Write("actual", (org_id, line_id, y, m), f"M{m}", None))
    for key, pence in cells.items():
        if (key[2], key[3]) not in wanted:
            raise BookError("An actual lies outside the periods being imported.")
        writes.append(Write("actual", key, f"M{key[3]}", (int(pence), source)))
    return apply(book, Operation(label, "baseline", 0, tuple(writes)))


def load_actuals(
    book: Book, org_index: Mapping[int, int], line_index: Mapping[int, int], n_line: int, y: int
) -> tuple[np.ndarray, np.ndarray]:
    """One year's actuals as (O, L, 12) int64 pence and a mask of the cells that hold one."""
    values = np.zeros((len(org_index), n_line, 12), dtype=np.int64)
    held = np.zeros(values.shape, dtype=bool)
    rows = book.conn.execute(
        "SELECT org_id, line_id, month, pence FROM actuals WHERE year_idx = ?", (y,)
    ).fetchall()
    if rows:
        arr = np.array(rows, dtype=np.int64)
        o = np.array([org_index[i] for i in arr[:, 0]])
        li = np.array([line_index[i] for i in arr[:, 1]])
        values[o, li, arr[:, 2] - 1] = arr[:, 3]
        held[o, li, arr[:, 2] - 1] = True
    return values, held


def closed_month(book: Book, y: int) -> int:
    """The last month of year index `y` with any actual (0: none yet)."""
    row = book.conn.execute("SELECT max(month) FROM actuals WHERE year_idx = ?", (y,)).fetchone()
    return int(row[0] or 0)
