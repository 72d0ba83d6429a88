"""Refuse a book whose schema is not pcbudget's own: no hidden triggers, views or extra tables.

SQL stored in a book runs inside pcbudget: a trigger fires on every edit (one crafted book
changed allocations, unlogged, on each `set`), a view runs when read. Before anything else
reads or writes a book, its tables, columns, indexes and foreign keys are compared (with
sqlite-utils) with those this release creates, and anything pcbudget did not make is named.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlite_utils import Database

from .errors import BookError
from .schema import DDL, SCHEMA_VERSION, TABLE_SINCE

#: Tables SQLite itself may add to any database (ANALYZE statistics, AUTOINCREMENT counters).
_SQLITE_OWN = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}

TableShape = dict[str, Any]


class UnexpectedSchema(BookError):
    """A book holding SQL pcbudget did not create; `findings` names each piece."""

    def __init__(self, book_name: str, findings: list[str]) -> None:
        more = f" (and {len(findings) - 1} more; pcbudget check lists them)" if findings[1:] else ""
        super().__init__(
            f"{book_name} contains {findings[0]}{more}; it was not opened. A book made by "
            "pcbudget never does: it may have been tampered with."
        )
        self.findings = findings


def _database(conn: sqlite3.Connection) -> Database:
    # No plugins and no PRAGMA changes: describing a book must not alter the connection.
    return Database(conn, recursive_triggers=False, execute_plugins=False)


def _shape(db: Database, name: str) -> TableShape:
    table = db.table(name)
    hidden = [
        r[1] for r in db.execute(f"PRAGMA table_xinfo([{name}])").fetchall() if r[6] != 0
    ]  # generated columns, which table_info (and so sqlite-utils) does not list
    return {
        "columns": {c.name: c for c in table.columns},
        "hidden": hidden,
        "indexes": {
            i.name: (i.unique, i.origin, i.partial, tuple(i.columns)) for i in table.indexes
        },
        "foreign_keys": sorted(
            (fk.columns, fk.other_table, fk.other_columns, fk.on_delete, fk.on_update)
            for fk in table.foreign_keys
        ),
    }


@cache
def _expected() -> dict[str, TableShape]:
    """This release's schema, described from its own DDL in a database of its own."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(DDL)
        db = _database(conn)
        return {name: _shape(db, name) for name in db.table_names()}
    finally:
        conn.close()


def _table_findings(name: str, found: TableShape, want: TableShape) -> Iterable[str]:
    for col in found["columns"]:
        if col not in want["columns"]:
            yield f"a column named {col} in table {name} that pcbudget did not create"
        elif found["columns"][col] != want["columns"][col]:
            yield f"a column {name}.{col} that is not as pcbudget made it"
    for col in want["columns"]:
        if col not in found["columns"]:
            yield f"a table {name} without its column {col}"
    for col in found["hidden"]:
        yield f"a generated column named {col} in table {name} that pcbudget did not create"
    for index, shape in found["indexes"].items():
        if index not in want["indexes"]:
            yield f"an index named {index} that pcbudget did not create"
        elif shape != want["indexes"][index]:
            yield f"an index {index} that is not as pcbudget made it"
    if found["foreign_keys"] != want["foreign_keys"]:
        yield f"a table {name} whose references are not as pcbudget made them"


def schema_findings(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> list[str]:
    """Everything in the book's schema that a pcbudget book of `version` does not have.

    Older versions differ from this release only by the tables added since (`TABLE_SINCE`),
    so one description serves every version migrations accept.
    """
    db = _database(conn)
    findings = [
        f"a trigger named {t.name} (on {t.table}) that pcbudget did not create" for t in db.triggers
    ]
    findings += [f"a view named {v} that pcbudget did not create" for v in db.view_names()]
    want = {t: s for t, s in _expected().items() if TABLE_SINCE.get(t, 0) <= version}
    for name in db.table_names():
        if name in _SQLITE_OWN:
            continue
        if name in TABLE_SINCE and name not in want:
            findings.append(
                f"a table named {name} from book format {TABLE_SINCE[name]} though it says it "
                f"is format {version} (its version may have been lowered)"
            )
        elif name not in want:
            findings.append(f"a table named {name} that pcbudget did not create")
        else:
            findings += _table_findings(name, _shape(db, name), want[name])
    return findings


def guard_schema(conn: sqlite3.Connection, book_name: str, version: int = SCHEMA_VERSION) -> None:
    """Raise UnexpectedSchema, naming what was found, unless the schema is pcbudget's own."""
    try:
        findings = schema_findings(conn, version)
    except sqlite3.DatabaseError as exc:
        raise BookError(
            f"{book_name} is damaged ({exc}). Open a backup or an exported copy."
        ) from exc
    if findings:
        raise UnexpectedSchema(book_name, findings)
