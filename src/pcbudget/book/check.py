"""`pcbudget check`: is the database sound, the change log intact, the book consistent?"""

from __future__ import annotations

import sqlite3

from .bounds import name_faults, stored_faults
from .changelog import verify
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
    s = load_structure(book.conn)
    kinds = {o.kind for o in s.orgs}
    levels = sorted({ln.level for ln in s.lines if ln.level not in kinds and ln.level != "any"})
    return [
        f"no organisation of kind '{lv}' yet: its lines show nil until one is added"
        for lv in levels
    ]
