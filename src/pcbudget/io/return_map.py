"""The hidden `_pcbudget` sheet that takes a return back to its book: which book and state it
shows, and what each input cell held when exported.

One map row per run of consecutive sheet rows of one organisation's inputs (its lines in a
section, or its allocations), their figures in one cell in sheet order: a national return's
186,000 input cells are 7,751 map rows. A cell apiece was most of the time both to write a
return and to read it back. Returns written with the older maps (one row per sheet row, or one
per cell) are still read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..book.errors import BookError
from .xlsx_layout import cell, col_letter

YEAR_COL = 4  # zero-based: every sheet's years start in column E, after its four label columns
MAP_SHEET = "_pcbudget"
#: The label of the map sheet's cell C1; D1 holds the book's newest change-log hash.
CHAIN_LABEL = "chain"
#: The map's heading (row 2); the years follow it. A map row names the sheet rows from `row` on,
#: one for each of its space-separated `targets` (line codes or budget types); `figures` holds
#: each of those rows' figures in turn, one a year, in the sheet's columns E, F, and so on. A
#: figure is `status:pence` as exported, or `-`.
MAP_HEADER = ("sheet", "row", "kind", "org", "targets", "figures", "scenario")
#: The map of returns written before runs: one row per sheet row, the same columns.
ROW_MAP_HEADER = ("sheet", "row", "kind", "org", "target", "figures", "scenario")
#: The map of returns written before that: one row per input cell.
CELL_MAP_HEADER = ("sheet", "cell", "kind", "org", "target", "year", "scenario", "pence", "status")
NOT_MAPPED = "-"  # in `figures`: the year's cell is not an input (the line is not held then)
#: Figures in one map row at most: each is under 32 characters, so the cell stays well inside
#: Excel's 32,767 characters.
RUN_FIGURES = 800

#: One input cell as the import reads it, whichever map the return has:
#: (sheet, cell, kind, org, target, year, scenario, pence at export, status at export, then
#: the cell's sheet row from 1 and column letters: the place `cell` names, given apart so the
#: import need not parse back the reference the map reader has just written).
MappedCell = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any, int, str]


@dataclass(slots=True)
class _MapRow:
    """One sheet row's input cells: whose they are, and a `status:pence` figure a year."""

    kind: str
    org: str
    target: str
    scenario: str
    figures: list[str]


@dataclass
class InputMap:
    """The input cells of a return as it is written, by the sheet row they sit in."""

    years: Sequence[str]
    rows: dict[str, dict[int, _MapRow]] = field(default_factory=dict)  # sheet -> row -> cells
    cells: int = 0

    def add(self, sheet: str, r: int, c: int, key: tuple[str, ...], pence: int) -> None:
        """key: (kind, organisation, line or budget type, year, scenario, status at export)."""
        kind, org, target, year, scenario, status = key
        y = c - YEAR_COL
        if not 0 <= y < len(self.years) or self.years[y] != year:
            raise ValueError(f"an input cell {sheet}!{cell(r, c)} outside the year columns")
        row = self._row(sheet, r, kind, org, target, scenario)
        row.figures[y] = f"{status}:{pence}"
        self.cells += 1

    def add_row(
        self,
        sheet: str,
        r: int,
        who: tuple[str, str, str, str],
        statuses: Sequence[str],
        pence: Sequence[int],
    ) -> None:
        """A sheet row whose every year is an input cell: who is (kind, organisation, line or
        budget type, scenario); a status at export and a figure in pence for each year."""
        if not len(statuses) == len(pence) == len(self.years):
            raise ValueError(f"row {r + 1} of {sheet} has a figure for some years only")
        figures = list(map("{}:{}".format, statuses, pence))  # the lengths are checked above
        rows = self.rows.setdefault(sheet, {})
        if r in rows:  # a row already mapped must be the same line's
            self._row(sheet, r, *who).figures[:] = figures
        else:
            rows[r] = _MapRow(*who, figures)
        self.cells += len(pence)

    def _row(self, sheet: str, r: int, kind: str, org: str, target: str, scenario: str) -> _MapRow:
        row = self.rows.setdefault(sheet, {}).get(r)
        if row is None:
            row = _MapRow(kind, org, target, scenario, [NOT_MAPPED] * len(self.years))
            self.rows[sheet][r] = row
        elif (row.kind, row.org, row.target, row.scenario) != (kind, org, target, scenario):
            raise ValueError(f"row {r + 1} of {sheet} mapped to two lines")
        return row

    def write(self, ws: Any, identity: str, chain: str) -> None:
        """The map sheet: identity and chain, the heading, then one row per run of rows."""
        ws.write_row(0, 0, ["book", identity, CHAIN_LABEL, chain])
        ws.write_row(1, 0, [*MAP_HEADER, *self.years])
        text, number = ws.write_string, ws.write_number  # not write_row's guess per cell
        for i, (sheet, row, kind, org, targets, figures, scenario) in enumerate(self._runs(), 2):
            text(i, 0, sheet)
            number(i, 1, row)
            text(i, 2, kind)
            text(i, 3, org)
            text(i, 4, targets)
            text(i, 5, figures)
            text(i, 6, scenario)

    def _runs(self) -> Iterator[list[Any]]:
        """Map rows: consecutive sheet rows of one kind, organisation and scenario together."""
        most = max(1, RUN_FIGURES // max(1, len(self.years)))
        for sheet, by_row in self.rows.items():
            run: list[tuple[int, _MapRow]] = []
            for r in sorted(by_row):
                row = by_row[r]
                if run and not _joins(run, r, row, most):
                    yield _map_row(sheet, run)
                    run = []
                run.append((r, row))
            if run:
                yield _map_row(sheet, run)


def _joins(run: list[tuple[int, _MapRow]], r: int, row: _MapRow, most: int) -> bool:
    """Whether sheet row `r` carries on `run`: the next row, of the same kind, organisation and
    scenario, while the run is shorter than `most` rows (so no map cell grows too long)."""
    start, first = run[0]
    same = (row.kind, row.org, row.scenario) == (first.kind, first.org, first.scenario)
    return same and r == start + len(run) and len(run) < most


def _map_row(sheet: str, run: list[tuple[int, _MapRow]]) -> list[Any]:
    start, first = run[0]
    targets = " ".join(row.target for _, row in run)
    figures = " ".join(f for _, row in run for f in row.figures)
    return [sheet, start + 1, first.kind, first.org, targets, figures, first.scenario]


def mapped_cells(name: str, rows: list[list[Any]]) -> Iterator[MappedCell]:
    """Every input cell the map sheet's `rows` (its values, row by row) names, in any of its
    layouts; a heading that is none of them means the map was changed and cannot be trusted."""
    heading = tuple(rows[1]) if len(rows) > 1 else ()
    for layout in (MAP_HEADER, ROW_MAP_HEADER):
        if heading[: len(layout)] == layout:
            years = [str(y) for y in heading[len(layout) :] if y is not None]
            yield from _run_map(name, rows[2:], years)
            return
    if heading[: len(CELL_MAP_HEADER)] == CELL_MAP_HEADER:
        for row in rows[2:]:
            if row and row[0] is not None:
                padded = [*row[:9], *[None] * (9 - len(row))]
                place = _CELL_REF.fullmatch(str(padded[1]))
                if not place or not _is_pence(padded[7]):
                    raise _changed(name)
                yield (*padded, int(place[2]), place[1])
    else:
        raise _changed(name)


#: A cell reference as the map names one (column letters, then a row from 1), and Excel's
#: last row: anything else in a map was not written by an export.
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_LAST_ROW = 1_048_576


def _is_pence(value: object) -> bool:
    """Whether a map's figure is whole pence: a whole number (a reader may give it as a float),
    or the digits of one (ASCII only)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value) and value == int(value)
    return isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value) is not None


def _row_number(value: object) -> int | None:
    """A map's sheet row as a whole number within a sheet, or None where it is anything else
    (text, a fraction, infinity, past Excel's last row)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value != int(value) or not 1 <= value <= _LAST_ROW:
        return None
    return int(value)


def _changed(name: str) -> BookError:
    return BookError(
        f"{name}: the {MAP_SHEET} sheet has been changed, so its cells cannot be trusted."
    )


def _run_map(name: str, rows: list[list[Any]], years: list[str]) -> Iterator[MappedCell]:
    """The cells of a map of runs of rows (one target apiece in the older map of sheet rows)."""
    width = len(MAP_HEADER)
    n = len(years)
    columns = [col_letter(YEAR_COL + y) for y in range(n)]
    for row in rows:
        if not row or row[0] is None:
            continue
        sheet, r, kind, org, targets, figures, scenario = [*row[:width], *[None] * width][:width]
        names = str(targets).split(" ")
        words = str(figures).split(" ")
        first = _row_number(r)
        if first is None or first + len(names) > _LAST_ROW + 1 or len(words) != len(names) * n:
            raise _changed(name)
        for k, target in enumerate(names):
            at = first + k
            for y in range(n):
                word = words[k * n + y]
                if word == NOT_MAPPED:
                    continue
                status, _, pence = word.partition(":")
                if not _is_pence(pence):
                    raise _changed(name)
                yield (
                    sheet,
                    f"{columns[y]}{at}",
                    kind,
                    org,
                    target,
                    years[y],
                    scenario,
                    int(pence),
                    status,
                    at,
                    columns[y],
                )
