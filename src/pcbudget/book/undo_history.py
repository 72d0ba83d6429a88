"""Undo and redo as core operations over the logged batches, kept in the book itself.

Each undoable operation is a step (its change-log batch and label). Undo writes the batch's old
rows back as a new, logged change; redo writes its new rows again. Steps live in the book, so
the history survives closing and reopening it, and the app's undo list is only a view of it.
Every undone step is newer than every done one; a new operation drops the undone steps.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from .errors import BookError
from .operations import Change, Operation, Write, perform, read_row
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


def _logged(book: Book, batch: int) -> list[dict[str, Any]]:
    rows = book.conn.execute(
        "SELECT data, scenario FROM change_log WHERE batch = ? AND data IS NOT NULL ORDER BY id",
        (batch,),
    ).fetchall()
    out = []
    for data, scenario in rows:
        item = json.loads(data)
        item["scenario"] = scenario
        out.append(item)
    return out


def _replay(book: Book, step: Step, *, forward: bool) -> Change:
    """Write a step's new rows (redo) or old rows (undo), checking nothing changed since."""
    items = _logged(book, step.batch)
    if not items:
        raise BookError(f"'{step.label}' has nothing recorded to {'redo' if forward else 'undo'}.")
    targets = dict(
        book.conn.execute(
            "SELECT id, target FROM change_log WHERE batch = ? ORDER BY id", (step.batch,)
        ).fetchall()
    )
    labels = list(targets.values())
    order = items if forward else list(reversed(items))
    names = labels if forward else list(reversed(labels))
    expect, put = ("old", "new") if forward else ("new", "old")
    writes = []
    for item, target in zip(order, names, strict=False):
        sid = item.get("scenario_id")
        now = read_row(book.conn, item["kind"], sid, item["key"])
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
