"""The book's shape as plain data: years, organisations, sections, lines, scenarios.

Loaded in one pass; the engine and the edit operations look names up here so every unknown
organisation, line, year or scenario gets the same clear message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .errors import BookError
from .years import normalise_year


@dataclass(frozen=True)
class Org:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    note: str | None = None


@dataclass(frozen=True)
class Section:
    code: str
    name: str


@dataclass(frozen=True)
class BudgetType:
    code: str
    name: str


@dataclass(frozen=True)
class Line:
    id: int
    code: str
    section: str
    name: str
    budget_type: str
    level: str
    basis: str
    measure: str | None
    note: str | None = None


@dataclass(frozen=True)
class Scenario:
    id: int
    name: str
    parent_id: int | None
    description: str = ""


@dataclass
class Structure:
    """Everything but the numbers, in book order (organisations depth-first)."""

    years: list[str]
    orgs: list[Org]
    sections: list[Section]
    budget_types: list[BudgetType]
    lines: list[Line]
    scenarios: list[Scenario]
    #: Other codes organisations answer to (ODS codes), upper-case code -> organisation id.
    other_codes: dict[str, int] = field(default_factory=dict)
    #: Budget types that differ from a line's own in a year: (line id, year index) -> type code.
    line_types: dict[tuple[int, int], str] = field(default_factory=dict)
    #: Dated moves and closures (`org_moves`): organisation id -> ((year index, parent id or
    #: None for closed), ...) in year order; orgs' own parent holds in the first year.
    moves: dict[int, tuple[tuple[int, int | None], ...]] = field(default_factory=dict)
    _org_by_code: dict[str, Org] = field(default_factory=dict, repr=False)
    _line_by_code: dict[str, Line] = field(default_factory=dict, repr=False)
    _by_id: dict[int, Org] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_id = self._by_id = {o.id: o for o in self.orgs}
        self._org_by_code = {c: by_id[i] for c, i in self.other_codes.items() if i in by_id}
        self._org_by_code.update({o.code.upper(): o for o in self.orgs})
        self._line_by_code = {ln.code: ln for ln in self.lines}

    def type_in(self, line: Line, year: int) -> str:
        """The budget type `line` counts against in year index `year` (core PCN funding and IIF
        moved inside the delegated allocation from 2022/23, so a line's type is per year)."""
        return self.line_types.get((line.id, year), line.budget_type)

    def types_by_year(self, line: Line) -> list[str]:
        return [self.type_in(line, y) for y in range(len(self.years))]

    def parent_in(self, org_id: int, year: int) -> int | None:
        """The parent of organisation `org_id` in year index `year` (None for the top
        organisation, or for one closed that year: see `is_open`)."""
        parent = self._org_by_id()[org_id].parent_id
        for start, above in self.moves.get(org_id, ()):
            if start > year:
                break
            parent = above
        return parent

    def is_open(self, org_id: int, year: int) -> bool:
        """Whether the organisation exists in year index `year` (not closed from a year before)."""
        state = True
        for start, above in self.moves.get(org_id, ()):
            if start > year:
                break
            state = above is not None
        return state

    def parents_by_year(self) -> np.ndarray:
        """(O, Y) int64: each organisation's parent position (book order) in each year; -1 for
        the top organisation, -2 where the organisation is closed that year."""
        position = {o.id: i for i, o in enumerate(self.orgs)}
        first = [position[o.parent_id] if o.parent_id is not None else -1 for o in self.orgs]
        out = np.repeat(np.array(first, dtype=np.int64)[:, None], len(self.years), axis=1)
        for org_id, rows in self.moves.items():
            for start, above in rows:
                out[position[org_id], start:] = position[above] if above is not None else -2
        return out

    def moves_of(self, org: Org) -> list[tuple[str, Org | None]]:
        """`org`'s dated moves, as (year label, new parent or None where it closes)."""
        by_id = self._org_by_id()
        return [
            (self.years[y], by_id[p] if p is not None else None)
            for y, p in self.moves.get(org.id, ())
        ]

    def org_by_id(self, org_id: int) -> Org:
        """The organisation with row id `org_id` (ids come from the book, so it is there)."""
        return self._org_by_id()[org_id]

    def _org_by_id(self) -> dict[int, Org]:
        if len(self._by_id) != len(self.orgs):
            self._by_id = {o.id: o for o in self.orgs}
        return self._by_id

    @property
    def root(self) -> Org:
        return self.orgs[0]

    def codes_of(self, org: Org) -> list[str]:
        """The other codes `org` answers to (e.g. a CCG's ODS code), sorted."""
        return sorted(c for c, i in self.other_codes.items() if i == org.id)

    def org(self, code: str) -> Org:
        found = self._org_by_code.get(str(code).strip().upper())
        if found is None:
            raise BookError(f"There is no organisation '{code}' in this book.")
        return found

    def line(self, code: str) -> Line:
        found = self._line_by_code.get(str(code).strip())
        if found is None:
            known = ", ".join(ln.code for ln in self.lines[:12])
            raise BookError(f"There is no line '{code}' in this book (lines: {known}, ...).")
        return found

    def year_index(self, label: str) -> int:
        year = normalise_year(label)
        if year not in self.years:
            raise BookError(
                f"This book has no year {year}: it covers {self.years[0]} to {self.years[-1]}."
            )
        return self.years.index(year)

    def scenario(self, name: str | None) -> Scenario:
        wanted = (name or "baseline").strip()
        for scen in self.scenarios:
            if scen.name.lower() == wanted.lower():
                return scen
        names = ", ".join(s.name for s in self.scenarios)
        raise BookError(f"There is no scenario '{wanted}' in this book (scenarios: {names}).")

    def scenario_chain(self, scenario: Scenario) -> list[int]:
        """Scenario ids from the baseline down to `scenario`, in the order they are layered."""
        by_id = {s.id: s for s in self.scenarios}
        chain: list[int] = []
        current: Scenario | None = scenario
        while current is not None:
            if current.id in chain:
                raise BookError(f"Scenario '{scenario.name}' builds on itself.")
            chain.append(current.id)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        if chain[-1] != 0:
            chain.append(0)
        return chain[::-1]

    @staticmethod
    def measure(name: str) -> str:
        """A population measure by name, or a clear error listing the measures."""
        from .schema import MEASURES

        if name not in MEASURES:
            raise BookError(f"'{name}' is not a population measure ({', '.join(MEASURES)}).")
        return name

    def section(self, code: str) -> Section:
        for sec in self.sections:
            if sec.code == code:
                return sec
        raise BookError(f"There is no section '{code}' in this book.")

    def holds(self, org: Org, line: Line) -> bool:
        """Whether `org` holds `line`: budgeted at organisations of its kind, or at any ('any')."""
        return org.kind == line.level or line.level == "any"


def _depth_first(orgs: list[Org]) -> list[Org]:
    children: dict[int | None, list[Org]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    ordered: list[Org] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        org = stack.pop()
        ordered.append(org)
        stack.extend(reversed(children.get(org.id, [])))
    if len(ordered) != len(orgs):
        raise BookError("The organisation tree is damaged: some organisations have no root.")
    return ordered


def positions(index: Mapping[int, int], ids: np.ndarray) -> np.ndarray:
    """Row ids to array positions through a lookup table: one numpy gather, no Python loop."""
    top = max(max(index, default=0), int(ids.max(initial=0))) + 1
    table = np.full(top, -1, dtype=np.int64)
    table[np.fromiter(index.keys(), dtype=np.int64)] = np.fromiter(index.values(), np.int64)
    return table[ids]


def load_scenarios(conn: sqlite3.Connection) -> list[Scenario]:
    """The book's scenarios, baseline first: all a list of them needs, without reading the
    organisations (a national book's take a fifth of a second)."""
    return [
        Scenario(*r)
        for r in conn.execute("SELECT id, name, parent_id, description FROM scenarios ORDER BY id")
    ]


def load_structure(conn: sqlite3.Connection) -> Structure:
    """Read the book's shape in one pass."""
    years = [r[0] for r in conn.execute("SELECT label FROM years ORDER BY idx")]
    orgs = _depth_first(
        [
            Org(*r)
            for r in conn.execute(
                "SELECT id, code, name, kind, parent_id, note FROM orgs ORDER BY sort, id"
            )
        ]
    )
    sections = [Section(*r) for r in conn.execute("SELECT code, name FROM sections ORDER BY sort")]
    types = [
        BudgetType(*r) for r in conn.execute("SELECT code, name FROM budget_types ORDER BY sort")
    ]
    section_order = {s.code: i for i, s in enumerate(sections)}
    lines = sorted(
        (
            Line(*r[:-1])
            for r in conn.execute(
                "SELECT id, code, section, name, budget_type, level, basis, measure, note, sort"
                " FROM lines ORDER BY sort, id"
            )
        ),
        key=lambda ln: section_order.get(ln.section, 99),
    )
    scenarios = load_scenarios(conn)
    if not years or not orgs:
        raise BookError("This book is damaged: it has no years or no organisations.")
    codes = {str(c).upper(): int(i) for c, i in conn.execute("SELECT code, org_id FROM org_codes")}
    line_types = {
        (int(li), int(y)): str(t)
        for li, y, t in conn.execute("SELECT line_id, year_idx, budget_type FROM line_types")
    }
    moves: dict[int, list[tuple[int, int | None]]] = {}
    for org_id, y, above in conn.execute(
        "SELECT org_id, year_idx, parent_id FROM org_moves ORDER BY org_id, year_idx"
    ):
        moves.setdefault(int(org_id), []).append((int(y), None if above is None else int(above)))
    dated = {o: tuple(rows) for o, rows in moves.items()}
    return Structure(years, orgs, sections, types, lines, scenarios, codes, line_types, dated)
