"""`pcbudget check`: is the database sound, the change log intact, the book consistent?

What a clean check proves: SQLite finds the file sound and free of hidden SQL; every change-log
row is intact and chained to the one before; replayed from the book's creation, the log explains
every stored row of the tables it covers (amounts and overrides, rates, uplifts, populations,
growth, allocations, left-shift parameters, phasing, actuals, scenarios, organisations and
their other codes, lines and their budget types by year, versions, and the years, sections,
budget types and details the book was made with); and the log still holds the newest change
this computer saw of the book (`anchor.py`). Not covered: the undo list (`undo_steps`, which
only says which logged changes can be undone) and the change log itself beyond its chain.
A book made by an older pcbudget is replayed from its first change by this release, which
records its figures as found.
"""

from __future__ import annotations

import sqlite3

from .anchor import chain_warning
from .bounds import name_faults, stored_faults
from .changelog import verify
from .replay import replay_start, start_notes, unexplained
from .schema_guard import schema_findings
from .store import Book
from .structure import load_structure


def check_book(book: Book) -> list[str]:
    """Every problem found, in words; an empty list means the book is sound."""
    conn = book.conn
    problems: list[str] = []
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [f"database: {exc}"]
    if result != ["ok"]:
        problems += [f"database: {r}" for r in result[:10]]
        return problems
    problems += [f"the book contains {f}" for f in schema_findings(conn)]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} refers to a missing {parent} row")
    problems += verify(conn)
    anchored = chain_warning(conn)
    if anchored:
        problems.append(f"change log: {anchored}")
    problems += unexplained(conn)[0]
    problems += stored_faults(conn)
    problems += name_faults(conn)
    stray = conn.execute(
        "SELECT count(*) FROM amounts a JOIN orgs o ON o.id = a.org_id JOIN lines l"
        " ON l.id = a.line_id WHERE o.kind != l.level AND l.level != 'any'"
    ).fetchone()[0]
    if stray:
        problems.append(f"{stray} amounts are entered at organisations that do not hold their line")
    return problems


def observations(book: Book) -> list[str]:
    """Facts worth knowing that are not faults, e.g. lines no organisation holds yet."""
    start = replay_start(book.conn)  # the notes need only where the replay starts
    notes = start_notes(*start) if start else start_notes(None, None)
    s = load_structure(book.conn)
    kinds = {o.kind for o in s.orgs}
    levels = sorted({ln.level for ln in s.lines if ln.level not in kinds and ln.level != "any"})
    return notes + [
        f"no organisation of kind '{lv}' yet: its lines show nil until one is added"
        for lv in levels
    ]
