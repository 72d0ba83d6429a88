"""Schema migrations: each older book is backed up beside itself before it is upgraded.

An older book opened read-only is upgraded in a temporary copy instead; the copy is removed when
the book is closed, or when the program exits if it never was, so opening an old book again and
again does not fill the temp folder with whole copies of it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import BookError
from .schema import SCHEMA_VERSION


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Schema 2: left-shift parameters per scenario and organisation, and the left_shift basis."""
    conn.execute(
        "CREATE TABLE leftshift (scenario_id INTEGER NOT NULL REFERENCES scenarios(id),"
        " org_id INTEGER NOT NULL REFERENCES orgs(id), key TEXT NOT NULL, value TEXT NOT NULL,"
        " note TEXT, PRIMARY KEY (scenario_id, org_id, key)) WITHOUT ROWID"
    )
    # SQLite cannot alter a CHECK: rebuild the lines table with the new basis allowed.
    conn.execute(
        "CREATE TABLE lines_v2 (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
        " section TEXT NOT NULL REFERENCES sections(code), name TEXT NOT NULL,"
        " budget_type TEXT NOT NULL REFERENCES budget_types(code), level TEXT NOT NULL,"
        " basis TEXT NOT NULL CHECK (basis IN ('entered', 'per_head', 'uplift', 'balance',"
        " 'left_shift')), measure TEXT CHECK (measure IN ('registered', 'weighted', 'adjusted')),"
        " sort INTEGER NOT NULL, note TEXT, CHECK ((basis = 'per_head') = (measure IS NOT NULL)))"
    )
    conn.execute(
        "INSERT INTO lines_v2 SELECT id, code, section, name, budget_type, level, basis,"
        " measure, sort, note FROM lines"
    )
    conn.execute("DROP TABLE lines")
    conn.execute("ALTER TABLE lines_v2 RENAME TO lines")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Schema 3: undo steps kept in the book, so undo history survives reopening it."""
    conn.execute(
        "CREATE TABLE undo_steps (batch INTEGER PRIMARY KEY, label TEXT NOT NULL,"
        " state TEXT NOT NULL CHECK (state IN ('done', 'undone')))"
    )


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Schema 4: the other codes an organisation answers to (ODS codes of CCGs, sub-ICBs)."""
    conn.execute(
        "CREATE TABLE org_codes (code TEXT PRIMARY KEY COLLATE NOCASE,"
        " org_id INTEGER NOT NULL REFERENCES orgs(id))"
    )


def _table_ddl(table: str, as_name: str | None = None) -> str:
    """The current DDL's CREATE TABLE statement for `table`, optionally under another name."""
    from .schema import DDL

    start = DDL.index(f"CREATE TABLE {table} (")
    ddl = DDL[start : DDL.index(";", start)]
    return ddl.replace(f"TABLE {table} (", f"TABLE {as_name} (", 1) if as_name else ddl


def _widen_measures(conn: sqlite3.Connection, table: str) -> None:
    """Rebuild `table` from the current DDL (SQLite cannot alter a CHECK), keeping every row."""
    conn.execute(_table_ddl(table, f"{table}_new"))
    cols = ", ".join(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
    conn.execute(f"INSERT INTO {table}_new ({cols}) SELECT {cols} FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")


def _create(conn: sqlite3.Connection, table: str) -> None:
    """Create `table` as the current DDL has it."""
    conn.execute(_table_ddl(table))


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """Schema 5: a line's budget type by year, lines paid per care home bed, month profiles
    and actuals."""
    conn.execute(
        "CREATE TABLE line_types (line_id INTEGER NOT NULL REFERENCES lines(id),"
        " year_idx INTEGER NOT NULL REFERENCES years(idx),"
        " budget_type TEXT NOT NULL REFERENCES budget_types(code),"
        " PRIMARY KEY (line_id, year_idx)) WITHOUT ROWID"
    )
    for table in ("lines", "populations", "growth"):
        _widen_measures(conn, table)
    for table in ("phasing", "actuals"):  # the budget year: month profiles and actuals
        _create(conn, table)


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    """Schema 6: lines that are a share of the allocation (a contingency), QOF points as a
    measure, and organisations that move or close from a later year."""
    for table in ("lines", "populations", "growth"):
        _widen_measures(conn, table)
    _create(conn, "org_moves")


#: MIGRATIONS[n] upgrades a book from schema n to n + 1, inside one transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a book is kept before migrating it from `version` (never overwritten)."""
    candidate = path.with_name(f"{path.stem}.schema{version}-backup{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.schema{version}-backup-{n}{path.suffix}")
        n += 1
    return candidate


def _run(path: Path, version: int) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = OFF")  # tables are rebuilt with their ids kept
        conn.execute("PRAGMA legacy_alter_table = ON")  # renaming must not rewrite references
        conn.execute("BEGIN IMMEDIATE")
        for step in range(version, SCHEMA_VERSION):
            if step not in MIGRATIONS:
                raise BookError(f"{path.name} uses book format {step}, which cannot be upgraded.")
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def migrate_in_place(path: Path, version: int) -> Path:
    """Copy the book to its backup name, then upgrade it; returns the backup's path."""
    backup = backup_path(path, version)
    shutil.copy2(path, backup)
    with backup.open("rb+") as handle:
        os.fsync(handle.fileno())
    try:
        _run(path, version)
    except BookError:
        backup.unlink()  # nothing was changed, so the copy is not needed
        raise
    return backup


#: Folders of temporary copies not yet removed, for `remove_copies` at exit.
_COPIES: set[Path] = set()


def migrated_copy(path: Path, version: int) -> Path:
    """An upgraded temporary copy, for reading an older book without changing it; give it back
    to `remove_copy` when done (`Book.close` does)."""
    folder = Path(tempfile.mkdtemp(prefix="pcbudget-"))
    _COPIES.add(folder)
    copy = folder / path.name
    try:
        shutil.copy2(path, copy)
        _run(copy, version)
    except BaseException:
        remove_copy(copy)
        raise
    return copy


def remove_copy(copy: Path) -> None:
    """Remove a copy `migrated_copy` made, with its folder (and any journal SQLite left)."""
    folder = copy.parent
    if folder in _COPIES:
        _COPIES.discard(folder)
        shutil.rmtree(folder, ignore_errors=True)


@atexit.register
def remove_copies() -> None:
    """Remove every temporary copy still there (books left open when the program ends)."""
    for folder in list(_COPIES):
        _COPIES.discard(folder)
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
