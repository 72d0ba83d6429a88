"""Edits of a book's inputs (amounts, rates, uplifts, populations, growth, allocations).

Each function checks what was typed, builds an `Operation` and applies it through the one write
path in `operations`, so it is one transaction, logged row by row, and one undo step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from .bounds import GROWTH, MAX_PENCE, POPULATION, UPLIFT
from .errors import BookError
from .money import parse_decimal, rate_value
from .operations import KINDS, CellChange, Change, Operation, Row, apply, cell_writes, perform
from .operations import read_row as _read_stored
from .operations import write_row as _write_stored
from .schema import BASELINE_ID, RATED_BASES
from .store import Book
from .structure import Structure, load_structure

__all__ = ["KINDS", "CellChange", "Change", "Row"]


def _label(cells: Sequence[tuple[str, tuple[Any, ...], str, Row]]) -> str:
    if len(cells) == 1:
        kind, _, label, row = cells[0]
        verb = "Clear" if row is None or (kind == "amount" and row[0] is None) else "Set"
        return f"{verb} {kind} {label}"
    return f"Edit {len(cells)} cells"


def apply_rows(
    book: Book,
    scenario_id: int,
    scenario: str,
    cells: Sequence[tuple[str, tuple[Any, ...], str, Row]],
    *,
    label: str | None = None,
    note: str | None = None,
) -> Change:
    """Write rows (kind, key, label, new row) of one scenario as one operation."""
    writes = cell_writes(scenario_id, cells)
    return apply(book, Operation(label or _label(cells), scenario, scenario_id, writes, note))


def write_rows(
    book: Book,
    scenario_id: int,
    scenario: str,
    cells: Sequence[tuple[str, tuple[Any, ...], str, Row]],
    *,
    label: str | None = None,
) -> Change:
    """As `apply_rows`, inside the caller's transaction (for imports that add organisations too)."""
    op = Operation(label or _label(cells), scenario, scenario_id, cell_writes(scenario_id, cells))
    return perform(book, op)


def restore_rows(book: Book, data: list[dict[str, Any]]) -> None:
    """Write back the `old` rows of logged changes, newest first (inside the caller's transaction).

    Used to rebuild a copy of the book as it stood at a version; not logged.
    """
    for item in data:
        if item["kind"] not in KINDS or item["kind"] == "version":
            continue
        old = tuple(item["old"]) if item["old"] is not None else None
        _write_stored(book.conn, item["kind"], item.get("scenario_id"), item["key"], old)


def _structure(book: Book, structure: Structure | None) -> Structure:
    return structure if structure is not None else load_structure(book.conn)


def _inherited_amount(book: Book, s: Structure, scenario_id: int, key: tuple[Any, ...]) -> bool:
    """Whether a layer below this scenario sets the cell (so 'calculated' must be written)."""
    scen = next(x for x in s.scenarios if x.id == scenario_id)
    for layer in s.scenario_chain(scen)[:-1]:
        row = _read_stored(book.conn, "amount", layer, key)
        if row is not None and row[0] is not None:
            return True
    return False


def set_amounts(
    book: Book,
    edits: Iterable[tuple[str, str, str, int | None]],
    *,
    scenario: str | None = None,
    note: str | None = None,
    structure: Structure | None = None,
    label: str | None = None,
) -> Change:
    """Enter or override cells (org, line, year, pence); None reverts a cell to calculated.

    All-or-nothing: one bad cell refuses the whole change.
    """
    s = _structure(book, structure)
    scen = s.scenario(scenario)
    rows = []
    for org_code, line_code, year, pence in edits:
        org, line, y = s.org(org_code), s.line(line_code), s.year_index(year)
        if not s.holds(org, line):
            raise BookError(
                f"{org.code} does not hold '{line.code}': it is budgeted at each {line.level}; "
                f"{org.code} is a {org.kind}."
            )
        if pence is not None and abs(int(pence)) > MAX_PENCE:
            raise BookError("That amount is over £1 trillion: check it.")
        key = (org.id, line.id, y)
        row: Row
        if pence is None:
            calc = scen.id != BASELINE_ID and _inherited_amount(book, s, scen.id, key)
            row = (None, note) if calc else None
        else:
            row = (int(pence), note)
        rows.append(("amount", key, f"{org.code} {line.code} {s.years[y]}", row))
    return apply_rows(book, scen.id, scen.name, rows, label=label)


def set_amount(book: Book, org: str, line: str, year: str, pence: int | None, **kw: Any) -> Change:
    """One cell: see `set_amounts`."""
    return set_amounts(book, [(org, line, year, pence)], **kw)


def set_rate(
    book: Book,
    line_code: str,
    year: str,
    rate: str | Decimal | None,
    months: float = 12,
    *,
    source: str | None = None,
    confidence: str | None = None,
    scenario: str | None = None,
    structure: Structure | None = None,
) -> Change:
    """Set a per-head line's £ rate, or a share-of-allocation line's share ('0.5%' or
    '0.005'), and months for a year (None removes it in this scenario)."""
    s = _structure(book, structure)
    scen, line, y = s.scenario(scenario), s.line(line_code), s.year_index(year)
    if line.basis not in RATED_BASES:
        raise BookError(f"'{line.code}' is not a per-head line, so it has no rate.")
    row: Row = None
    if rate is not None:
        value = rate_value(line.basis, rate, line.code)
        count = parse_decimal(months, "months in the year", low=Decimal(0), high=Decimal(12))
        row = (str(value), float(count), source, confidence)
    return apply_rows(
        book, scen.id, scen.name, [("rate", (line.id, y), f"{line.code} {s.years[y]}", row)]
    )


def set_uplift(
    book: Book,
    line_code: str,
    year: str,
    pct: str | Decimal | None,
    *,
    note: str | None = None,
    scenario: str | None = None,
    structure: Structure | None = None,
) -> Change:
    """Set an uplift line's growth on the year before, as a fraction ('0.0445')."""
    s = _structure(book, structure)
    scen, line, y = s.scenario(scenario), s.line(line_code), s.year_index(year)
    if line.basis != "uplift":
        raise BookError(f"'{line.code}' is not an uplift line.")
    if y == 0:
        raise BookError(f"The first year of '{line.code}' is entered, not uplifted.")
    row: Row = None
    if pct is not None:
        value = parse_decimal(
            pct,
            f"the uplift of {line.code}",
            allow_percent=True,
            low=UPLIFT.low,
            high=UPLIFT.high,
        )
        row = (str(value), note)
    label = f"{line.code} {s.years[y]}"
    return apply_rows(book, scen.id, scen.name, [("uplift", (line.id, y), label, row)])


def set_population(
    book: Book,
    org_code: str,
    measure: str,
    year: str,
    value: float | None,
    *,
    note: str | None = None,
    scenario: str | None = None,
    structure: Structure | None = None,
) -> Change:
    """Set a known population (None: unknown, so projected from the nearest known year)."""
    s = _structure(book, structure)
    scen, org, y = s.scenario(scenario), s.org(org_code), s.year_index(year)
    s.measure(measure)
    row: Row = None
    if value is not None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise BookError(f"'{value}' is not a population.") from None
        if not math.isfinite(number):
            raise BookError(f"'{value}' is not a population.")
        if number < 0:
            raise BookError(f"A population cannot be negative ({org.code} {measure}: {value}).")
        if number > float(POPULATION.high):  # the bounds typing and importers share
            raise BookError(
                f"{value:,} is more people than any organisation has: check the figure."
            )
        row = (number, note)
    label = f"{org.code} {measure} {s.years[y]}"
    return apply_rows(book, scen.id, scen.name, [("population", (org.id, measure, y), label, row)])


def set_growth(
    book: Book,
    org_code: str | None,
    measure: str,
    pct: str | Decimal | None,
    *,
    note: str | None = None,
    scenario: str | None = None,
    structure: Structure | None = None,
) -> Change:
    """Set yearly population growth for one organisation, or book-wide with org None."""
    s = _structure(book, structure)
    scen = s.scenario(scenario)
    org_id, label = (0, "book-wide") if org_code is None else (s.org(org_code).id, org_code)
    s.measure(measure)
    row: Row = None
    if pct is not None:
        value = parse_decimal(
            pct,
            "population growth a year",
            allow_percent=True,
            low=GROWTH.low,
            high=GROWTH.high,
        )
        row = (str(value), note)
    return apply_rows(
        book, scen.id, scen.name, [("growth", (org_id, measure), f"{label} {measure}", row)]
    )


def set_allocation(
    book: Book,
    org_code: str,
    budget_type: str,
    year: str,
    pence: int | None,
    *,
    note: str | None = None,
    scenario: str | None = None,
    structure: Structure | None = None,
) -> Change:
    """Set an organisation's published allocation of one budget type for a year."""
    s = _structure(book, structure)
    scen, org, y = s.scenario(scenario), s.org(org_code), s.year_index(year)
    if budget_type not in {t.code for t in s.budget_types}:
        raise BookError(f"There is no budget type '{budget_type}' in this book.")
    if pence is not None and abs(int(pence)) > MAX_PENCE:
        raise BookError("That allocation is over £1 trillion: check it.")
    row: Row = None if pence is None else (int(pence), note)
    label = f"{org.code} {budget_type} {s.years[y]}"
    return apply_rows(
        book, scen.id, scen.name, [("allocation", (org.id, budget_type, y), label, row)]
    )
