"""Refuse a book whose schema is not pcbudget's own: no hidden triggers, views or extra tables.

SQL stored in a book runs inside pcbudget: a trigger fires on every edit (one crafted book
changed allocations, unlogged, on each `set`), a view runs when read. Before anything else
reads or writes a book, its tables, columns, indexes and foreign keys are compared with those
this release creates, and anything pcbudget did not make is named. They are read with SQLite's
own PRAGMAs, as sqlite-utils reads them (a test holds the two to agreeing), without importing
sqlite-utils: it imports pandas, about half a second of the app's start-up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple

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


class Column(NamedTuple):
    """One row of PRAGMA table_info."""

    cid: int
    name: str
    type: str
    notnull: int
    default_value: Any
    is_pk: int


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _names(conn: sqlite3.Connection, kind: str) -> list[str]:
    sql = "SELECT name FROM sqlite_master WHERE type = ?"
    return [r[0] for r in conn.execute(sql, (kind,)).fetchall()]


def _columns(conn: sqlite3.Connection, table: str) -> list[Column]:
    return [Column(*r) for r in conn.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()]


def _indexes(conn: sqlite3.Connection, table: str) -> dict[str, tuple[Any, ...]]:
    """Each index by name: (unique, origin, partial, its columns in order)."""
    found = {}
    for _seq, name, unique, origin, partial in conn.execute(
        f"PRAGMA index_list({_quoted(table)})"
    ).fetchall():
        info = conn.execute(f"PRAGMA index_info({_quoted(name)})").fetchall()
        found[name] = (unique, origin, partial, tuple(r[2] for r in info))
    return found


def _foreign_keys(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    """Each reference, its columns in order: (columns, other table, other columns, on delete,
    on update); a bare `REFERENCES other` names the other table's key columns."""
    by_id: dict[int, list[tuple[Any, ...]]] = {}
    for fk_id, seq, other, column, other_column, on_update, on_delete, _match in conn.execute(
        f"PRAGMA foreign_key_list({_quoted(table)})"
    ).fetchall():
        by_id.setdefault(fk_id, []).append((seq, other, column, other_column, on_update, on_delete))
    keys = []
    for fk_id in sorted(by_id):
        rows = sorted(by_id[fk_id])
        other = rows[0][1]
        columns = tuple(r[2] for r in rows)
        other_columns = tuple(r[3] for r in rows)
        if all(c is None for c in other_columns):
            key = sorted((c.is_pk, c.name) for c in _columns(conn, other) if c.is_pk)
            pks = tuple(name for _, name in key) or ("rowid",)  # in the key's declared order
            if len(pks) == len(columns):
                other_columns = pks
        keys.append((columns, other, other_columns, rows[0][5], rows[0][4]))
    return sorted(keys, key=repr)  # a damaged book may mix None into a key: still sortable


def _shape(conn: sqlite3.Connection, name: str) -> TableShape:
    hidden = [
        r[1] for r in conn.execute(f"PRAGMA table_xinfo({_quoted(name)})").fetchall() if r[6] != 0
    ]  # generated columns, which table_info does not list
    return {
        "columns": {c.name: c for c in _columns(conn, name)},
        "hidden": hidden,
        "indexes": _indexes(conn, name),
        "foreign_keys": _foreign_keys(conn, name),
    }


@cache
def _expected() -> dict[str, TableShape]:
    """This release's schema, described from its own DDL in a database of its own."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(DDL)
        return {name: _shape(conn, name) for name in _names(conn, "table")}
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
    triggers = conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
    findings = [
        f"a trigger named {name} (on {table}) that pcbudget did not create"
        for name, table in triggers.fetchall()
    ]
    findings += [f"a view named {v} that pcbudget did not create" for v in _names(conn, "view")]
    want = {t: s for t, s in _expected().items() if TABLE_SINCE.get(t, 0) <= version}
    for name in _names(conn, "table"):
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
            findings += _table_findings(name, _shape(conn, name), want[name])
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
