"""The hidden `_pcbudget` sheet that takes a return back to its book: which book and state it
shows, and what each input cell held when exported.

One map row per sheet row that holds input cells (a line or an allocation of one
organisation), its figures side by side under the years, as the sheet shows them: a national
return's 186,000 input cells are 37,000 map rows, not 186,000 rows of nine cells, which was
most of the time both to write a return and to read it back. Returns written with the older
map of one row per cell are still read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..book.errors import BookError
from .xlsx_layout import cell, col_letter

YEAR_COL = 4  # zero-based: every sheet's years start in column E, after its four label columns
MAP_SHEET = "_pcbudget"
#: The label of the map sheet's cell C1; D1 holds the book's newest change-log hash.
CHAIN_LABEL = "chain"
#: The map's heading (row 2); the years follow it, naming in turn the figures of each row's
#: `figures`, which sit in the sheet's columns E, F, and so on. Each figure is `status:pence`
#: as exported, or `-` (one text for the row: a cell apiece cost as much again to write).
MAP_HEADER = ("sheet", "row", "kind", "org", "target", "figures", "scenario")
#: The map of returns written before: one row per input cell.
CELL_MAP_HEADER = ("sheet", "cell", "kind", "org", "target", "year", "scenario", "pence", "status")
NOT_MAPPED = "-"  # in `figures`: the year's cell is not an input (the line is not held then)

#: One input cell as the import reads it, whichever map the return has:
#: (sheet, cell, kind, org, target, year, scenario, pence at export, status at export).
MappedCell = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any]


@dataclass
class InputMap:
    """The input cells of a return as it is written, grouped by the sheet row they sit in."""

    years: Sequence[str]
    rows: dict[tuple[str, int, str, str, str, str], dict[int, tuple[int, str]]] = field(
        default_factory=dict
    )
    cells: int = 0

    def add(self, sheet: str, r: int, c: int, key: tuple[str, ...], pence: int) -> None:
        """key: (kind, organisation, line or budget type, year, scenario, status at export)."""
        kind, org, target, year, scenario, status = key
        y = c - YEAR_COL
        if not 0 <= y < len(self.years) or self.years[y] != year:
            raise ValueError(f"an input cell {sheet}!{cell(r, c)} outside the year columns")
        self.rows.setdefault((sheet, r, kind, org, target, scenario), {})[y] = (pence, status)
        self.cells += 1

    def write(self, ws: Any, identity: str, chain: str) -> None:
        """The map sheet: identity and chain, the heading, then one row per sheet row."""
        ws.write_row(0, 0, ["book", identity, CHAIN_LABEL, chain])
        ws.write_row(1, 0, [*MAP_HEADER, *self.years])
        n = len(self.years)
        for i, ((sheet, r, kind, org, target, scenario), at) in enumerate(self.rows.items()):
            told = (f"{at[y][1]}:{at[y][0]}" if y in at else NOT_MAPPED for y in range(n))
            figures = " ".join(told)
            ws.write_row(i + 2, 0, [sheet, r + 1, kind, org, target, figures, scenario])


def mapped_cells(name: str, rows: list[list[Any]]) -> Iterator[MappedCell]:
    """Every input cell the map sheet's `rows` (its values, row by row) names, in either
    layout; a heading that is neither means the map was changed and cannot be trusted."""
    heading = tuple(rows[1]) if len(rows) > 1 else ()
    if heading[: len(MAP_HEADER)] == MAP_HEADER:
        years = [str(y) for y in heading[len(MAP_HEADER) :] if y is not None]
        yield from _row_map(name, rows[2:], years)
    elif heading[: len(CELL_MAP_HEADER)] == CELL_MAP_HEADER:
        for row in rows[2:]:
            if row and row[0] is not None:
                padded = [*row[:9], *[None] * (9 - len(row))]
                yield tuple(padded)
    else:
        raise _changed(name)


def _changed(name: str) -> BookError:
    return BookError(
        f"{name}: the {MAP_SHEET} sheet has been changed, so its cells cannot be trusted."
    )


def _row_map(name: str, rows: list[list[Any]], years: list[str]) -> Iterator[MappedCell]:
    width = len(MAP_HEADER)
    for row in rows:
        if not row or row[0] is None:
            continue
        sheet, r, kind, org, target, figures, scenario = [*row[:width], *[None] * width][:width]
        words = str(figures).split(" ")
        if isinstance(r, bool) or not isinstance(r, int | float) or len(words) != len(years):
            raise _changed(name)
        for y, word in enumerate(words):
            if word == NOT_MAPPED:
                continue
            status, _, pence = word.partition(":")
            if not pence.lstrip("-").isdigit():
                raise _changed(name)
            ref = f"{col_letter(YEAR_COL + y)}{int(r)}"
            yield (sheet, ref, kind, org, target, years[y], scenario, int(pence), status)
