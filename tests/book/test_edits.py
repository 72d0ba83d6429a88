"""Edits: one transaction and hash-chained log rows each; bad targets refused; undo restores."""

from __future__ import annotations

import sqlite3

import pytest

from pcbudget.book import Book, BookError, set_amount, set_amounts, set_population, undo
from pcbudget.book.changelog import history, verify
from pcbudget.book.check import check_book
from pcbudget.book.scenarios import create_scenario
from pcbudget.book.versions import list_versions, mark_version


def log_count(book: Book) -> int:
    return book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]


def test_an_edit_writes_the_value_and_one_log_row(small_book: Book) -> None:
    before = log_count(small_book)
    change = set_amount(small_book, "A", "core", "2025/26", 1_100_000_00, note="agreed at board")
    assert log_count(small_book) == before + 1
    entry = history(small_book.conn, 1)[0]
    assert entry.target == "amount A core 2025/26"
    assert entry.old == "calculated" or entry.old == "(not set)"
    assert entry.new == "1100000.00"
    assert entry.note == "agreed at board"
    assert change.cells[0].new == (110000000, "agreed at board")
    assert verify(small_book.conn) == []


def test_a_bulk_edit_is_all_or_nothing(small_book: Book) -> None:
    before = log_count(small_book)
    with pytest.raises(BookError, match="no year 2031/32"):
        set_amounts(small_book, [("A", "core", "2025/26", 1), ("B", "core", "2031/32", 2)])
    assert log_count(small_book) == before
    row = small_book.conn.execute("SELECT count(*) FROM amounts WHERE pence = 1").fetchone()[0]
    assert row == 0


@pytest.mark.parametrize(
    ("org", "line", "year", "message"),
    [
        ("ZZ", "core", "2024/25", "no organisation 'ZZ'"),
        ("A", "nope", "2024/25", "no line 'nope'"),
        ("A", "core", "2030/31", "no year 2030/31: it covers 2024/25 to 2026/27"),
        ("SYS", "core", "2024/25", "does not hold 'core'"),
        ("A", "core", "twenty", "not a financial year"),
    ],
)
def test_unknown_targets_are_refused_by_name(
    small_book: Book, org: str, line: str, year: str, message: str
) -> None:
    with pytest.raises(BookError, match=message):
        set_amount(small_book, org, line, year, 100)


def test_negative_populations_are_refused(small_book: Book) -> None:
    with pytest.raises(BookError, match="cannot be negative"):
        set_population(small_book, "A1", "weighted", "2024/25", -5)


def test_undo_puts_the_row_back_and_is_itself_logged(small_book: Book) -> None:
    first = set_amount(small_book, "A", "core", "2024/25", 999)
    undone = undo(small_book)
    row = small_book.conn.execute(
        "SELECT pence FROM amounts a JOIN orgs o ON o.id=a.org_id JOIN lines l ON l.id=a.line_id"
        " WHERE o.code='A' AND l.code='core' AND year_idx=0"
    ).fetchone()
    assert row == (1_000_000_00,)
    assert undone.cells[0].new == first.cells[0].old
    assert history(small_book.conn, 1)[0].new == "1000000.00"


def test_tampering_with_the_log_is_detected(small_book: Book) -> None:
    set_amount(small_book, "A", "core", "2024/25", 12345)
    conn = sqlite3.connect(small_book.path)
    conn.execute("UPDATE change_log SET new = '1.00' WHERE id = (SELECT max(id) FROM change_log)")
    conn.commit()
    conn.close()
    problems = check_book(small_book)
    assert any("altered" in p for p in problems)


def test_a_deleted_log_row_is_detected(small_book: Book) -> None:
    set_amount(small_book, "A", "core", "2024/25", 12345)
    set_amount(small_book, "A", "core", "2024/25", 54321)
    conn = sqlite3.connect(small_book.path)
    conn.execute("DELETE FROM change_log WHERE id = 3")
    conn.commit()
    conn.close()
    problems = check_book(small_book)
    assert any("missing" in p for p in problems)


def test_versions_mark_the_log(small_book: Book) -> None:
    set_amount(small_book, "A", "core", "2024/25", 1)
    version = mark_version(small_book, "Board draft")
    last = small_book.conn.execute("SELECT max(id) FROM change_log").fetchone()[0]
    assert version.change_id == last - 1
    assert [v.name for v in list_versions(small_book)] == ["Board draft"]
    with pytest.raises(BookError, match="already a version"):
        mark_version(small_book, "Board draft")


def test_scenario_edits_leave_the_baseline_alone(small_book: Book) -> None:
    create_scenario(small_book, "High growth")
    set_amount(small_book, "A", "core", "2024/25", 5, scenario="High growth")
    rows = small_book.conn.execute(
        "SELECT scenario_id, pence FROM amounts a JOIN orgs o ON o.id=a.org_id"
        " JOIN lines l ON l.id=a.line_id WHERE o.code='A' AND l.code='core' AND year_idx=0"
        " ORDER BY scenario_id"
    ).fetchall()
    assert rows == [(0, 1_000_000_00), (1, 5)]
    with pytest.raises(BookError, match="no scenario 'Low'"):
        set_amount(small_book, "A", "core", "2024/25", 5, scenario="Low")


def test_a_version_can_be_rebuilt_after_later_edits(small_book: Book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.book.versions import book_at_version
    from pcbudget.engine import Model

    set_amount(small_book, "A", "core", "2024/25", 111)
    mark_version(small_book, "Board draft")
    before = Model(small_book).results.rolled.copy()
    set_amount(small_book, "A", "core", "2024/25", 222)
    set_amount(small_book, "B1", "part", "2025/26", 333)
    set_population(small_book, "A1", "weighted", "2024/25", 5)
    old = book_at_version(small_book, "Board draft", tmp_path / "v.pcbook")
    try:
        assert old.read_only
        assert (Model(old).results.rolled == before).all()
        assert not (Model(small_book).results.rolled == before).all()
    finally:
        old.close()
