"""A monthly ledger csv as actuals: `year,period,org,line,amount` (period M1-M12 or 1-12), or
`year,period,cost_centre,subjective,amount` with a mapping csv
`cost_centre,subjective,org,line` (a blank subjective maps the whole cost centre).

pandas reads the file as text; every row is checked before anything is written, the first bad
row is named, and the import is one logged, undoable operation that replaces the periods it
covers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..book.actuals import actual_year_index, actual_year_label, replace_actuals
from ..book.errors import BookError
from ..book.money import parse_money
from ..book.operations import Change
from ..book.phasing import parse_period
from ..book.store import Book
from ..book.structure import Structure, load_structure
from .csv_text import read_csv_table

if TYPE_CHECKING:  # pandas is imported when a ledger is read, not with the app
    import pandas as pd

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 5_000_000


@dataclass
class LedgerImport:
    """What an import did: the periods replaced, cells written, their total and what was odd."""

    periods: list[tuple[str, str]]
    cells: int
    total_pence: int
    change: Change
    notes: list[str] = field(default_factory=list)


def _read(path: Path, what: str) -> pd.DataFrame:
    return read_csv_table(path, what, MAX_BYTES, MAX_ROWS)


def _need(frame: pd.DataFrame, name: str, cols: tuple[str, ...]) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise BookError(f"{name}: no column {', '.join(missing)} (it needs {', '.join(cols)}).")


def import_ledger(
    book: Book,
    path: str | os.PathLike[str],
    *,
    mapping: str | os.PathLike[str] | None = None,
    year: str | None = None,
) -> LedgerImport:
    """Read, check and apply a ledger of actuals; nothing is written if any row is bad."""
    file = Path(path)
    s = load_structure(book.conn)
    frame = _read(file, "ledger")
    where = _mapper(Path(mapping), s) if mapping is not None else None
    cols = ("period", "cost_centre", "amount") if where else ("period", "org", "line", "amount")
    _need(frame, file.name, cols if year else ("year", *cols))
    cells: dict[tuple[int, int, int, int], int] = {}
    periods: set[tuple[int, int]] = set()
    # Columns as plain lists (far quicker than pandas records), and each distinct year, month,
    # organisation and line parsed once: a national month is 100,000 rows of a few codes.
    n_rows = len(frame)
    column = {c: frame[c].tolist() for c in frame.columns}
    blank = [""] * n_rows
    years = column.get("year") or [year or ""] * n_rows
    if where is not None:
        firsts, seconds = column["cost_centre"], column.get("subjective") or blank
    else:
        firsts, seconds = column["org"], column["line"]
    seen: dict[tuple[str, object], object] = {}

    def once(what: str, text: object, parse: Callable[[Any], Any]) -> Any:
        key = (what, text)
        if key not in seen:
            seen[key] = parse(text)
        return seen[key]

    for i, (y_text, p_text, first, second, amount) in enumerate(
        zip(years, column["period"], firsts, seconds, column["amount"], strict=True)
    ):
        try:
            y = once("year", y_text or year or "", lambda t: actual_year_index(s, t))
            m = once("period", p_text, parse_period)
            if where is not None:
                org_code, line_code = once("map", (first, second), lambda t: where(*t))
            else:
                org_code, line_code = first, second
            org_id = once("org", org_code, lambda t: s.org(t).id)
            line_id = once("line", line_code, lambda t: s.line(t).id)
            pence = parse_money(amount)
        except BookError as exc:
            raise BookError(f"{file.name}: row {i + 2}: {exc} Nothing was imported.") from None
        key = (org_id, line_id, y, m)
        cells[key] = cells.get(key, 0) + pence  # ledger lines are transactions: they add
        periods.add((y, m))
    if not cells:
        raise BookError(f"{file.name} has no rows of actuals.")
    label = f"Import actuals from {file.name}"
    change = replace_actuals(book, cells, periods, source=file.name, label=label, structure=s)

    return LedgerImport(
        [(actual_year_label(s, y), f"M{m}") for y, m in sorted(periods)],
        len(cells),
        sum(cells.values()),
        change,
    )


def _mapper(path: Path, s: Structure) -> Callable[[str, str], tuple[str, str]]:
    """Cost centre and subjective code to organisation and line, from a mapping csv."""
    frame = _read(path, "mapping")
    _need(frame, path.name, ("cost_centre", "org", "line"))
    table: dict[tuple[str, str], tuple[str, str]] = {}
    for n, row in enumerate(frame.to_dict("records"), start=2):
        key = (row["cost_centre"].strip().upper(), row.get("subjective", "").strip().upper())
        if key in table:
            raise BookError(f"{path.name}: row {n}: {key[0]} {key[1]} is mapped twice.")
        try:
            s.org(row["org"])
            s.line(row["line"])
        except BookError as exc:
            raise BookError(f"{path.name}: row {n}: {exc}") from None
        table[key] = (row["org"], row["line"])

    def where(cost_centre: str, subjective: str) -> tuple[str, str]:
        cc, sub = cost_centre.strip().upper(), (subjective or "").strip().upper()
        found = table.get((cc, sub)) or table.get((cc, ""))
        if found is None:
            raise BookError(f"cost centre {cc} subjective {sub or '(none)'} is not in the mapping.")
        return found

    return where
