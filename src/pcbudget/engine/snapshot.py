"""The engine's input: a book's numbers as numpy arrays, read in one pass per table.

Axes are named once here: organisation (book order, depth-first, so a subtree is a contiguous
slice), line (book order), year, measure and budget type. A scenario's layers are read
together and overlaid from the baseline down, so a scenario holds only what differs.
"""

from __future__ import annotations

import copy
import sqlite3
from dataclasses import dataclass, field

import numpy as np

from ..book.bounds import refuse_stored
from ..book.schema import BASES, MEASURES
from ..book.structure import Scenario, Structure, load_structure, positions
from .limits import StoredOutOfRange, check_loaded

BASIS = {name: i for i, name in enumerate(BASES)}
ENTERED, PER_HEAD, UPLIFT, BALANCE, LEFT_SHIFT = (BASIS[b] for b in BASES)
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
    line_type: np.ndarray  # (L,) int64 index into budget types: the line's own
    year_type: np.ndarray  # (L, Y) int64: the type each year's amount counts against
    line_section: np.ndarray  # (L,) int64 index into sections
    holds: np.ndarray  # (O, L) bool: org budgets this line
    rate: np.ndarray  # (L, Y) float64 £ per head
    months: np.ndarray  # (L, Y) float64
    rate_set: np.ndarray  # (L, Y) bool
    uplift: np.ndarray  # (L, Y) float64 fraction on the year before
    known_pop: np.ndarray  # (O, M, Y) float64, NaN where not known
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

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.holds.shape[0], self.holds.shape[1], len(self.structure.years)


def _layered(conn: sqlite3.Connection, sql: str, chain: list[int]) -> list[tuple]:
    """Rows of `sql` (first column scenario_id) for the chain, baseline first, so later wins."""
    marks = ",".join("?" for _ in chain)
    rows = conn.execute(sql.format(chain=marks), chain).fetchall()
    if len(chain) > 1:
        rank = {sid: i for i, sid in enumerate(chain)}
        rows.sort(key=lambda r: rank[r[0]])
    return rows


def load_snapshot(
    conn: sqlite3.Connection, scenario: str | None = None, structure: Structure | None = None
) -> Snapshot:
    """Read a book (or one scenario of it) into arrays."""
    s = structure or load_structure(conn)
    scen = s.scenario(scenario)
    chain = s.scenario_chain(scen)
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
        line_type=np.array([type_index[ln.budget_type] for ln in s.lines], dtype=np.int64),
        year_type=np.array(
            [[type_index[t] for t in s.types_by_year(ln)] for ln in s.lines], dtype=np.int64
        ).reshape(n_line, n_year),
        line_section=np.array([section_index[ln.section] for ln in s.lines], dtype=np.int64),
        holds=np.asarray(holds, dtype=bool),
        rate=np.zeros((n_line, n_year)),
        months=np.full((n_line, n_year), 12.0),
        rate_set=np.zeros((n_line, n_year), dtype=bool),
        uplift=np.zeros((n_line, n_year)),
        known_pop=np.full((n_org, len(MEASURES), n_year), np.nan),
        growth=np.zeros((n_org, len(MEASURES))),
        entered=np.zeros((n_org, n_line, n_year), dtype=np.int64),
        entered_set=np.zeros((n_org, n_line, n_year), dtype=bool),
        alloc=np.zeros((n_org, len(type_index), n_year), dtype=np.int64),
        alloc_set=np.zeros((n_org, len(type_index), n_year), dtype=bool),
        org_index=org_index,
        line_index=line_index,
        type_index=type_index,
    )
    snap.levels = _levels(parent, depth)
    snap.line_has_entries = np.zeros(n_line, dtype=bool)
    snap.scenario_set = np.zeros((n_org, n_line, n_year), dtype=bool)
    _load_numbers(conn, snap, chain)
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


@dataclass
class Touched:
    """What a set of scenario layers changed, so only that is recalculated."""

    lines: set[int] = field(default_factory=set)
    populations: bool = False
    allocations: bool = False


def _load_numbers(conn: sqlite3.Connection, snap: Snapshot, layers: list[int]) -> Touched:
    """As `_read_numbers`, refusing (with the stored figure named) text or out-of-range values."""
    try:
        touched = _read_numbers(conn, snap, layers)
        check_loaded(snap)
    except (ValueError, TypeError, OverflowError, StoredOutOfRange):  # text, 1e308, out of range
        raise refuse_stored(conn) from None
    return touched


def _read_numbers(conn: sqlite3.Connection, snap: Snapshot, layers: list[int]) -> Touched:
    """Apply the rows of `layers` (baseline first, nearest scenario last) onto the arrays."""
    touched = Touched()
    rows = _layered(
        conn,
        "SELECT scenario_id, org_id, line_id, year_idx, pence IS NULL, coalesce(pence, 0)"
        " FROM amounts WHERE scenario_id IN ({chain})",
        layers,
    )
    if rows:
        arr = np.array(rows, dtype=np.int64)
        org_pos, line_pos = (
            positions(snap.org_index, arr[:, 1]),
            positions(snap.line_index, arr[:, 2]),
        )
        y = arr[:, 3]
        for sid in layers:  # layer by layer, so the nearest scenario wins
            sel = arr[:, 0] == sid
            snap.entered[org_pos[sel], line_pos[sel], y[sel]] = arr[sel, 5]
            snap.entered_set[org_pos[sel], line_pos[sel], y[sel]] = arr[sel, 4] == 0
            if sid != 0:
                snap.scenario_set[org_pos[sel], line_pos[sel], y[sel]] = True
        touched.lines.update(int(x) for x in np.unique(line_pos))
    for _, org_id, line_id, year_idx, note in _layered(
        conn,
        "SELECT scenario_id, org_id, line_id, year_idx, note FROM amounts WHERE note IS NOT NULL"
        " AND scenario_id IN ({chain})",
        layers,
    ):
        snap.notes[(snap.org_index[org_id], snap.line_index[line_id], year_idx)] = note
    for _, line_id, y, rate, months, source, confidence in _layered(
        conn,
        "SELECT scenario_id, line_id, year_idx, rate, months, source, confidence FROM rates"
        " WHERE scenario_id IN ({chain})",
        layers,
    ):
        li = snap.line_index[line_id]
        snap.rate[li, y], snap.months[li, y], snap.rate_set[li, y] = float(rate), months, True
        snap.rate_rows[(li, y)] = (str(rate), months, source, confidence)
        touched.lines.add(li)
    for _, line_id, y, pct in _layered(
        conn,
        "SELECT scenario_id, line_id, year_idx, pct FROM uplifts WHERE scenario_id IN ({chain})",
        layers,
    ):
        snap.uplift[snap.line_index[line_id], y] = float(pct)
        touched.lines.add(snap.line_index[line_id])
    for _, org_id, measure, y, value in _layered(
        conn,
        "SELECT scenario_id, org_id, measure, year_idx, value FROM populations"
        " WHERE scenario_id IN ({chain})",
        layers,
    ):
        snap.known_pop[snap.org_index[org_id], MEASURE[measure], y] = value
        touched.populations = True
    for _, org_id, measure, pct in _layered(
        conn,
        "SELECT scenario_id, org_id, measure, pct FROM growth WHERE scenario_id IN ({chain})",
        layers,
    ):
        if org_id == 0:
            snap.book_growth[MEASURE[measure]] = float(pct)
        else:
            snap.org_growth[(snap.org_index[org_id], MEASURE[measure])] = float(pct)
        touched.populations = True
    resolve_growth(snap)
    if rows:  # lines with any entry: a stale True only costs a check, so just add
        entered_lines = np.unique(line_pos[arr[:, 4] == 0])
        snap.line_has_entries[entered_lines] = True
    for _, org_id, btype, y, pence in _layered(
        conn,
        "SELECT scenario_id, org_id, budget_type, year_idx, pence FROM allocations"
        " WHERE scenario_id IN ({chain})",
        layers,
    ):
        o, t = snap.org_index[org_id], snap.type_index[btype]
        snap.alloc[o, t, y], snap.alloc_set[o, t, y] = pence, True
        touched.allocations = True
    for _, org_id, key, value, note in _layered(
        conn,
        "SELECT scenario_id, org_id, key, value, note FROM leftshift"
        " WHERE scenario_id IN ({chain})",
        layers,
    ):
        snap.leftshift.setdefault(snap.org_index[org_id], {})[key] = value
        if note:
            snap.leftshift_notes[(snap.org_index[org_id], key)] = note
    shift_lines = np.flatnonzero(snap.basis == LEFT_SHIFT)
    if snap.leftshift and shift_lines.size:
        for o in snap.leftshift:  # the organisation with parameters holds its investment
            snap.holds[o, shift_lines] = True
        touched.lines.update(int(x) for x in shift_lines)
    return touched


def overlay_scenario(
    base: Snapshot, conn: sqlite3.Connection, scenario: str
) -> tuple[Snapshot, Touched]:
    """A scenario's snapshot made from a loaded baseline: its layers applied to copies.

    Much cheaper than loading the scenario afresh, and it says what the scenario touched.
    """
    s = base.structure
    scen = s.scenario(scenario)
    chain = s.scenario_chain(scen)
    snap = copy.copy(base)
    marks = ",".join("?" for _ in chain[1:]) or "NULL"
    present = [
        table
        for table in (
            "amounts",
            "rates",
            "uplifts",
            "populations",
            "growth",
            "allocations",
            "leftshift",
        )
        if conn.execute(
            f"SELECT 1 FROM {table} WHERE scenario_id IN ({marks}) LIMIT 1", chain[1:]
        ).fetchone()
    ]
    arrays = {  # copy only what the scenario's rows can change
        "amounts": ("entered", "entered_set", "line_has_entries", "scenario_set"),
        "rates": ("rate", "months", "rate_set"),
        "uplifts": ("uplift",),
        "populations": ("known_pop",),
        "growth": ("growth", "book_growth"),
        "allocations": ("alloc", "alloc_set"),
        "leftshift": ("holds",),
    }
    for table in present:
        for name in arrays[table]:
            setattr(snap, name, getattr(base, name).copy())
    snap.notes = dict(base.notes)
    snap.org_growth = dict(base.org_growth)
    snap.leftshift = {o: dict(p) for o, p in base.leftshift.items()}
    snap.leftshift_notes = dict(base.leftshift_notes)
    snap.scenario, snap.chain = scen, chain
    return snap, _load_numbers(conn, snap, chain[1:])


def resolve_growth(snap: Snapshot) -> None:
    """Each organisation's growth: its own where set, else the book-wide rate."""
    snap.growth[:] = snap.book_growth[None, :]
    for (o, m), pct in snap.org_growth.items():
        snap.growth[o, m] = pct
