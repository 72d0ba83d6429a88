"""Undo and redo as core operations over the logged batches, kept in the book itself.

Each undoable operation is a step (its change-log batch and label). Undo writes the batch's old
rows back as a new, logged change; redo writes its new rows again. Steps live in the book, so
the history survives closing and reopening it, and the app's undo list is only a view of it.
Every undone step is newer than every done one; a new operation drops the undone steps.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import BookError
from .operations import (
    BULK,
    KINDS,
    Change,
    Operation,
    Row,
    Write,
    expand,
    perform,
    read_row,
    read_rows,
)
from .store import Book


@dataclass(frozen=True)
class Step:
    """One undoable operation: `done` False once undone (then it can be redone)."""

    batch: int
    label: str
    done: bool


def record_step(conn: sqlite3.Connection, batch: int, label: str) -> None:
    """Record a new step (inside the operation's transaction); redo history is dropped."""
    conn.execute("DELETE FROM undo_steps WHERE state = 'undone'")
    conn.execute(
        "INSERT INTO undo_steps (batch, label, state) VALUES (?, ?, 'done')", (batch, label)
    )


def steps(book: Book) -> list[Step]:
    """Every step, oldest first."""
    return [
        Step(b, label, state == "done")
        for b, label, state in book.conn.execute(
            "SELECT batch, label, state FROM undo_steps ORDER BY batch"
        )
    ]


def next_undo(book: Book) -> Step | None:
    row = book.conn.execute(
        "SELECT batch, label FROM undo_steps WHERE state = 'done' ORDER BY batch DESC LIMIT 1"
    ).fetchone()
    return Step(row[0], row[1], True) if row else None


def next_redo(book: Book) -> Step | None:
    row = book.conn.execute(
        "SELECT batch, label FROM undo_steps WHERE state = 'undone' ORDER BY batch LIMIT 1"
    ).fetchone()
    return Step(row[0], row[1], False) if row else None


def _logged(book: Book, batch: int) -> list[tuple[dict[str, Any], str]]:
    """The batch's changed rows with the change-log target of each (bulk rows expanded)."""
    rows = book.conn.execute(
        "SELECT data, scenario, target FROM change_log WHERE batch = ? AND data IS NOT NULL"
        " ORDER BY id",
        (batch,),
    ).fetchall()
    out = []
    for data, scenario, target in rows:
        loaded = json.loads(data)
        bulk = "rows" in loaded
        for item in expand(loaded):
            item["scenario"] = scenario
            out.append((item, f"{item['kind']} {item['key']}" if bulk else target))
    return out


def _replay(book: Book, step: Step, *, forward: bool) -> Change:
    """Write a step's new rows (redo) or old rows (undo), checking nothing changed since."""
    logged = _logged(book, step.batch)
    if not logged:
        raise BookError(f"'{step.label}' has nothing recorded to {'redo' if forward else 'undo'}.")
    items = [item for item, _ in logged]
    order = logged if forward else list(reversed(logged))
    expect, put = ("old", "new") if forward else ("new", "old")
    current = _current_rows(book, items)
    writes = []
    for item, target in order:
        sid = item.get("scenario_id")
        now = current(item["kind"], sid, item["key"])
        want = tuple(item[expect]) if item[expect] is not None else None
        if now != want:
            raise BookError(
                f"'{step.label}' cannot be {'redone' if forward else 'undone'}: "
                f"{target} was changed by something else since."
            )
        new = tuple(item[put]) if item[put] is not None else None
        label = target.split(" ", 1)[1] if " " in target else target
        writes.append(Write(item["kind"], tuple(item["key"]), label, new, sid))
    scenario = items[0]["scenario"]
    sids = [int(i["scenario_id"]) for i in items if i.get("scenario_id") is not None]
    op = Operation(
        f"{'Redo' if forward else 'Undo'} {step.label}",
        scenario,
        sids[0] if sids else 0,
        tuple(writes),
        undoable=False,
    )
    with book.transaction() as conn:
        change = perform(book, op)
        conn.execute(
            "UPDATE undo_steps SET state = ? WHERE batch = ?",
            ("done" if forward else "undone", step.batch),
        )
    return change


def _current_rows(book: Book, items: list[dict[str, Any]]) -> Callable[[str, int | None, Any], Row]:
    """A reader of the rows as stored now: in bulk for a large step of one kind of row."""
    kinds = {(i["kind"], i.get("scenario_id")) for i in items}
    if len(items) >= BULK and len(kinds) == 1:
        kind, sid = next(iter(kinds))
        layered_sid = sid if KINDS[kind].layered else None
        found = read_rows(book.conn, kind, layered_sid, [tuple(i["key"]) for i in items])
        return lambda _kind, _sid, key: found.get(tuple(key))
    return lambda kind, sid, key: read_row(book.conn, kind, sid, key)


def undo(book: Book) -> Change:
    """Undo the newest done step, as a new logged change."""
    book.require_writable()
    step = next_undo(book)
    if step is None:
        raise BookError("There is nothing to undo.")
    return _replay(book, step, forward=False)


def redo(book: Book) -> Change:
    """Redo the step undone last, as a new logged change."""
    book.require_writable()
    step = next_redo(book)
    if step is None:
        raise BookError("There is nothing to redo.")
    return _replay(book, step, forward=True)
