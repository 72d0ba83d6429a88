"""`pcbudget check`: is the database sound, the change log intact, the book consistent?"""

from __future__ import annotations

import sqlite3

from .changelog import verify
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
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} refers to a missing {parent} row")
    problems += verify(conn)
    s = load_structure(conn)
    kinds = {o.kind for o in s.orgs}
    for line in s.lines:
        if line.level not in kinds:
            problems.append(f"line {line.code} is held at {line.level} level, but the book has none")
    stray = conn.execute(
        "SELECT count(*) FROM amounts a JOIN orgs o ON o.id = a.org_id JOIN lines l"
        " ON l.id = a.line_id WHERE o.kind != l.level"
    ).fetchone()[0]
    if stray:
        problems.append(f"{stray} amounts are entered at organisations that do not hold their line")
    return problems
