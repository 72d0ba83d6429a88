"""Scenarios: named sets of overrides on the book's inputs, optionally built on another scenario.

Create, copy, rename, describe and delete, each one logged transaction. A scenario stores only
what differs from its parent, so copying copies its own rows and deleting removes them.
"""

from __future__ import annotations

import re

from .bounds import name_text
from .errors import BookError
from .operations import KINDS, Change, Operation, Write, apply
from .store import Book
from .structure import Scenario, load_scenarios, load_structure

_NAME = re.compile(r"^[\w][\w .,&()+%/'-]{0,79}$")
#: Kinds whose rows are keyed by scenario.
LAYERED = tuple(name for name, kind in KINDS.items() if kind.layered)


def _check_name(book: Book, name: str) -> str:
    name = name_text(name, "A scenario")
    if not _NAME.match(name) or name.lower() == "baseline":
        raise BookError(f"'{name}' cannot name a scenario: use letters, digits and spaces.")
    if any(x.name.lower() == name.lower() for x in load_scenarios(book.conn)):
        raise BookError(f"There is already a scenario named '{name}'.")
    return name


def _next_id(book: Book) -> int:
    return int(book.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM scenarios").fetchone()[0])


def _layer_rows(book: Book, scenario_id: int) -> list[Write]:
    """Every row a scenario holds, as writes that would set them (for copying or deleting)."""
    out = []
    for name in LAYERED:
        kind = KINDS[name]
        cols = ", ".join((*kind.keys, *kind.values))
        for row in book.conn.execute(
            f"SELECT {cols} FROM {kind.table} WHERE scenario_id = ?", (scenario_id,)
        ):
            key, values = tuple(row[: len(kind.keys)]), tuple(row[len(kind.keys) :])
            out.append(Write(name, key, " ".join(str(k) for k in key), values, scenario_id))
    return out


def create_scenario(
    book: Book, name: str, *, parent: str | None = None, description: str = ""
) -> Scenario:
    """A new, empty scenario (equal to its parent until something is overridden in it)."""
    name = _check_name(book, name)
    base = load_structure(book.conn).scenario(parent)
    sid = _next_id(book)
    row = (name, base.id, description)
    apply(
        book,
        Operation(
            f"New scenario {name}",
            name,
            sid,
            (Write("scenario", (sid,), f"{name} (on {base.name})", row),),
            description or None,
        ),
    )
    return Scenario(sid, name, base.id, description)


def copy_scenario(book: Book, name: str, new: str) -> Scenario:
    """A new scenario with the same parent and the same overrides as `name`."""
    source = load_structure(book.conn).scenario(name)
    if source.id == 0:
        raise BookError("Copy the baseline by making a new scenario on it: it starts equal.")
    new = _check_name(book, new)
    sid = _next_id(book)
    head = Write(
        "scenario",
        (sid,),
        f"{new} (copy of {source.name})",
        (new, source.parent_id, source.description),
    )
    rows = [Write(w.kind, w.key, w.label, w.new, sid) for w in _layer_rows(book, source.id)]
    apply(book, Operation(f"Copy scenario {source.name} to {new}", new, sid, (head, *rows)))
    return Scenario(sid, new, source.parent_id, source.description)


def _update(book: Book, scen: Scenario, label: str, row: tuple[object, ...]) -> Change:
    write = Write("scenario", (scen.id,), str(row[0]), row)
    return apply(book, Operation(label, str(row[0]), scen.id, (write,)))


def rename_scenario(book: Book, name: str, new: str) -> None:
    scen = load_structure(book.conn).scenario(name)
    if scen.id == 0:
        raise BookError("The baseline cannot be renamed.")
    new = _check_name(book, new)
    _update(
        book, scen, f"Rename scenario {scen.name} to {new}", (new, scen.parent_id, scen.description)
    )


def describe_scenario(book: Book, name: str, description: str) -> None:
    scen = load_structure(book.conn).scenario(name)
    if scen.id == 0:
        raise BookError("The baseline is the book itself: describe the book instead.")
    _update(book, scen, f"Describe scenario {scen.name}", (scen.name, scen.parent_id, description))


def delete_scenario(book: Book, name: str) -> None:
    """Delete a scenario and its overrides; refused while another scenario builds on it."""
    s = load_structure(book.conn)
    scen = s.scenario(name)
    if scen.id == 0:
        raise BookError("The baseline cannot be deleted.")
    children = [x.name for x in s.scenarios if x.parent_id == scen.id]
    if children:
        raise BookError(f"'{scen.name}' cannot be deleted: {', '.join(children)} build on it.")
    rows = [Write(w.kind, w.key, w.label, None, scen.id) for w in _layer_rows(book, scen.id)]
    last = Write("scenario", (scen.id,), scen.name, None)
    apply(book, Operation(f"Delete scenario {scen.name}", scen.name, scen.id, (*rows, last)))
