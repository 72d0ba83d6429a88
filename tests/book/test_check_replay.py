"""`check` replays the change log against the stored figures, and finds a log rewritten whole by
the newest change this computer saw of the book; a book used only through pcbudget checks clean."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcbudget.book import BookError, open_book
from pcbudget.book.anchor import chain_warning, seen
from pcbudget.book.changelog import GENESIS, row_hash
from pcbudget.book.check import check_book, observations
from pcbudget.book.copies import write_copy
from pcbudget.book.edits import apply_rows
from pcbudget.book.operations import BULK, Operation, Write, apply
from pcbudget.book.replay import unexplained
from pcbudget.book.schema import MEASURES
from pcbudget.book.structure import load_structure
from pcbudget.book.undo_history import next_redo, redo, undo
from pcbudget.book.versions import book_at_version, mark_version
from pcbudget.io.payments_actuals import import_payments_actuals

from ..helpers import ROOT, TWO_CCGS, book_from_text
from ..io.payments_files import practice, write_payments
from ..test_cli import run
from .test_operations import OPERATIONS

ONE_OPERATION = st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(1, 10**6))
LEGACY = ROOT / "tests" / "fixtures" / "llr-schema1.pcbook"


def sql(path: Path, statement: str, *params: object) -> None:
    """Change the file as any SQLite tool can, with no change-log row."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def set_pence(path: Path, org: str, line: str, year_idx: int, pence: int) -> None:
    sql(
        path,
        "UPDATE amounts SET pence = ? WHERE scenario_id = 0 AND year_idx = ?"
        " AND org_id = (SELECT id FROM orgs WHERE code = ?)"
        " AND line_id = (SELECT id FROM lines WHERE code = ?)",
        pence,
        year_idx,
        org,
        line,
    )


def check(path: Path) -> tuple[int, str]:
    code, out, err = run("check", path)
    return code, out + err


def test_a_direct_update_of_an_amount_is_reported(sample_path: Path) -> None:
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    assert check(sample_path)[0] == 0
    set_pence(sample_path, "LC", "qof", 0, 123)  # a figure made when the book was
    set_pence(sample_path, "LC", "qof", 1, 456)  # a figure a logged change made
    code, out = check(sample_path)
    assert code == 1
    assert "amounts LC qof 2019/20 is 1.23 in the book, but the change log leaves it at" in out
    assert "amounts LC qof 2020/21 is 4.56 in the book, but the change log leaves it at" in out
    assert "5000000.00" in out


def test_rows_added_or_removed_without_the_log_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "blank.pcbook"
    assert run("new", path, "--rates", "national")[0] == 0
    assert check(path)[0] == 0
    sql(path, "INSERT INTO orgs (code, name, kind, parent_id, sort) VALUES ('X', 'X', 'ccg', 1, 9)")
    sql(path, "DELETE FROM rates WHERE line_id = (SELECT id FROM lines WHERE code = 'arrs')")
    sql(path, "UPDATE meta SET value = 'Not my book' WHERE key = 'name'")
    code, out = check(path)
    assert code == 1
    assert "orgs X (X) is in the book, but no change in the log made it" in out
    assert "rates arrs 2024/25 is missing from the book, though the change log leaves it at" in out
    assert "meta name is Not my book in the book" in out


def rewrite_log(path: Path, row_id: int, new_row: list[object], pence: int) -> None:
    """Rewrite a logged amount and its figure, then recompute every hash from that row on, as
    someone covering their tracks would: the chain verifies and the replay agrees."""
    conn = sqlite3.connect(path)
    data = json.loads(
        conn.execute("SELECT data FROM change_log WHERE id = ?", (row_id,)).fetchone()[0]
    )
    data["new"] = new_row
    conn.execute(
        "UPDATE change_log SET data = ?, new = ? WHERE id = ?", (json.dumps(data), "0.01", row_id)
    )
    org, line, year = data["key"]
    conn.execute(
        "UPDATE amounts SET pence = ? WHERE scenario_id = ? AND org_id = ? AND line_id = ?"
        " AND year_idx = ?",
        (pence, data["scenario_id"], org, line, year),
    )
    cols = "id, batch, at, user, host, scenario, target, old, new, note, data"
    prev = GENESIS
    for row in conn.execute(f"SELECT {cols} FROM change_log ORDER BY id").fetchall():
        digest = row_hash(prev, tuple(row))
        conn.execute(
            "UPDATE change_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0])
        )
        prev = digest
    conn.commit()
    conn.close()


def test_a_log_rewritten_with_its_chain_recomputed_is_found_by_the_anchor(
    sample_path: Path,
) -> None:
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    with open_book(sample_path, write=False) as book:
        last = book.conn.execute("SELECT max(id) FROM change_log").fetchone()[0]
        assert seen(book.conn) is not None  # closing after the write anchored it
    rewrite_log(sample_path, last, [1, None], 1)
    code, out = check(sample_path)
    assert code == 1
    problems = [ln for ln in out.splitlines() if ln.startswith("problem:")]
    assert len(problems) == 1, out  # the chain and the replay agree with the forgery...
    assert f"does not hold change {last} as this computer saw it" in problems[0]  # ...but not this
    assert "rewritten" in problems[0]
    with open_book(sample_path, write=False) as book:  # opening warns too
        assert "rewritten" in (chain_warning(book.conn) or "")


def test_an_older_copy_of_a_book_is_told_apart(sample_path: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.pcbook"
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    shutil.copyfile(sample_path, older)  # a copy outside the app keeps the book's identity
    assert run("set", sample_path, "LC", "qof", "2020/21", "£6m")[0] == 0
    assert check(sample_path)[0] == 0
    code, out = check(older)
    assert code == 1 and "an older copy of the book" in out


def test_a_book_used_only_through_the_cli_checks_clean(sample_path: Path, tmp_path: Path) -> None:
    """Edits, undo and redo, scenarios, versions, structure, phasing, imports, a return."""
    book = sample_path
    steps = [
        ("set", book, "LC", "qof", "2020/21", "£5m"),
        ("set", book, "LC", "qof", "2020/21", "calculated"),
        ("undo", book),
        ("redo", book),
        ("undo", book),
        ("scenario", book, "new", "Lean", "--description", "less"),
        ("set", book, "ELR", "premises", "2021/22", "£1m", "--scenario", "Lean"),
        ("scenario", book, "copy", "Lean", "Leaner"),
        ("scenario", book, "rename", "Leaner", "Leanest"),
        ("scenario", book, "delete", "Leanest"),
        ("leftshift", book, "--scenario", "Lean", "--set", "mode=bottom_up"),
        ("version", book, "Board draft"),
        ("org", book, "add", "P1", "Practice one", "--kind", "practice", "--parent", "LC"),
        ("org", book, "rename", "P1", "Practice 1"),
        ("line", book, "add", "local", "Local", "--section", "pcn", "--budget-type", "PC"),
        ("line", book, "type", "local", "CC", "--from", "2021/22"),
        ("phasing", book, "qof", "2019/20", "even", "--method", "run_rate"),
    ]
    for args in steps:
        code, out, err = run(*args)
        assert code == 0, (args, out, err)
    payments = write_payments(
        tmp_path / "nhspaymentsgp-19-20-csv.csv",
        "2019/20",
        [practice("C82001", "U11111", "City PCN", sub_icb="04C")],
    )
    assert run("import-actuals", book, payments)[0] == 0
    out_xlsx = tmp_path / "return.xlsx"
    assert run("export", book, out_xlsx)[0] == 0
    _edit_return(out_xlsx)
    code, _, err = run("import-return", book, out_xlsx, "--apply")
    assert code == 0 and "Applied 1 change" in err
    assert run("undo", book)[0] == 0 and run("redo", book)[0] == 0
    code, out = check(book)
    assert code == 0, out
    assert "problem" not in out


def _edit_return(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    key = wb["_pcbudget"]
    for row in key.iter_rows(min_row=3, values_only=True):
        sheet, number, kind, _org, _line, figures, *_ = row
        if kind == "amount" and figures.split(" ")[0] != "-":
            wb[sheet][f"E{number}"] = 12345.67  # the row's first year
            break
    wb.save(path)


def test_bulk_changes_undone_and_redone_check_clean(sample_path: Path) -> None:
    with open_book(sample_path) as book:
        s = load_structure(book.conn)
        rows = [
            ("population", (o.id, m, y), f"{o.code} {m} {s.years[y]}", (1000.0 + i, None))
            for i, (o, m, y) in enumerate(
                (o, m, y) for o in s.orgs for m in MEASURES for y in range(len(s.years))
            )
        ]
        assert len(rows) >= BULK  # written and logged in bulk, one change-log row
        lean = s.scenario("Cautious left shift")
        apply_rows(book, lean.id, lean.name, rows)
        apply_rows(book, 0, "baseline", rows[:BULK])
        undo(book)
        undo(book)
        redo(book)
        assert check_book(book) == []
    assert check(sample_path)[0] == 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(1, 10**6), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_any_run_of_operations_undo_and_redo_checks_clean(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, int, bool]]
) -> None:
    book = book_from_text(tmp_path_factory.mktemp("ops") / "b.pcbook", TWO_CCGS)
    try:
        for kind, n, then_undo in ops:
            try:
                OPERATIONS[kind](book, n)
            except BookError:
                continue  # refused (a name taken, a tree made circular): nothing changed
            if then_undo:
                undo(book)
                if n % 2:
                    redo(book)
        while next_redo(book) is not None:
            redo(book)
        assert check_book(book) == []
    finally:
        book.close()


def test_a_copy_saved_by_the_app_checks_clean_with_its_own_identity(
    sample_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.pcbook"
    with open_book(sample_path) as book:
        import_payments_actuals(
            book,
            write_payments(
                tmp_path / "nhspaymentsgp-19-20-csv.csv",
                "2019/20",
                [practice("C82001", "U11111", "City PCN", sub_icb="04C")],
            ),
        )
        write_copy(book.conn, copy, own=book.path)
        mine = book.meta("identity")
    with open_book(copy, write=False) as other:
        assert other.meta("identity") not in ("", mine)
        assert check_book(other) == []
    assert check(copy)[0] == 0


def test_a_book_made_before_the_replay_is_checked_from_its_first_change(tmp_path: Path) -> None:
    path = tmp_path / "old.pcbook"
    shutil.copyfile(LEGACY, path)
    code, out = check(path)
    assert code == 0 and "made by an older pcbudget" in out
    set_pence(path, "LC", "qof", 0, 1)  # not seen: the log never held the figures it was made with
    assert check(path)[0] == 0
    assert run("set", path, "LC", "qof", "2020/21", "£5m")[0] == 0  # records the figures as found
    with open_book(path, write=False) as book:
        assert book.meta("identity")
        assert check_book(book) == []
        assert any("recorded them as it found them" in n for n in observations(book))
    set_pence(path, "LC", "qof", 0, 2)
    code, out = check(path)
    assert code == 1 and "amounts LC qof 2019/20 is 0.02 in the book" in out


def test_an_identity_changed_in_the_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "blank.pcbook"
    assert run("new", path)[0] == 0
    sql(path, "UPDATE meta SET value = 'someone-else' WHERE key = 'identity'")
    code, out = check(path)
    assert code == 1 and "identity is not the one its change log gave it" in out


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.lists(
        st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(1, 10**6)), max_size=3
    ),
    later=st.lists(
        st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(1, 10**6)),
        min_size=1,
        max_size=4,
    ),
)
def test_a_version_opened_and_saved_as_a_copy_checks_clean(
    tmp_path_factory: pytest.TempPathFactory, first: list, later: list
) -> None:
    folder = tmp_path_factory.mktemp("ver")
    book = book_from_text(folder / "b.pcbook", TWO_CCGS)
    try:
        for kind, n in [*first, ("mark", 0), *later]:
            try:
                mark_version(book, "Board draft") if kind == "mark" else OPERATIONS[kind](book, n)
            except BookError:
                continue
        old = book_at_version(book, "Board draft", folder / "v.pcbook")
        try:
            assert unexplained(old.conn)[0] == []
            saved = write_copy(old.conn, folder / "saved.pcbook", own=old.path)
        finally:
            old.close()
        with open_book(saved, write=False) as copy:
            assert check_book(copy) == []
    finally:
        book.close()


def test_a_large_change_across_two_scenarios_is_logged_per_scenario(sample_path: Path) -> None:
    with open_book(sample_path) as book:
        s = load_structure(book.conn)
        rows = [
            Write("population", (o.id, m, y), f"{o.code} {m}", (500.0 + y, None), sid)
            for sid in (0, s.scenario("Cautious left shift").id)
            for o in s.orgs
            for m in MEASURES[:3]
            for y in range(len(s.years))
        ]
        assert len(rows) >= BULK
        apply(book, Operation("Populations", "baseline", 0, tuple(rows)))
        assert check_book(book) == []
        undo(book)
        assert check_book(book) == []
