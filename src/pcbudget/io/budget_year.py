"""The budget year of a book, worked out: its months read by the book layer and phased,
forecast and rolled up by the engine (what the app, the command line and the return show)."""

from __future__ import annotations

from ..book.actuals import actual_years, month_inputs
from ..book.store import Book
from ..engine.compute import Results
from ..engine.months import YearMonths, phase


def year_months(book: Book, res: Results, y: int, month: int | None = None) -> YearMonths:
    """Year index `y` by month for the results' scenario; `month` closes it at that month."""
    snap = res.snapshot
    return phase(res, month_inputs(book, snap.org_index, snap.line_index, snap.chain, y, month))


def all_year_months(book: Book, res: Results, month: int | None = None) -> dict[int, YearMonths]:
    """Every book year that has actuals, by month (a `month` cut-off applies to each)."""
    n_years = len(res.snapshot.structure.years)
    return {y: year_months(book, res, y, month) for y in actual_years(book, n_years)}
