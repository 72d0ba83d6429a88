"""Organisations that move or close from a later year: a practice changes PCN from 2027/28, a
PCN closes from 2028/29.

The tree of the book's first year is `orgs.parent_id`; a row of `org_moves` (org, year, parent)
puts the organisation under `parent` from that year on, until a later row, and a NULL parent
closes it from that year (it holds nothing and counts nowhere). Each change is one operation
(logged, undoable), and `check_years` refuses, before commit, any write that would leave some
year's tree with a cycle, an organisation under a closed or missing parent, or a moved top.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from .errors import BookError
from .operations import Change, Operation, Write, apply
from .store import Book
from .structure import Org, Structure, load_structure


def _has_moves_table(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'org_moves'"
        ).fetchone()
        is not None
    )


def check_years(
    conn: sqlite3.Connection, first: dict[int, int | None], code: dict[int, str]
) -> None:
    """Refuse (before commit) dated moves that leave any year's tree broken, naming the year;
    `first` and `code` are the first year's parent and the code of each organisation id, as
    `organisations.check_tree` has just read them."""
    if not _has_moves_table(conn):
        return
    rows = conn.execute(
        "SELECT org_id, year_idx, parent_id FROM org_moves ORDER BY year_idx"
    ).fetchall()
    if not rows:
        return
    labels = dict(conn.execute("SELECT idx, label FROM years").fetchall())
    by_year: dict[int, list[tuple[int, int | None]]] = {}
    for org_id, y, above in rows:
        by_year.setdefault(int(y), []).append((org_id, above))
    parent: dict[int, int | None] = dict(first)
    closed: set[int] = set()
    for year, moves in sorted(by_year.items()):
        word = labels.get(year, f"year {year}")
        for org_id, above in moves:
            if org_id not in first:
                raise BookError(f"A move in {word} names an organisation not in the book.")
            if first[org_id] is None:
                raise BookError(f"{code[org_id]} is the book's top organisation: it cannot move.")
            if year == 0:
                raise BookError("A move dated from the book's first year belongs to the tree.")
            if above is None:
                closed.add(org_id)
            else:
                closed.discard(org_id)
                parent[org_id] = above
        _check_year(parent, closed, code, word)


def _check_year(
    parent: dict[int, int | None], closed: set[int], code: dict[int, str], year: str
) -> None:
    """One year's tree: every open organisation under an open one, and no loop."""
    for org_id, above in parent.items():
        if org_id in closed or above is None:
            continue
        if above not in parent:
            raise BookError(f"That change would leave {code[org_id]} under a missing parent.")
        if above in closed:
            raise BookError(
                f"That change would leave {code[org_id]} under {code[above]}, which is closed"
                f" in {year}."
            )
    looped = in_a_loop(parent, closed)
    if looped is not None:
        raise BookError(f"That change would put {code[looped]} below itself in {year}.")


def in_a_loop(
    parent: dict[int, int | None], skip: set[int] | frozenset[int] = frozenset()
) -> int | None:
    """An organisation (not in `skip`) whose chain of parents runs into a loop, or None.

    Each chain is walked only as far as an organisation already known to reach the top, so a
    national tree is walked once, not once from every organisation."""
    reaches_top: set[int] = set()
    for org_id in parent:
        if org_id in skip or org_id in reaches_top:
            continue
        seen = {org_id}
        p = parent[org_id]
        while p is not None and p not in reaches_top:
            if p in seen:
                return org_id
            seen.add(p)
            p = parent[p]
        reaches_top.update(seen)
    return None


def below_in(s: Structure, org_id: int, ancestor: int, year: int) -> bool:
    """Whether `org_id` is `ancestor` or sits anywhere below it in year index `year`."""
    current: int | None = org_id
    while current is not None:
        if current == ancestor:
            return True
        current = s.parent_in(current, year)
    return False


def _row(s: Structure, org: Org, year: int, new: tuple[int | None] | None) -> Write | None:
    """The write that puts `org` in state `new` from `year`: no row where the year before
    already leaves it so (rows say only what changes), None if nothing would change."""
    before = (s.parent_in(org.id, year - 1),) if s.is_open(org.id, year - 1) else (None,)
    stored = dict(s.moves.get(org.id, ())).get(year, ...)
    wanted = None if new == before else new
    if stored is ... and wanted is None:
        return None
    if stored is not ... and wanted is not None and (stored,) == wanted:
        return None
    above = new[0] if new is not None else None
    where = f"{org.code} under {s.org_by_id(above).code}" if above else f"{org.code} closed"
    return Write("org_move", (org.id, year), f"{where} from {s.years[year]}", wanted)


def move_from(book: Book, code: str, new_parent: str, from_year: str) -> Change:
    """Move `code` (and all below it) under `new_parent` from `from_year` (after the first
    year) on; earlier years keep the parent they had."""
    s = load_structure(book.conn)
    org, above = s.org(code), s.org(new_parent)
    year = s.year_index(from_year)
    if year == 0:
        raise BookError("A move from the book's first year changes the tree: use move_org.")
    if org.parent_id is None:
        raise BookError(f"{org.code} is the book's top organisation: it cannot move.")
    for y in range(year, len(s.years)):
        if below_in(s, above.id, org.id, y):
            raise BookError(
                f"{above.code} is below {org.code} in {s.years[y]}: moving it there would make"
                " a loop."
            )
        if not s.is_open(above.id, y):
            raise BookError(f"{above.code} is closed in {s.years[y]}: {org.code} cannot go there.")
    write = _row(s, org, year, (above.id,))
    if write is None:
        raise BookError(f"{org.code} is already under {above.code} from {s.years[year]}.")
    label = f"Move {org.code} under {above.code} from {s.years[year]}"
    return apply(book, Operation(label, "baseline", 0, (write,)))


def close_org(book: Book, code: str, from_year: str) -> Change:
    """Close `code` from `from_year` on: it holds nothing and counts in no total from then.

    Refused for the top organisation, from the first year (it would never have existed: an
    organisation the book should not hold is moved, not closed), and while other organisations
    are still under it in a year it would be closed (they are named, to move or close first)."""
    s = load_structure(book.conn)
    org = s.org(code)
    year = s.year_index(from_year)
    if org.parent_id is None:
        raise BookError(f"{org.code} is the book's top organisation: it cannot close.")
    if year == 0:
        raise BookError(
            f"{org.code} cannot close from the book's first year, {s.years[0]}: close it from a"
            " later year, or move it."
        )
    later = [y for y, _ in s.moves.get(org.id, ()) if y > year]
    until = min(later, default=len(s.years))  # a later row reopens (or closes) it anyway
    parents = s.parents_by_year()  # -2 marks a closed organisation, so it is never a child
    me = next(i for i, o in enumerate(s.orgs) if o.id == org.id)
    under = parents[:, year:until] == me  # (organisations, years it would be closed)
    if under.any():
        first = int(np.flatnonzero(under.any(axis=0))[0])  # the first such year with any
        kids = [s.orgs[i].code for i in np.flatnonzero(under[:, first])]
        names = ", ".join(kids[:10]) + (" ..." if len(kids) > 10 else "")
        raise BookError(
            f"{org.code} still has open organisations under it in {s.years[year + first]}"
            f" ({names}): move or close them first."
        )
    write = _row(s, org, year, (None,))
    if write is None:
        raise BookError(f"{org.code} is already closed from {s.years[year]}.")
    label = f"Close {org.code} from {s.years[year]}"
    return apply(book, Operation(label, "baseline", 0, (write,)))
