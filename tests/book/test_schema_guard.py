"""A book holding SQL pcbudget did not create (triggers, views, tables) is refused, by name."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.schema_guard import UnexpectedSchema
from pcbudget.cli import main

from ..helpers import SAMPLE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: Zeroes every allocation whenever a change is logged: what a crafted book did, unlogged.
ZERO_ALLOCATIONS = (
    "CREATE TRIGGER sneaky AFTER INSERT ON change_log BEGIN UPDATE allocations SET pence = 0; END"
)


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def tamper(path: Path, *sql: str) -> str:
    """Run `sql` on the book as another program could, and return the file's digest after."""
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def allocations(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM allocations ORDER BY 1, 2, 3, 4").fetchall()
    finally:
        conn.close()


def test_the_shipped_sample_opens(tmp_path: Path) -> None:
    path = tmp_path / "llr.pcbook"
    shutil.copyfile(SAMPLE, path)
    open_book(path).close()
    assert run("check", path)[0] == 0


def test_a_trigger_that_changes_allocations_is_refused_and_never_runs(sample_path: Path) -> None:
    digest = tamper(sample_path, ZERO_ALLOCATIONS)
    before = allocations(sample_path)
    code, out, err = run("set", sample_path, "LC", "premises", "2020/21", "£7.1m")
    assert code == 2 and out == ""
    assert "a trigger named sneaky" in err and "it was not opened" in err
    assert err.count("\n") == 1
    assert allocations(sample_path) == before
    assert hashlib.sha256(sample_path.read_bytes()).hexdigest() == digest
    assert not sample_path.with_name("llr.pcbook.lock").exists()


def test_a_view_is_refused(sample_path: Path) -> None:
    tamper(sample_path, "CREATE VIEW totals AS SELECT sum(pence) FROM amounts")
    with pytest.raises(UnexpectedSchema, match="a view named totals"):
        open_book(sample_path, write=False)


def test_an_extra_table_is_refused(sample_path: Path) -> None:
    tamper(sample_path, "CREATE TABLE payload (x)")
    with pytest.raises(BookError, match="a table named payload that pcbudget did not create"):
        open_book(sample_path)


def test_an_extra_column_and_an_extra_index_are_refused(sample_path: Path) -> None:
    tamper(
        sample_path,
        "ALTER TABLE orgs ADD COLUMN secret TEXT",
        "CREATE INDEX amounts_by_pence ON amounts(pence)",
    )
    with pytest.raises(UnexpectedSchema) as refused:
        open_book(sample_path)
    findings = " | ".join(refused.value.findings)
    assert "a column named secret in table orgs" in findings
    assert "an index named amounts_by_pence" in findings
    assert "and 1 more" in str(refused.value)


def test_check_names_everything_pcbudget_did_not_create(sample_path: Path) -> None:
    tamper(
        sample_path,
        ZERO_ALLOCATIONS,
        "CREATE VIEW totals AS SELECT sum(pence) FROM amounts",
        "CREATE TABLE payload (x)",
    )
    code, out, err = run("check", sample_path)
    assert code == 1 and err == ""
    problems = [ln for ln in out.splitlines() if ln.startswith("problem:")]
    assert len(problems) == 3
    assert "trigger named sneaky (on change_log)" in problems[0]
    assert "view named totals" in out and "table named payload" in out
    assert "3 problem(s) found" in out


def test_an_older_book_with_a_trigger_is_refused_before_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.pcbook"
    shutil.copyfile(FIXTURES / "llr-schema1.pcbook", path)
    digest = tamper(path, ZERO_ALLOCATIONS)
    with pytest.raises(UnexpectedSchema, match="sneaky"):
        open_book(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not list(tmp_path.glob("old.schema1-backup*"))  # nothing migrated, nothing copied


def test_an_older_book_of_pcbudget_shape_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.pcbook"
    shutil.copyfile(FIXTURES / "llr-schema1.pcbook", path)
    open_book(path, write=False).close()
    open_book(path).close()
    assert run("check", path)[0] == 0


def test_a_lowered_schema_version_is_refused_before_any_migration(sample_path: Path) -> None:
    conn = sqlite3.connect(sample_path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = hashlib.sha256(sample_path.read_bytes()).hexdigest()
    code, _, err = run("summary", sample_path)
    assert code == 2 and err.count("\n") == 1
    assert "from book format 2 though it says it is format 1" in err
    with pytest.raises(UnexpectedSchema):
        open_book(sample_path)
    assert hashlib.sha256(sample_path.read_bytes()).hexdigest() == before
    assert not list(sample_path.parent.glob("llr.schema1-backup*"))


def test_every_migration_builds_the_shape_the_guard_expects(tmp_path: Path) -> None:
    """Each step adds exactly the tables TABLE_SINCE dates to it, and ends at the DDL's shape."""
    from pcbudget.book.migrate import MIGRATIONS
    from pcbudget.book.schema import SCHEMA_VERSION, TABLE_SINCE
    from pcbudget.book.schema_guard import schema_findings

    path = tmp_path / "old.pcbook"
    shutil.copyfile(FIXTURES / "llr-schema1.pcbook", path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA legacy_alter_table = ON")
    try:

        def tables() -> set[str]:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

        assert schema_findings(conn, 1) == []
        for version in range(1, SCHEMA_VERSION):
            before = tables()
            MIGRATIONS[version](conn)
            added = {t for t, since in TABLE_SINCE.items() if since == version + 1}
            assert tables() - before == added, f"schema {version + 1}: update TABLE_SINCE"
            assert schema_findings(conn, version + 1) == []
    finally:
        conn.close()


def _shape_by_sqlite_utils(conn: sqlite3.Connection, name: str) -> dict:
    """A table described by sqlite-utils, independently of the guard's own PRAGMA reading."""
    from sqlite_utils import Database

    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    table = db.table(name)
    return {
        "columns": {c.name: tuple(c) for c in table.columns},
        "indexes": {
            i.name: (i.unique, i.origin, i.partial, tuple(i.columns)) for i in table.indexes
        },
        "foreign_keys": sorted(
            (fk.columns, fk.other_table, fk.other_columns, fk.on_delete, fk.on_update)
            for fk in table.foreign_keys
        ),
    }


def test_the_guard_reads_a_schema_as_sqlite_utils_does(sample_path: Path) -> None:
    """Tables, columns, indexes and references (bare, compound, with actions) as sqlite-utils
    describes them, in the sample book and in pieces a tampered book could add."""
    from pcbudget.book.schema_guard import _shape

    tamper(
        sample_path,
        "ALTER TABLE orgs ADD COLUMN secret TEXT DEFAULT 'x'",
        "CREATE UNIQUE INDEX amounts_by_pence ON amounts(pence, org_id) WHERE pence > 0",
        "CREATE INDEX by_expression ON orgs(lower(code))",
        'CREATE TABLE "odd ""name""" (a INTEGER PRIMARY KEY, b REFERENCES orgs ON DELETE CASCADE)',
        "CREATE TABLE pair (x, y, PRIMARY KEY (x, y))",
        "CREATE TABLE to_pair (p, q, r REFERENCES years, FOREIGN KEY (p, q) REFERENCES pair)",
        "CREATE TABLE yx (x, y, PRIMARY KEY (y, x))",  # a key declared out of column order
        "CREATE TABLE to_yx (p, q, FOREIGN KEY (p, q) REFERENCES yx)",
    )
    conn = sqlite3.connect(sample_path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert len(names) > 20
        for name in names:
            ours = _shape(conn, name)
            ours["columns"] = {k: tuple(c) for k, c in ours["columns"].items()}
            del ours["hidden"]
            assert ours == _shape_by_sqlite_utils(conn, name), name
    finally:
        conn.close()


def test_a_table_remade_with_clashing_references_is_refused_not_a_crash(
    sample_path: Path,
) -> None:
    """Two references on one column, one bare (to a table whose key has another width) and
    one naming a column: the book is refused in a sentence, not with a traceback."""
    digest = tamper(
        sample_path,
        "PRAGMA foreign_keys=OFF",
        "ALTER TABLE budget_types RENAME TO bt_old",
        "CREATE TABLE budget_types (code TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER"
        " NOT NULL, FOREIGN KEY (code) REFERENCES amounts,"
        " FOREIGN KEY (code) REFERENCES amounts(org_id))",
        "INSERT INTO budget_types SELECT * FROM bt_old",
        "DROP TABLE bt_old",
    )
    with pytest.raises(BookError, match="references are not as pcbudget made them"):
        open_book(sample_path, write=False)
    assert hashlib.sha256(sample_path.read_bytes()).hexdigest() == digest
