"""Scenarios: named sets of overrides on the book's inputs, optionally built on another scenario."""

from __future__ import annotations

import re

from .changelog import Entry, append
from .errors import BookError
from .store import Book
from .structure import Scenario, load_structure

_NAME = re.compile(r"^[\w][\w .,&()+%/-]{0,79}$")


def create_scenario(
    book: Book, name: str, *, parent: str | None = None, description: str = ""
) -> Scenario:
    """A new, empty scenario (equal to its parent until something is overridden in it)."""
    name = name.strip()
    if not _NAME.match(name) or name.lower() == "baseline":
        raise BookError(f"'{name}' cannot name a scenario: use letters, digits and spaces.")
    s = load_structure(book.conn)
    if any(x.name.lower() == name.lower() for x in s.scenarios):
        raise BookError(f"There is already a scenario named '{name}'.")
    base = s.scenario(parent)
    with book.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO scenarios (name, parent_id, description) VALUES (?,?,?)",
            (name, base.id, description),
        )
        append(
            conn, [Entry(name, "scenario", None, f"created on {base.name}", description or None)]
        )
    return Scenario(int(cur.lastrowid or 0), name, base.id, description)
