"""Scenarios: named sets of overrides on the book's inputs, optionally built on another scenario.

Create, copy, rename, describe and delete, each one logged transaction. A scenario stores only
what differs from its parent, so copying copies its own rows and deleting removes them.
"""

from __future__ import annotations

import re

from .changelog import Entry, append
from .errors import BookError
from .store import Book
from .structure import Scenario, load_structure

_NAME = re.compile(r"^[\w][\w .,&()+%/'-]{0,79}$")
#: Tables whose rows are keyed by scenario.
LAYERED = ("amounts", "rates", "uplifts", "populations", "growth", "allocations", "leftshift")


def _check_name(book: Book, name: str) -> str:
    name = name.strip()
    if not _NAME.match(name) or name.lower() == "baseline":
        raise BookError(f"'{name}' cannot name a scenario: use letters, digits and spaces.")
    if any(x.name.lower() == name.lower() for x in load_structure(book.conn).scenarios):
        raise BookError(f"There is already a scenario named '{name}'.")
    return name


def create_scenario(
    book: Book, name: str, *, parent: str | None = None, description: str = ""
) -> Scenario:
    """A new, empty scenario (equal to its parent until something is overridden in it)."""
    name = _check_name(book, name)
    base = load_structure(book.conn).scenario(parent)
    with book.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO scenarios (name, parent_id, description) VALUES (?,?,?)",
            (name, base.id, description),
        )
        append(
            conn, [Entry(name, "scenario", None, f"created on {base.name}", description or None)]
        )
    return Scenario(int(cur.lastrowid or 0), name, base.id, description)


def copy_scenario(book: Book, name: str, new: str) -> Scenario:
    """A new scenario with the same parent and the same overrides as `name`."""
    source = load_structure(book.conn).scenario(name)
    if source.id == 0:
        raise BookError("Copy the baseline by making a new scenario on it: it starts equal.")
    new = _check_name(book, new)
    with book.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO scenarios (name, parent_id, description) VALUES (?,?,?)",
            (new, source.parent_id, source.description),
        )
        sid = int(cur.lastrowid or 0)
        for table in LAYERED:
            cols = [
                r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "scenario_id"
            ]
            conn.execute(
                f"INSERT INTO {table} (scenario_id, {', '.join(cols)}) SELECT ?, {', '.join(cols)}"
                f" FROM {table} WHERE scenario_id = ?",
                (sid, source.id),
            )
        append(conn, [Entry(new, "scenario", None, f"copied from {source.name}")])
    return Scenario(sid, new, source.parent_id, source.description)


def rename_scenario(book: Book, name: str, new: str) -> None:
    scen = load_structure(book.conn).scenario(name)
    if scen.id == 0:
        raise BookError("The baseline cannot be renamed.")
    new = _check_name(book, new)
    with book.transaction() as conn:
        conn.execute("UPDATE scenarios SET name = ? WHERE id = ?", (new, scen.id))
        append(conn, [Entry(new, "scenario name", scen.name, new)])


def describe_scenario(book: Book, name: str, description: str) -> None:
    scen = load_structure(book.conn).scenario(name)
    if scen.id == 0:
        raise BookError("The baseline is the book itself: describe the book instead.")
    with book.transaction() as conn:
        conn.execute("UPDATE scenarios SET description = ? WHERE id = ?", (description, scen.id))
        append(
            conn, [Entry(scen.name, "scenario description", scen.description or None, description)]
        )


def delete_scenario(book: Book, name: str) -> None:
    """Delete a scenario and its overrides; refused while another scenario builds on it."""
    s = load_structure(book.conn)
    scen = s.scenario(name)
    if scen.id == 0:
        raise BookError("The baseline cannot be deleted.")
    children = [x.name for x in s.scenarios if x.parent_id == scen.id]
    if children:
        raise BookError(f"'{scen.name}' cannot be deleted: {', '.join(children)} build on it.")
    with book.transaction() as conn:
        counts = 0
        for table in LAYERED:
            counts += conn.execute(
                f"DELETE FROM {table} WHERE scenario_id = ?", (scen.id,)
            ).rowcount
        conn.execute("DELETE FROM scenarios WHERE id = ?", (scen.id,))
        append(conn, [Entry(scen.name, "scenario", f"{counts} overrides", "deleted")])
