"""The engine's input: a book's numbers as numpy arrays, built from the records the book reads.

Axes are named once here: organisation (book order, depth-first, so a subtree is a contiguous
slice), line (book order), year, measure and budget type. A scenario's layers are read
together and overlaid from the baseline down, so a scenario holds only what differs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..book.inputs import BookInputs
from ..book.schema import BASES, MEASURES, RATED_BASES
from ..book.structure import Scenario, Structure

BASIS = {name: i for i, name in enumerate(BASES)}
ENTERED, PER_HEAD, UPLIFT, BALANCE, LEFT_SHIFT, ALLOCATION_SHARE = (BASIS[b] for b in BASES)
#: The bases whose lines take a rate (£ per head, or a share of the allocation).
RATED = tuple(BASIS[b] for b in RATED_BASES)
MEASURE = {name: i for i, name in enumerate(MEASURES)}


@dataclass
class Snapshot:
    """Everything the engine computes from; edits update it in place (no reload)."""

    structure: Structure
    scenario: Scenario
    chain: list[int]
    parent: np.ndarray  # (O,) int64, -1 for the root
    depth: np.ndarray  # (O,) int64
    subtree_end: np.ndarray  # (O,) int64: org i's subtree is [i, subtree_end[i])
    basis: np.ndarray  # (L,) int8
    measure: np.ndarray  # (L,) int64, -1 where not per-head
    year_type: np.ndarray  # (L, Y) int64: the type each year's amount counts against
    line_section: np.ndarray  # (L,) int64 index into sections
    holds: np.ndarray  # (O, L) bool: org budgets this line
    rate: np.ndarray  # (L, Y) float64 £ per head
    months: np.ndarray  # (L, Y) float64
    rate_set: np.ndarray  # (L, Y) bool
    uplift: np.ndarray  # (L, Y) float64 fraction on the year before
    known_pop: np.ndarray  # (O, M, Y) float64, NaN where not known; stored (Y, M, O)
    growth: np.ndarray  # (O, M) float64 yearly fraction
    entered: np.ndarray  # (O, L, Y) int64 pence
    entered_set: np.ndarray  # (O, L, Y) bool
    alloc: np.ndarray  # (O, T, Y) int64 pence
    alloc_set: np.ndarray  # (O, T, Y) bool
    org_index: dict[int, int] = field(default_factory=dict)
    line_index: dict[int, int] = field(default_factory=dict)
    type_index: dict[str, int] = field(default_factory=dict)
    notes: dict[tuple[int, int, int], str] = field(default_factory=dict)
    #: The rate rows in force, as stored: (line, year) -> (rate text, months, source, confidence),
    #: so an edit keeps the rate's own decimal text and a tooltip names this scenario's source.
    rate_rows: dict[tuple[int, int], tuple] = field(default_factory=dict)
    #: Per depth, deepest first: (children sorted by parent, their parents, reduceat starts).
    levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    line_has_entries: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: (O, L, Y) cells a scenario layer (not the baseline) sets, entered or "calculated here".
    scenario_set: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), dtype=bool))
    #: Left-shift parameters by organisation index (the scenario's, layered).
    leftshift: dict[int, dict[str, str]] = field(default_factory=dict)
    leftshift_notes: dict[tuple[int, str], str] = field(default_factory=dict)
    book_growth: np.ndarray = field(default_factory=lambda: np.zeros(len(MEASURES)))
    org_growth: dict[tuple[int, int], float] = field(default_factory=dict)
    #: (O, Y) bool: the organisation exists that year (False once closed, `org_moves`).
    open: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    #: The years whose tree differs from the first year's (a move or a closure): year -> its
    #: tree. Empty for most books, which keep the one depth-first order for every year.
    year_trees: dict[int, YearTree] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.holds.shape[0], self.holds.shape[1], len(self.structure.years)


@dataclass(frozen=True)
class YearTree:
    """One year's tree where it differs from the first year's: its own depth-first order
    (closed organisations last, each on its own), so its subtrees are contiguous runs too."""

    parent: np.ndarray  # (O,) int64 parent position that year, -1 for the top or a closed one
    order: np.ndarray  # (O,) int64: organisation positions in that year's depth-first order
    end: np.ndarray  # (O,) int64: the run of order[k]'s subtree is order[k : end[k]]
    levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # as Snapshot.levels, that year


def cells(shape: tuple[int, int, int], dtype: type | np.dtype) -> np.ndarray:
    """Zeros on the (organisation, line, year) axes, stored year-major with the organisations
    innermost, so each line's organisations are contiguous: `.T` gives the (Y, L, O) storage
    the calculation works on, while every caller indexes [org, line, year] as usual."""
    n_org, n_line, n_year = shape
    return np.zeros((n_year, n_line, n_org), dtype=dtype).T


class InputSource(Protocol):
    """Where a snapshot's inputs come from: an open book (or its connection) reads them."""

    def inputs(
        self,
        scenario: str | None = None,
        structure: Structure | None = None,
        *,
        scenario_only: bool = False,
    ) -> BookInputs: ...


def load_snapshot(
    source: InputSource, scenario: str | None = None, structure: Structure | None = None
) -> Snapshot:
    """A book's (or one scenario's) inputs, read by the book, as arrays."""
    return snapshot_from(source.inputs(scenario, structure))


def snapshot_from(inputs: BookInputs) -> Snapshot:
    """The arrays the engine computes from, built from a whole chain's stored figures."""
    s = inputs.structure
    scen = inputs.scenario
    chain = list(inputs.chain)
    n_org, n_line, n_year = len(s.orgs), len(s.lines), len(s.years)
    org_index = {o.id: i for i, o in enumerate(s.orgs)}
    line_index = {ln.id: i for i, ln in enumerate(s.lines)}
    type_index = {t.code: i for i, t in enumerate(s.budget_types)}
    section_index = {sec.code: i for i, sec in enumerate(s.sections)}

    parent = np.array(
        [org_index.get(o.parent_id, -1) if o.parent_id else -1 for o in s.orgs], dtype=np.int64
    )
    depth = np.zeros(n_org, dtype=np.int64)
    for i in range(1, n_org):  # depth-first order: a parent comes before its children
        depth[i] = depth[parent[i]] + 1 if parent[i] >= 0 else 0
    subtree_end = np.arange(1, n_org + 1, dtype=np.int64)
    for i in range(n_org - 1, -1, -1):
        if parent[i] >= 0:
            subtree_end[parent[i]] = max(subtree_end[parent[i]], subtree_end[i])

    kinds = np.array([o.kind for o in s.orgs], dtype=object)
    levels = np.array([ln.level for ln in s.lines], dtype=object)
    holds = (kinds[:, None] == levels[None, :]) | (levels == "any")[None, :]

    snap = Snapshot(
        structure=s,
        scenario=scen,
        chain=chain,
        parent=parent,
        depth=depth,
        subtree_end=subtree_end,
        basis=np.array([BASIS[ln.basis] for ln in s.lines], dtype=np.int8),
        measure=np.array([MEASURE.get(ln.measure or "", -1) for ln in s.lines], dtype=np.int64),
        year_type=np.array(
            [[type_index[t] for t in s.types_by_year(ln)] for ln in s.lines], dtype=np.int64
        ).reshape(n_line, n_year),
        line_section=np.array([section_index[ln.section] for ln in s.lines], dtype=np.int64),
        holds=np.ascontiguousarray(np.asarray(holds, dtype=bool).T).T,
        rate=np.zeros((n_line, n_year)),
        months=np.full((n_line, n_year), 12.0),
        rate_set=np.zeros((n_line, n_year), dtype=bool),
        uplift=np.zeros((n_line, n_year)),
        known_pop=np.full((n_year, len(MEASURES), n_org), np.nan).T,  # year-major, as projected
        growth=np.zeros((n_org, len(MEASURES))),
        entered=cells((n_org, n_line, n_year), np.int64),
        entered_set=cells((n_org, n_line, n_year), bool),
        alloc=np.zeros((n_org, len(type_index), n_year), dtype=np.int64),
        alloc_set=np.zeros((n_org, len(type_index), n_year), dtype=bool),
        org_index=org_index,
        line_index=line_index,
        type_index=type_index,
    )
    snap.levels = _levels(parent, depth)
    by_year = s.parents_by_year() if s.moves else np.repeat(parent[:, None], n_year, axis=1)
    snap.open = by_year != -2
    snap.year_trees = {
        y: year_tree(by_year[:, y]) for y in range(1, n_year) if (by_year[:, y] != parent).any()
    }
    snap.line_has_entries = np.zeros(n_line, dtype=bool)
    snap.scenario_set = cells((n_org, n_line, n_year), bool)
    _apply(snap, inputs)
    return snap


def _levels(
    parent: np.ndarray, depth: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    out = []
    for d in range(int(depth.max(initial=0)), 0, -1):
        kids = np.flatnonzero(depth == d)
        kids = kids[np.argsort(parent[kids], kind="stable")]
        parents, starts = np.unique(parent[kids], return_index=True)
        out.append((kids, parents, starts))
    return out


def year_tree(year_parent: np.ndarray) -> YearTree:
    """A year's tree from its parents (-2: closed, counted nowhere): depth-first order, each
    subtree's run, and its levels for the population sums. Worked once, when a book loads."""
    parent = np.where(year_parent == -2, -1, year_parent)
    n_org = parent.size
    kids = np.argsort(parent, kind="stable")  # children grouped by parent, in book order
    first = np.searchsorted(parent[kids], np.arange(-1, n_org + 1))
    order = np.empty(n_org, dtype=np.int64)
    depth = np.zeros(n_org, dtype=np.int64)
    stack = list(kids[first[0] : first[1]][::-1])  # the top first, then closed organisations
    k = 0
    while stack:
        o = int(stack.pop())
        order[k] = o
        k += 1
        below = kids[first[o + 1] : first[o + 2]]
        depth[below] = depth[o] + 1
        stack.extend(below[::-1].tolist())
    at = np.empty(n_org, dtype=np.int64)
    at[order] = np.arange(n_org)
    end = np.arange(1, n_org + 1, dtype=np.int64)  # in order positions
    for pos in range(n_org - 1, -1, -1):
        p = parent[order[pos]]
        if p >= 0:
            end[at[p]] = max(end[at[p]], end[pos])
    return YearTree(parent, order, end, _levels(parent, depth))


@dataclass
class Touched:
    """What a set of scenario layers changed, so only that is recalculated."""

    lines: set[int] = field(default_factory=set)
    populations: bool = False
    allocations: bool = False


def _apply(snap: Snapshot, inputs: BookInputs) -> Touched:
    """Put the rows of `inputs` (baseline first, nearest scenario last) onto the arrays."""
    touched = Touched()
    if inputs.amount_layer.size:
        org_pos, line_pos, y = inputs.amount_org, inputs.amount_line, inputs.amount_year
        for sid in inputs.layers:  # layer by layer, so the nearest scenario wins
            sel = inputs.amount_layer == sid
            at = (org_pos[sel], line_pos[sel], y[sel])
            snap.entered[at] = inputs.amount_pence[sel]
            snap.entered_set[at] = inputs.amount_set[sel]
            if sid != 0:
                snap.scenario_set[at] = True
        touched.lines.update(int(x) for x in np.unique(line_pos))
        # lines with any entry: a stale True only costs a check, so just add
        snap.line_has_entries[np.unique(line_pos[inputs.amount_set])] = True
    for o, li, y_, note in inputs.notes:
        snap.notes[(o, li, y_)] = note
    for li, y_, text, rate, months, source, confidence in inputs.rates:
        snap.rate[li, y_], snap.months[li, y_], snap.rate_set[li, y_] = rate, months, True
        snap.rate_rows[(li, y_)] = (text, months, source, confidence)
        touched.lines.add(li)
    for li, y_, pct in inputs.uplifts:
        snap.uplift[li, y_] = pct
        touched.lines.add(li)
    if inputs.population_value.size:
        for sid in inputs.layers:
            sel = inputs.population_layer == sid
            where = (inputs.population_org[sel], inputs.population_measure[sel])
            snap.known_pop[(*where, inputs.population_year[sel])] = inputs.population_value[sel]
        touched.populations = True
    for o, m, pct in inputs.growth:
        if o < 0:
            snap.book_growth[m] = pct
        else:
            snap.org_growth[(o, m)] = pct
        touched.populations = True
    resolve_growth(snap)
    for o, t, y_, pence in inputs.allocations:
        snap.alloc[o, t, y_], snap.alloc_set[o, t, y_] = pence, True
        touched.allocations = True
    for o, key, value, ls_note in inputs.leftshift:
        snap.leftshift.setdefault(o, {})[key] = value
        if ls_note:
            snap.leftshift_notes[(o, key)] = ls_note
    shift_lines = np.flatnonzero(snap.basis == LEFT_SHIFT)
    if snap.leftshift and shift_lines.size:
        for o in snap.leftshift:  # the organisation with parameters holds its investment
            snap.holds[o, shift_lines] = True
        touched.lines.update(int(x) for x in shift_lines)
    return touched


def overlay_scenario(
    base: Snapshot, source: InputSource, scenario: str
) -> tuple[Snapshot, Touched]:
    """A scenario's snapshot made from a loaded baseline, its own layers read by the book."""
    return overlay(base, source.inputs(scenario, base.structure, scenario_only=True))


def overlay(base: Snapshot, inputs: BookInputs) -> tuple[Snapshot, Touched]:
    """A scenario's snapshot made from a loaded baseline: its layers applied to copies.

    Much cheaper than building the scenario afresh, and it says what the scenario touched.
    """
    snap = copy.copy(base)
    arrays = {  # copy only what the scenario's rows can change
        "amounts": ("entered", "entered_set", "line_has_entries", "scenario_set"),
        "rates": ("rate", "months", "rate_set"),
        "uplifts": ("uplift",),
        "populations": ("known_pop",),
        "growth": ("growth", "book_growth"),
        "allocations": ("alloc", "alloc_set"),
        "leftshift": ("holds",),
    }
    for table in inputs.tables:
        for name in arrays[table]:
            setattr(snap, name, getattr(base, name).copy(order="K"))  # keeps the layout
    snap.notes = dict(base.notes)
    snap.rate_rows = dict(base.rate_rows)
    snap.org_growth = dict(base.org_growth)
    snap.leftshift = {o: dict(p) for o, p in base.leftshift.items()}
    snap.leftshift_notes = dict(base.leftshift_notes)
    snap.scenario, snap.chain = inputs.scenario, list(inputs.chain)
    return snap, _apply(snap, inputs)


def resolve_growth(snap: Snapshot) -> None:
    """Each organisation's growth: its own where set, else the book-wide rate."""
    snap.growth[:] = snap.book_growth[None, :]
    for (o, m), pct in snap.org_growth.items():
        snap.growth[o, m] = pct
