"""Operations that change a book: each is one transaction and one change-log row per cell.

Every operation returns a `Change` naming what it changed, with the rows as they were before
and after, so the engine recalculates only what it must and undo can put the rows back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .changelog import Entry, append
from .errors import BookError
from .money import parse_decimal, pounds_text
from .schema import BASELINE_ID
from .store import Book
from .structure import Structure, load_structure

#: A row's value columns, or None where the scenario has no row.
Row = tuple[Any, ...] | None


@dataclass(frozen=True)
class _Kind:
    table: str
    keys: tuple[str, ...]
    values: tuple[str, ...]


KINDS = {
    "amount": _Kind("amounts", ("org_id", "line_id", "year_idx"), ("pence", "note")),
    "rate": _Kind("rates", ("line_id", "year_idx"), ("rate", "months", "source", "confidence")),
    "uplift": _Kind("uplifts", ("line_id", "year_idx"), ("pct", "note")),
    "population": _Kind("populations", ("org_id", "measure", "year_idx"), ("value", "note")),
    "growth": _Kind("growth", ("org_id", "measure"), ("pct", "note")),
    "allocation": _Kind("allocations", ("org_id", "budget_type", "year_idx"), ("pence", "note")),
}


@dataclass(frozen=True)
class CellChange:
    """One row of one input table, before and after."""

    kind: str
    key: tuple[Any, ...]
    label: str
    old: Row
    new: Row


@dataclass(frozen=True)
class Change:
    """What an operation changed, in one scenario."""

    scenario: str
    scenario_id: int
    cells: tuple[CellChange, ...]
    batch: int

    def kinds(self) -> set[str]:
        return {c.kind for c in self.cells}


def _read_row(book: Book, kind: _Kind, scenario_id: int, key: tuple[Any, ...]) -> Row:
    where = " AND ".join(f"{k} = ?" for k in ("scenario_id", *kind.keys))
    row = book.conn.execute(
        f"SELECT {', '.join(kind.values)} FROM {kind.table} WHERE {where}", (scenario_id, *key)
    ).fetchone()
    return tuple(row) if row is not None else None


def _write_row(book: Book, kind: _Kind, scenario_id: int, key: tuple[Any, ...], row: Row) -> None:
    cols = ("scenario_id", *kind.keys)
    if row is None:
        where = " AND ".join(f"{k} = ?" for k in cols)
        book.conn.execute(f"DELETE FROM {kind.table} WHERE {where}", (scenario_id, *key))
        return
    allcols = (*cols, *kind.values)
    marks = ", ".join("?" for _ in allcols)
    book.conn.execute(
        f"INSERT OR REPLACE INTO {kind.table} ({', '.join(allcols)}) VALUES ({marks})",
        (scenario_id, *key, *row),
    )


#: Bounds that catch typing slips (a rate of £1m a head, growth of 1,000,000%).
MAX_RATE = Decimal(100_000)
UPLIFT_RANGE = (Decimal("-0.99"), Decimal(10))
GROWTH_RANGE = (Decimal("-0.5"), Decimal(1))
MAX_POPULATION = 1e9


def _describe(kind: str, row: Row, inherited: bool = False) -> str:
    if row is None and inherited:
        return "as the scenario it builds on"
    if kind == "amount" and (row is None or row[0] is None):
        return "calculated"
    if row is None:
        return "(not set)"
    value = row[0]
    if kind in ("amount", "allocation"):
        return pounds_text(value)
    if kind == "rate":
        return f"£{value} x {row[1]:g}/12"
    if kind in ("uplift", "growth"):
        return f"{Decimal(value) * 100:f}%"
    return f"{value:g}"


def apply_rows(
    book: Book,
    scenario_id: int,
    scenario: str,
    cells: Sequence[tuple[str, tuple[Any, ...], str, Row]],
) -> Change:
    """Write rows (kind, key, label, new row) in one transaction with one log row per cell."""
    book.require_writable()
    with book.transaction():
        return write_rows(book, scenario_id, scenario, cells)


def write_rows(
    book: Book,
    scenario_id: int,
    scenario: str,
    cells: Sequence[tuple[str, tuple[Any, ...], str, Row]],
) -> Change:
    """As `apply_rows`, inside the caller's transaction (for imports that add organisations too)."""
    layered = scenario_id != BASELINE_ID
    done: list[CellChange] = []
    for kind_name, key, label, new in cells:
        kind = KINDS[kind_name]
        old = _read_row(book, kind, scenario_id, key)
        _write_row(book, kind, scenario_id, key, new)
        done.append(CellChange(kind_name, key, label, old, new))
    entries = [
        Entry(
            scenario,
            f"{c.kind} {c.label}",
            _describe(c.kind, c.old, layered),
            _describe(c.kind, c.new, layered),
            (c.new[-1] if c.new is not None and c.kind != "rate" else None),
            json.dumps(
                {
                    "scenario_id": scenario_id,
                    "kind": c.kind,
                    "key": list(c.key),
                    "old": c.old,
                    "new": c.new,
                }
            ),
        )
        for c in done
        if c.old != c.new
    ]
    batch = append(book.conn, entries) if entries else 0
    return Change(scenario, scenario_id, tuple(done), batch)


def restore_rows(book: Book, data: list[dict[str, Any]]) -> None:
    """Write back the `old` rows of logged changes, newest first (inside the caller's transaction).

    Used to rebuild a copy of the book as it stood at a version; not logged.
    """
    for item in data:
        kind = KINDS[item["kind"]]
        old = tuple(item["old"]) if item["old"] is not None else None
        _write_row(book, kind, item["scenario_id"], tuple(item["key"]), old)


def undo(book: Book, change: Change) -> Change:
    """A new change that puts back every row `change` altered (undo is itself logged)."""
    cells = [(c.kind, c.key, c.label, c.old) for c in reversed(change.cells)]
    return apply_rows(book, change.scenario_id, change.scenario, cells)


def _structure(book: Book, structure: Structure | None) -> Structure:
    return structure if structure is not None else load_structure(book.conn)


def _inherited_amount(book: Book, s: Structure, scenario_id: int, key: tuple[Any, ...]) -> bool:
    """Whether a layer below this scenario sets the cell (so 'calculated' must be written)."""
    scen = next(x for x in s.scenarios if x.id == scenario_id)
    for layer in s.scenario_chain(scen)[:-1]:
        row = _read_row(book, KINDS["amount"], layer, key)
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
        if pence is not None and abs(int(pence)) > 10**14:
            raise BookError("That amount is over £1 trillion: check it.")
        key = (org.id, line.id, y)
        row: Row
        if pence is None:
            calc = scen.id != BASELINE_ID and _inherited_amount(book, s, scen.id, key)
            row = (None, note) if calc else None
        else:
            row = (int(pence), note)
        rows.append(("amount", key, f"{org.code} {line.code} {s.years[y]}", row))
    return apply_rows(book, scen.id, scen.name, rows)


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
    """Set a per-head line's £ rate and months for a year (None removes it in this scenario)."""
    s = _structure(book, structure)
    scen, line, y = s.scenario(scenario), s.line(line_code), s.year_index(year)
    if line.basis != "per_head":
        raise BookError(f"'{line.code}' is not a per-head line, so it has no rate.")
    row: Row = None
    if rate is not None:
        value = parse_decimal(rate, f"the £ rate of {line.code}", low=Decimal(0), high=MAX_RATE)
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
            low=UPLIFT_RANGE[0],
            high=UPLIFT_RANGE[1],
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
        if number > MAX_POPULATION:
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
            low=GROWTH_RANGE[0],
            high=GROWTH_RANGE[1],
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
    row: Row = None if pence is None else (int(pence), note)
    label = f"{org.code} {budget_type} {s.years[y]}"
    return apply_rows(
        book, scen.id, scen.name, [("allocation", (org.id, budget_type, y), label, row)]
    )
