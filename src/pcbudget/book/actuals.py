"""Actuals: what was paid, by organisation, line, year and month. Facts, shared by every
scenario; an import of a year and month replaces what the book held for that period, so
importing the same ledger twice never counts it twice."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import BookError
from .operations import Change, Operation, Write, apply
from .store import Book
from .structure import Structure, load_structure, positions
from .years import normalise_year

MONTH_COLUMNS = ", ".join(f"m{m}" for m in range(1, 13))


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


def actual_year_label(s: Structure, y: int) -> str:
    """The label of year index `y`, the year before the book's first (-1) included."""
    return normalise_year(str(int(s.years[0][:4]) + y))


def replace_actuals(
    book: Book,
    cells: Mapping[tuple[int, int, int, int], int],
    periods: Iterable[tuple[int, int]],
    *,
    source: str,
    label: str,
    lines: Collection[int] | None = None,
    structure: Structure | None = None,
) -> Change:
    """Set the actuals of `periods` (year index, month) to `cells` as one undoable operation.

    cells: (org id, line id, year index, month) -> pence. Months of those periods that `cells`
    does not name are cleared: a re-import replaces, never adds. Other months are kept. With
    `lines` (line ids), only those lines' months are replaced: a file that covers some lines
    (NHS payments) leaves the ledger's actuals of the others alone.
    """
    wanted = set(periods)
    if any((y, m) not in wanted for _, _, y, m in cells):
        raise BookError("An actual lies outside the periods being imported.")
    if lines is not None and any(li not in lines for _, li, _, _ in cells):
        raise BookError("An actual lies outside the lines being imported.")
    years = sorted({y for y, _ in wanted})
    where = f"year_idx IN ({','.join('?' for _ in years)})"
    args: list[int] = list(years)
    if lines is not None:
        where += f" AND line_id IN ({','.join('?' for _ in lines)})"
        args += list(lines)
    stored = {
        (r[0], r[1], r[2]): tuple(r[3:])
        for r in book.conn.execute(
            f"SELECT org_id, line_id, year_idx, {MONTH_COLUMNS}, source FROM actuals WHERE {where}",
            args,
        )
    }
    months_of: dict[int, list[int]] = {}
    for y, m in wanted:
        months_of.setdefault(y, []).append(m)
    rows: dict[tuple[int, int, int], list[Any]] = {}
    for key, old in stored.items():  # the imported months are cleared, then set from `cells`
        row = list(old)
        for m in months_of.get(key[2], ()):
            row[m - 1] = None
        rows[key] = row
    for (org_id, line_id, y, m), pence in cells.items():
        rows.setdefault((org_id, line_id, y), [None] * 13)[m - 1] = int(pence)
    s = structure or load_structure(book.conn)
    org_code = {o.id: o.code for o in s.orgs}
    line_code = {ln.id: ln.code for ln in s.lines}
    year_text = {y: actual_year_label(s, y) for y in months_of}
    writes = []
    for key, row in rows.items():
        row[12] = source
        new = None if row.count(None) >= 12 else tuple(row)
        if new != stored.get(key):
            where = f"{org_code.get(key[0], key[0])} {line_code.get(key[1], key[1])}"
            writes.append(Write("actual", key, f"{where} {year_text[key[2]]}", new))
    return apply(book, Operation(label, "baseline", 0, tuple(writes)))


def load_actuals(
    book: Book, org_index: Mapping[int, int], line_index: Mapping[int, int], n_line: int, y: int
) -> tuple[np.ndarray, np.ndarray]:
    """One year's actuals as (O, L, 12) int64 pence and a mask of the cells that hold one."""
    values = np.zeros((len(org_index), n_line, 12), dtype=np.int64)
    held = np.zeros(values.shape, dtype=bool)
    filled = " | ".join(f"((m{m} IS NOT NULL) << {m - 1})" for m in range(1, 13))
    rows = book.conn.execute(
        f"SELECT org_id, line_id, {', '.join(f'coalesce(m{m}, 0)' for m in range(1, 13))},"
        f" {filled} FROM actuals WHERE year_idx = ?",
        (y,),
    ).fetchall()
    if rows:
        arr = np.array(rows, dtype=np.int64)
        o, li = positions(org_index, arr[:, 0]), positions(line_index, arr[:, 1])
        values[o, li] = arr[:, 2:14]
        held[o, li] = (arr[:, 14:15] >> np.arange(12)) & 1 == 1
    return values, held


def actual_years(book: Book, n_years: int) -> list[int]:
    """The book's year indices that hold any actual, oldest first."""
    return [
        int(y)
        for (y,) in book.conn.execute(
            "SELECT DISTINCT year_idx FROM actuals WHERE year_idx >= 0 AND year_idx < ?"
            " ORDER BY year_idx",
            (n_years,),
        )
    ]


@dataclass(frozen=True)
class MonthInputs:
    """What the book says about one year's months, as plain arrays for the engine."""

    year: int
    profiles: dict[int, tuple[str, str]]  # line position -> (profile, forecast method)
    actual: np.ndarray  # (O, L, 12) int64 own actuals
    actual_set: np.ndarray  # (O, L, 12) bool
    last_year: np.ndarray | None  # (O, L, 12) actuals of the year before, for its shape
    closed: int  # months of actuals: the forecast takes actuals for M1..closed


def month_inputs(
    book: Book,
    org_index: Mapping[int, int],
    line_index: Mapping[int, int],
    chain: list[int],
    y: int,
    month: int | None = None,
) -> MonthInputs:
    """Year index `y` read for the engine; `month` closes it at that month (default: the
    last month with any actual). Last year's actuals are read only if a profile uses them."""
    from .phasing import load_phasing

    n_line = len(line_index)
    actual, held = load_actuals(book, org_index, line_index, n_line, y)
    profiles = {
        line_index[line_id]: found
        for line_id, found in load_phasing(book, chain, y).items()
        if line_id in line_index
    }
    shaped = any(profile == "actuals" for profile, _ in profiles.values())
    last = load_actuals(book, org_index, line_index, n_line, y - 1)[0] if shaped else None
    if month is None:  # the last month of the year with any actual (0: none yet)
        found = np.flatnonzero(held.any(axis=(0, 1)))
        month = int(found[-1]) + 1 if found.size else 0
    closed = month
    return MonthInputs(y, profiles, actual, held, last, closed)
