"""Organisations that move or close from a later year: written as one logged, undoable
operation; anything that would leave some year's tree broken is refused before it commits.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcbudget.book import Book, BookError, load_structure
from pcbudget.book.check import check_book
from pcbudget.book.org_moves import close_org
from pcbudget.book.organisations import add_org, move_org
from pcbudget.book.undo_history import redo, undo

from ..helpers import TWO_CCGS, book_from_text, reopen


def moves(book: Book) -> list[tuple]:
    return book.conn.execute("SELECT * FROM org_moves ORDER BY org_id, year_idx").fetchall()


def test_a_dated_move_keeps_earlier_years_and_survives_reopening(small_book: Book) -> None:
    move_org(small_book, "A1", "B", from_year="2026/27")
    s = load_structure(small_book.conn)
    a1, a, b = s.org("A1"), s.org("A"), s.org("B")
    assert a1.parent_id == a.id  # the first year's tree is unchanged
    assert [s.parent_in(a1.id, y) for y in range(3)] == [a.id, a.id, b.id]
    assert [(y, p.code if p else None) for y, p in s.moves_of(a1)] == [("2026/27", "B")]
    book = reopen(small_book)
    try:
        assert load_structure(book.conn).parent_in(a1.id, 2) == b.id
        assert check_book(book) == []
    finally:
        book.close()


def test_a_move_from_the_first_year_moves_the_tree_as_before(small_book: Book) -> None:
    move_org(small_book, "A1", "B", from_year="2024/25")
    s = load_structure(small_book.conn)
    assert s.org("A1").parent_id == s.org("B").id
    assert moves(small_book) == []


def test_close_then_undo_and_redo(small_book: Book) -> None:
    close_org(small_book, "A2", "2025/26")
    s = load_structure(small_book.conn)
    assert [s.is_open(s.org("A2").id, y) for y in range(3)] == [True, False, False]
    undo(small_book)
    assert moves(small_book) == []
    redo(small_book)
    assert len(moves(small_book)) == 1
    assert check_book(small_book) == []


def test_moving_back_to_the_parent_of_the_year_before_removes_the_row(small_book: Book) -> None:
    move_org(small_book, "A1", "B", from_year="2025/26")
    move_org(small_book, "A1", "A", from_year="2025/26")
    assert moves(small_book) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b: move_org(b, "A", "A1", from_year="2025/26"), "would make a loop"),
        (lambda b: move_org(b, "SYS", "A", from_year="2025/26"), "top organisation"),
        (lambda b: move_org(b, "A1", "B", from_year="2031/32"), "no year 2031/32"),
        (lambda b: close_org(b, "SYS", "2025/26"), "top organisation: it cannot close"),
        (lambda b: close_org(b, "A", "2025/26"), r"still has open .* \(A1, A2\)"),
        (lambda b: close_org(b, "A1", "2024/25"), "first year"),
        (lambda b: close_org(b, "A1", "2030/31"), "no year 2030/31"),
    ],
)
def test_bad_dated_changes_are_refused_and_change_nothing(
    small_book: Book, call, message: str
) -> None:
    log = small_book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    with pytest.raises(BookError, match=message):
        call(small_book)
    assert moves(small_book) == []
    assert small_book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == log


def test_a_loop_in_a_later_year_only_is_refused(small_book: Book) -> None:
    move_org(small_book, "B", "A2", from_year="2026/27")  # B under A2 from the third year
    with pytest.raises(BookError, match="loop"):
        move_org(small_book, "A2", "B1", from_year="2025/26")  # then A2 under B1: a loop in 2026/27
    with pytest.raises(BookError, match="below itself in 2026/27"):
        move_org(small_book, "A", "B1")  # the first year's tree: fine; 2026/27's: a loop


def test_closing_leaves_no_child_under_a_closed_parent(small_book: Book) -> None:
    move_org(small_book, "B1", "A", from_year="2025/26")
    close_org(small_book, "B", "2025/26")
    with pytest.raises(BookError, match="B is closed in 2025/26"):
        move_org(small_book, "A1", "B", from_year="2025/26")
    with pytest.raises(BookError, match="closed in 2025/26"):
        move_org(small_book, "A1", "B")  # under B in every year: B is closed from 2025/26


CODES = ["SYS", "A", "A1", "A2", "B", "B1", "N1"]
YEARS = ["2024/25", "2025/26", "2026/27"]


def _year_trees_are_trees(book: Book) -> None:
    s = load_structure(book.conn)
    for y in range(len(s.years)):
        for org in s.orgs:
            if not s.is_open(org.id, y):
                continue
            seen, current = {org.id}, s.parent_in(org.id, y)
            while current is not None:
                assert s.is_open(current, y), f"{org.code} under a closed parent in year {y}"
                assert current not in seen, f"{org.code} in a cycle in year {y}"
                seen.add(current)
                current = s.parent_in(current, y)
            assert org.id in seen
            assert (s.parent_in(org.id, y) is None) == (org.id == s.root.id)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["add", "move", "close"]),
            st.sampled_from(CODES),
            st.sampled_from(CODES),
            st.sampled_from(YEARS),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_random_dated_moves_leave_every_year_a_tree_and_undo_restores(
    tmp_path_factory: pytest.TempPathFactory, steps: list
) -> None:
    book = book_from_text(tmp_path_factory.mktemp("years") / "t.pcbook", TWO_CCGS)
    try:
        for verb, code, other, year in steps:
            before = (
                moves(book),
                book.conn.execute("SELECT id, parent_id FROM orgs ORDER BY id").fetchall(),
            )
            try:
                if verb == "add":
                    change = add_org(book, code, f"Org {code}", "pcn", other)
                elif verb == "move":
                    change = move_org(book, code, other, from_year=year)
                else:
                    change = close_org(book, code, year)
            except BookError:
                continue
            _year_trees_are_trees(book)
            if not change.batch:  # a move to where it already is: nothing to undo
                continue
            undo(book)
            after = (
                moves(book),
                book.conn.execute("SELECT id, parent_id FROM orgs ORDER BY id").fetchall(),
            )
            assert after == before
            redo(book)
            _year_trees_are_trees(book)
        assert check_book(book) == []
    finally:
        book.close()


def test_a_version_copy_is_the_tree_as_it_stood(small_book: Book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.book.versions import book_at_version, mark_version

    move_org(small_book, "A1", "B", from_year="2025/26")
    mark_version(small_book, "Board draft")
    close_org(small_book, "A2", "2026/27")
    move_org(small_book, "A1", "A", from_year="2025/26")  # back: the row goes
    copy = book_at_version(small_book, "Board draft", tmp_path / "v.pcbook")
    try:
        s = load_structure(copy.conn)
        assert s.parent_in(s.org("A1").id, 1) == s.org("B").id
        assert s.is_open(s.org("A2").id, 2)
        assert check_book(copy) == []
    finally:
        copy.close()
