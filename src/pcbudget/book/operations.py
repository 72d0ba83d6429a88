"""One write path: every change to a book is an `Operation` of row writes, applied by `apply`.

An operation names the rows it sets (or removes) in the book's tables. `apply` writes them in
one transaction, logs one change-log row per row that changed, with the old and new row so it
can be inverted, and records the operation as an undo step. Undo and redo (`undo.py`) are
themselves operations over those logged rows, so the history survives closing the book.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .bounds import name_length
from .changelog import Entry, append
from .money import pounds_text
from .store import Book

#: A row's value columns, or None where there is no row.
Row = tuple[Any, ...] | None


@dataclass(frozen=True)
class Kind:
    """A table the core writes: its key and value columns; `layered` tables are per scenario."""

    table: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    layered: bool = True


KINDS: dict[str, Kind] = {
    "amount": Kind("amounts", ("org_id", "line_id", "year_idx"), ("pence", "note")),
    "rate": Kind("rates", ("line_id", "year_idx"), ("rate", "months", "source", "confidence")),
    "uplift": Kind("uplifts", ("line_id", "year_idx"), ("pct", "note")),
    "population": Kind("populations", ("org_id", "measure", "year_idx"), ("value", "note")),
    "growth": Kind("growth", ("org_id", "measure"), ("pct", "note")),
    "allocation": Kind("allocations", ("org_id", "budget_type", "year_idx"), ("pence", "note")),
    "leftshift": Kind("leftshift", ("org_id", "key"), ("value", "note")),
    "scenario": Kind("scenarios", ("id",), ("name", "parent_id", "description"), layered=False),
    "org": Kind(
        "orgs", ("id",), ("code", "name", "kind", "parent_id", "sort", "note"), layered=False
    ),
    "line": Kind(
        "lines",
        ("id",),
        ("code", "section", "name", "budget_type", "level", "basis", "measure", "sort", "note"),
        layered=False,
    ),
    "version": Kind("versions", ("id",), ("name", "change_id", "at", "user", "note"), False),
    "org_code": Kind("org_codes", ("code",), ("org_id",), layered=False),
    #: An organisation's parent from a later year on (parent_id None: closed from that year).
    "org_move": Kind("org_moves", ("org_id", "year_idx"), ("parent_id",), layered=False),
    "line_type": Kind("line_types", ("line_id", "year_idx"), ("budget_type",), layered=False),
    "phasing": Kind("phasing", ("line_id", "year_idx"), ("profile", "method", "note")),
    "actual": Kind(
        "actuals",
        ("org_id", "line_id", "year_idx"),
        (*(f"m{m}" for m in range(1, 13)), "source"),
        layered=False,
    ),
}
#: Kinds of row holding a name, its column among the values, and the words for the row (its
#: label is a code for organisations and lines): every write meets the bound on names.
NAMED = {
    "org": (1, "Organisation {}"),
    "line": (2, "Line {}"),
    "scenario": (0, "A scenario"),
    "version": (0, "A version"),
}
#: Kinds the engine patches in place; any other kind changes the book's shape (reload).
CELL_KINDS = frozenset({"amount", "rate", "uplift", "population", "growth", "allocation"})


@dataclass(frozen=True)
class Write:
    """Set one row (or remove it, with `new` None); `scenario_id` is None for book-wide tables."""

    kind: str
    key: tuple[Any, ...]
    label: str
    new: Row
    scenario_id: int | None = None


@dataclass(frozen=True)
class Operation:
    """What a user asked for, as row writes: `label` is what the undo list shows."""

    label: str
    scenario: str
    scenario_id: int
    writes: tuple[Write, ...]
    note: str | None = None
    undoable: bool = True


@dataclass(frozen=True)
class CellChange:
    """One row of one table, before and after."""

    kind: str
    key: tuple[Any, ...]
    label: str
    old: Row
    new: Row
    scenario_id: int | None = None


@dataclass(frozen=True)
class Change:
    """What an operation changed: the rows before and after, and its change-log batch."""

    scenario: str
    scenario_id: int
    cells: tuple[CellChange, ...]
    batch: int
    label: str = ""
    structural: bool = field(default=False)

    def kinds(self) -> set[str]:
        return {c.kind for c in self.cells}


def _where(kind: Kind, scenario_id: int | None) -> tuple[str, tuple[str, ...]]:
    cols = ("scenario_id", *kind.keys) if kind.layered else kind.keys
    return " AND ".join(f"{c} = ?" for c in cols), cols


def _params(kind: Kind, scenario_id: int | None, key: tuple[Any, ...]) -> tuple[Any, ...]:
    return (scenario_id, *key) if kind.layered else tuple(key)


def read_row(conn: sqlite3.Connection, kind_name: str, scenario_id: int | None, key: Any) -> Row:
    """The value columns of one row as stored now, or None."""
    kind = KINDS[kind_name]
    where, _ = _where(kind, scenario_id)
    row = conn.execute(
        f"SELECT {', '.join(kind.values)} FROM {kind.table} WHERE {where}",
        _params(kind, scenario_id, tuple(key)),
    ).fetchone()
    return tuple(row) if row is not None else None


def write_row(
    conn: sqlite3.Connection, kind_name: str, scenario_id: int | None, key: Any, row: Row
) -> None:
    """Store (or with None delete) one row, inside the caller's transaction; not logged."""
    kind = KINDS[kind_name]
    where, cols = _where(kind, scenario_id)
    params = _params(kind, scenario_id, tuple(key))
    if row is None:
        conn.execute(f"DELETE FROM {kind.table} WHERE {where}", params)
        return
    allcols = (*cols, *kind.values)
    marks = ", ".join("?" for _ in allcols)
    if kind.layered:
        conn.execute(
            f"INSERT OR REPLACE INTO {kind.table} ({', '.join(allcols)}) VALUES ({marks})",
            (*params, *row),
        )
        return
    # Book-wide rows are referenced by others: update in place rather than delete and insert.
    sets = ", ".join(f"{c} = ?" for c in kind.values)
    cur = conn.execute(f"UPDATE {kind.table} SET {sets} WHERE {where}", (*row, *params))
    if cur.rowcount == 0:
        conn.execute(
            f"INSERT INTO {kind.table} ({', '.join(allcols)}) VALUES ({marks})", (*params, *row)
        )


def describe(kind: str, row: Row, inherited: bool = False) -> str:
    """A row's value in words for the change log ('1234.50', '£1.761 x 9/12', '4.45%')."""
    if row is None and inherited:
        return "as the scenario it builds on"
    if kind == "amount" and (row is None or row[0] is None):
        return "calculated"
    if kind == "org_move":
        if row is None:
            return "as the year before"
        return "closed" if row[0] is None else "moved"  # where to: the row's label says
    if row is None:
        return "(none)" if kind in ("scenario", "org", "line", "version") else "(not set)"
    value = row[0]
    if kind in ("amount", "allocation"):
        return pounds_text(value)
    if kind == "actual":
        months = [f"M{m}" for m, p in enumerate(row[:12], start=1) if p is not None]
        total = sum(int(p) for p in row[:12] if p is not None)
        return f"{', '.join(months)}: {pounds_text(total)}"
    if kind == "phasing":
        return f"{value} months, forecast {'at run rate' if row[1] == 'run_rate' else 'as phased'}"
    if kind == "rate":
        return f"£{value} x {float(row[1]):g}/12"
    if kind in ("uplift", "growth"):
        return f"{Decimal(value) * 100:f}%"
    if kind == "population":
        return f"{float(value):g}"
    return str(value)


def _entry(scenario: str, cell: CellChange, note: str | None) -> Entry:
    inherited = cell.scenario_id not in (None, 0)
    row_note = None
    if cell.new is not None and KINDS[cell.kind].values[-1] == "note":
        row_note = cell.new[-1]
    return Entry(
        scenario,
        f"{cell.kind} {cell.label}",
        describe(cell.kind, cell.old, inherited),
        describe(cell.kind, cell.new, inherited),
        row_note if row_note is not None else note,
        json.dumps(
            {
                "scenario_id": cell.scenario_id,
                "kind": cell.kind,
                "key": list(cell.key),
                "old": cell.old,
                "new": cell.new,
            }
        ),
    )


def _bulk_entry(op: Operation, done: list[CellChange]) -> Entry:
    """One change-log row for a large change of one kind of row (an import of 100,000 cells):
    its data lists every row's key, old and new, so undo and versions invert it as usual."""
    first = done[0]
    removed = sum(c.new is None for c in done)
    added = sum(c.old is None for c in done)
    return Entry(
        op.scenario,
        f"{first.kind} x{len(done):,} ({op.label})",
        f"{len(done) - added:,} rows",
        f"{len(done) - removed:,} rows",
        op.note,
        json.dumps(
            {
                "scenario_id": first.scenario_id,
                "kind": first.kind,
                "rows": [[list(c.key), c.old, c.new] for c in done],
            }
        ),
    )


def expand(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A logged change's rows: one, or each row of a bulk entry, as {kind, key, old, new}."""
    if "rows" not in item:
        return [item]
    base = {k: v for k, v in item.items() if k != "rows"}
    return [{**base, "key": key, "old": old, "new": new} for key, old, new in item["rows"]]


def read_rows(
    conn: sqlite3.Connection, kind_name: str, scenario_id: int | None, keys: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Row]:
    """Many rows' value columns at once, by key (absent keys are not in the answer)."""
    kind = KINDS[kind_name]
    conn.execute("DROP TABLE IF EXISTS temp._op_keys")
    conn.execute(f"CREATE TEMP TABLE _op_keys ({', '.join(kind.keys)})")
    marks = ", ".join("?" for _ in kind.keys)
    conn.executemany(f"INSERT INTO temp._op_keys VALUES ({marks})", keys)
    on = " AND ".join(f"x.{k} IS k.{k}" for k in kind.keys)
    scoped = " AND x.scenario_id = ?" if kind.layered else ""
    picked = ", ".join([*(f"k.{k}" for k in kind.keys), *(f"x.{v}" for v in kind.values)])
    found = conn.execute(
        f"SELECT {picked} FROM temp._op_keys k JOIN {kind.table} x ON {on}{scoped}",
        (scenario_id,) if kind.layered else (),
    ).fetchall()
    conn.execute("DROP TABLE temp._op_keys")
    n = len(kind.keys)
    return {tuple(r[:n]): tuple(r[n:]) for r in found}


#: Labels the app gives the next operation on a book ("Paste 12 cells"), by book object.
_LABELS: dict[int, str] = {}


@contextlib.contextmanager
def labelled(book: Book, label: str) -> Iterator[None]:
    """Name the undo step of the operations run inside, in the words of the action that ran them."""
    _LABELS[id(book)] = label
    try:
        yield
    finally:
        _LABELS.pop(id(book), None)


#: An operation this large, of one kind of row, reads and writes its rows in bulk.
BULK = 500


def _is_bulk(op: Operation) -> bool:
    if len(op.writes) < BULK:
        return False
    first = op.writes[0]
    return all(w.kind == first.kind and w.scenario_id == first.scenario_id for w in op.writes)


def _bulk(conn: sqlite3.Connection, op: Operation) -> list[CellChange] | None:
    """The same as writing row by row, in a few statements (imports of 100,000 cells).

    Old rows are read by joining the keys through a temporary table; rows are written with
    executemany. None (row by row instead) where a key repeats, since order would matter.
    """
    kind_name = op.writes[0].kind
    kind = KINDS[kind_name]
    sid = op.writes[0].scenario_id if kind.layered else None
    keys = [tuple(w.key) for w in op.writes]
    if len(set(keys)) != len(keys):
        return None
    old_rows = read_rows(conn, kind_name, sid, keys)
    done: list[CellChange] = []
    removed, stored = [], []
    for w, key in zip(op.writes, keys, strict=True):
        old = old_rows.get(key)
        new = tuple(w.new) if w.new is not None else None
        if old == new:
            continue
        done.append(CellChange(kind_name, key, w.label, old, new, sid))
        prefix = (sid, *key) if kind.layered else key
        if new is None:
            removed.append(prefix)
        else:
            stored.append((*prefix, *new))
    where, cols = _where(kind, sid)
    if removed:
        conn.executemany(f"DELETE FROM {kind.table} WHERE {where}", removed)
    if stored:
        allcols = (*cols, *kind.values)
        marks = ", ".join("?" for _ in allcols)
        sets = ", ".join(f"{v} = excluded.{v}" for v in kind.values)
        conn.executemany(
            f"INSERT INTO {kind.table} ({', '.join(allcols)}) VALUES ({marks})"
            f" ON CONFLICT ({', '.join(cols)}) DO UPDATE SET {sets}",
            stored,
        )
    return done


def perform(book: Book, op: Operation) -> Change:
    """Apply `op` inside the caller's transaction: write, log, and record the undo step."""
    from .undo_history import record_step

    conn = book.conn
    for w in op.writes:
        if w.kind in NAMED and w.new is not None:
            column, words = NAMED[w.kind]
            name_length(w.new[column], words.format(w.label))
    done = _bulk(conn, op) if _is_bulk(op) else None
    if done is None:
        done = []
        for w in op.writes:
            sid = w.scenario_id if KINDS[w.kind].layered else None
            old = read_row(conn, w.kind, sid, w.key)
            new = tuple(w.new) if w.new is not None else None
            write_row(conn, w.kind, sid, w.key, new)
            if old != new:
                done.append(CellChange(w.kind, tuple(w.key), w.label, old, new, sid))
    if any(c.kind in ("org", "org_move") for c in done):
        from .organisations import check_tree

        check_tree(conn)  # before commit: no write may leave a tree the app cannot open
    entries = (
        [_bulk_entry(op, done)]
        if len(done) >= BULK and len({(c.kind, c.scenario_id) for c in done}) == 1
        else [_entry(op.scenario, c, op.note) for c in done]
    )
    batch = append(conn, entries) if entries else 0
    if batch and op.undoable:
        record_step(conn, batch, _LABELS.get(id(book)) or op.label)
    structural = any(c.kind not in CELL_KINDS for c in done)
    return Change(op.scenario, op.scenario_id, tuple(done), batch, op.label, structural)


def apply(book: Book, op: Operation) -> Change:
    """Apply `op` as one transaction: all its rows or none, one log batch, one undo step."""
    book.require_writable()
    with book.transaction():
        return perform(book, op)


def cell_writes(
    scenario_id: int, cells: Sequence[tuple[str, tuple[Any, ...], str, Row]]
) -> tuple[Write, ...]:
    """Writes for (kind, key, label, new row) tuples of one scenario."""
    return tuple(Write(k, tuple(key), label, new, scenario_id) for k, key, label, new in cells)
