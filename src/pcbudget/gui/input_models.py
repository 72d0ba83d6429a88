"""Grids of the book's inputs: populations (known vs projected, growth), rates and allocations.

Each reads from the engine's snapshot and results and writes through the book as an undoable
change, like the budget grid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from ..book import BookError
from ..book.edits import set_allocation, set_growth, set_population, set_rate
from ..book.money import parse_decimal, parse_money, pounds_text
from ..book.population_notes import population_sources
from ..book.schema import MEASURES, RATED_BASES
from ..engine.children import children
from ..engine.explain import explain_population
from ..engine.population import KNOWN, MISSING, PROJECTED, SUMMED
from .grid_model import Index
from .session import Session
from .style import PROJECTED_TEXT, STATUS_TINT, TOTAL_TINT, italic
from .year_grid import YearGridModel, format_amount


class _InputModel(YearGridModel):
    """Shared plumbing: read again on every change, and turn each typed value into a change."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.org = 0
        self.rows: list[Any] = []
        self._rebuild()
        session.resultsChanged.connect(self._changed)

    def _rebuild(self) -> None:  # pragma: no cover - overridden
        self.rows = []

    def _changed(self, _change: object) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def set_org(self, code: str) -> None:
        self.org = self.session.org_index(code)
        self._changed(None)

    def _edit(self, index: Index, text: str, operation) -> bool:
        return self.session.run(text, operation)

    def _refuse(self, index: Index, exc: BookError) -> bool:
        return self.refuse(index, str(exc))


class PopulationModel(_InputModel):
    """Organisations of the chosen subtree by year for one measure, plus each one's growth %."""

    trailing = "Growth % a year"

    def __init__(self, session: Session) -> None:
        self.measure = 0
        super().__init__(session)

    def set_measure(self, measure: str) -> None:
        self.measure = MEASURES.index(measure)
        self._changed(None)

    def _rebuild(self) -> None:
        snap = self.session.model.snapshot
        self.rows = list(range(self.org, int(snap.subtree_end[self.org])))
        self._sources: dict[tuple[int, int], str] | None = None  # read on the first hover

    def _source(self, org_id: int, year: int) -> str | None:
        """The stored note of a known figure, from one read of the measure's notes."""
        if self._sources is None:
            chain = list(self.session.model.snapshot.chain)
            self._sources = population_sources(self.session.book, chain, MEASURES[self.measure])
        return self._sources.get((org_id, year))

    def row_header(self, section: int) -> str:
        org = self.session.structure.orgs[self.rows[section]]
        depth = int(
            self.session.model.snapshot.depth[self.rows[section]]
            - self.session.model.snapshot.depth[self.org]
        )
        return "  " * depth + f"{org.code}  {org.name}"

    def cell(self, row: int, col: int, role: int) -> Any:
        res = self.session.model.results
        o = self.rows[row]
        if self.is_trailing(col):
            growth = res.snapshot.growth[o, self.measure] * 100
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return f"{growth:.2f}%"
            return None
        value = res.pop[o, self.measure, col]
        status = int(res.pop_status[o, self.measure, col])
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if status == MISSING else f"{value:,.0f}"
        if role == Qt.ItemDataRole.EditRole:
            return "" if status == MISSING else f"{value:.2f}"
        if role == Qt.ItemDataRole.ToolTipRole:
            why = explain_population(res, o, self.measure, col)
            if status != KNOWN:
                return why
            source = self._source(self.session.structure.orgs[o].id, col)
            return f"{why}\nSource: {source}" if source else why
        if role == Qt.ItemDataRole.FontRole and status != KNOWN:
            return italic()
        if role == Qt.ItemDataRole.ForegroundRole and status in (PROJECTED, SUMMED):
            return PROJECTED_TEXT
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_TINT[2] if status == KNOWN else (TOTAL_TINT if status == SUMMED else None)
        if role == Qt.ItemDataRole.UserRole:
            return {KNOWN: "known", PROJECTED: "projected", SUMMED: "summed", MISSING: "missing"}[
                status
            ]
        return None

    def can_type(self, row: int, col: int) -> bool:
        o, res = self.rows[row], self.session.model.results
        summed = not self.is_trailing(col) and int(res.pop_status[o, self.measure, col]) == SUMMED
        return not summed  # a parent's is its children's sum

    def type_into(self, index: Index, text: str) -> bool:
        org = self.session.structure.orgs[self.rows[index.row()]].code
        measure, col, text = MEASURES[self.measure], index.column(), text.strip()
        scen = self.session.scenario
        try:
            if self.is_trailing(col):
                pct = parse_decimal(
                    text if text.endswith("%") else text + "%", "growth", allow_percent=True
                )
                return self._edit(
                    index,
                    f"Growth {org} {measure}",
                    lambda: set_growth(self.session.book, org, measure, pct, scenario=scen),
                )
            number = None if text == "" else float(parse_decimal(text, "a population"))
        except BookError as exc:
            return self._refuse(index, exc)
        year = self.years[col]
        return self._edit(
            index,
            f"Population {org} {measure} {year}",
            lambda: set_population(self.session.book, org, measure, year, number, scenario=scen),
        )


class RateModel(_InputModel):
    """Per-head lines by year: the £ rate and the months of the year it applies."""

    def _rebuild(self) -> None:
        snap = self.session.model.snapshot
        self.rows = [
            i for i, ln in enumerate(self.session.structure.lines) if ln.basis in RATED_BASES
        ]
        self._snap = snap

    def per_year(self) -> int:
        return 2  # the £ rate, then the months of the year it applies

    def year_header(self, year: int, part: int) -> str:
        return f"{self.years[year]} {'£ rate' if part == 0 else 'months'}"

    def row_header(self, section: int) -> str:
        line = self.session.structure.lines[self.rows[section]]
        return f"{line.name} ({line.measure or 'share of allocation'})"

    def _where(self, row: int, col: int) -> tuple[int, int, bool]:
        """(line index, year index, whether the months column) of a cell."""
        return self.rows[row], self.year_of(col) or 0, self.part_of_year(col) == 1

    def cell(self, row: int, col: int, role: int) -> Any:
        snap = self.session.model.snapshot
        li, y, months = self._where(row, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if months:
                return f"{snap.months[li, y]:g}"
            rate = snap.rate_rows.get((li, y))
            return rate[0] if rate else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            rate = snap.rate_rows.get((li, y))  # this scenario's rate, not another's
            return (
                f"Source: {rate[2]}\nConfidence: {rate[3]}"
                if rate
                else "No rate: the line is nil this year."
            )
        return None

    def can_type(self, row: int, col: int) -> bool:
        return True

    def type_into(self, index: Index, text: str) -> bool:
        snap = self.session.model.snapshot
        li, y, months = self._where(index.row(), index.column())
        line, year = self.session.structure.lines[li], self.years[y]
        try:
            number = parse_decimal(text, "a rate" if not months else "months")
        except BookError as exc:
            return self._refuse(index, exc)
        stored = snap.rate_rows.get((li, y))
        if months and stored is None:
            return self._refuse(index, BookError(f"{line.code} has no rate in {year}: enter one."))
        rate = Decimal(stored[0]) if months and stored else number
        month_count = float(number) if months else float(snap.months[li, y])
        scen = self.session.scenario
        return self._edit(
            index,
            f"Rate {line.code} {year}",
            lambda: set_rate(
                self.session.book,
                line.code,
                year,
                rate,
                month_count,
                scenario=scen,
                source="entered in pcbudget",
                confidence="entered",
            ),
        )


class AllocationModel(_InputModel):
    """The chosen organisation and its children by budget type and year."""

    def _rebuild(self) -> None:
        snap = self.session.model.snapshot
        orgs = [self.org, *children(snap, self.org)]  # in any year: one may move in later
        self.rows = [(o, t) for o in orgs for t in range(len(self.session.structure.budget_types))]

    def row_header(self, section: int) -> str:
        o, t = self.rows[section]
        s = self.session.structure
        return f"{s.orgs[o].code}  {s.budget_types[t].code} allocation"

    def cell(self, row: int, col: int, role: int) -> Any:
        snap, res = self.session.model.snapshot, self.session.model.results
        (o, t), y = self.rows[row], col
        own = bool(snap.alloc_set[o, t, y])
        value = int(snap.alloc[o, t, y]) if own else int(res.alloc_rolled[o, t, y])
        if role == Qt.ItemDataRole.DisplayRole:
            # Allocations are published in whole pounds: shown in £ whatever the grid's unit.
            return format_amount(value, "£") if own or res.alloc_present[o, t, y] else ""
        if role == Qt.ItemDataRole.EditRole:
            return pounds_text(value) if own else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_TINT[2] if own else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Entered allocation" if own else "Sum of its organisations' allocations"
        return None

    def can_type(self, row: int, col: int) -> bool:
        return True

    def type_into(self, index: Index, text: str) -> bool:
        (o, t), y = self.rows[index.row()], index.column()
        org, btype, year = (
            self.session.structure.orgs[o].code,
            self.session.structure.budget_types[t].code,
            self.years[y],
        )
        try:
            pence = None if text.strip() == "" else parse_money(text)
        except BookError as exc:
            return self._refuse(index, exc)
        scen = self.session.scenario
        return self._edit(
            index,
            f"Allocation {org} {btype} {year}",
            lambda: set_allocation(self.session.book, org, btype, year, pence, scenario=scen),
        )
