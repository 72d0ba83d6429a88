"""Structure by hand: organisations added, renamed and moved, local lines added; no write, by
hand or by random moves, can leave a tree with an orphan, a cycle or two roots.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcbudget.book import Book, BookError, load_structure
from pcbudget.book.edits import set_amount, set_population
from pcbudget.book.organisations import (
    add_code,
    add_line,
    add_org,
    check_tree,
    move_org,
    rename_org,
)
from pcbudget.book.undo_history import undo
from pcbudget.engine import Model

from ..helpers import TWO_CCGS, book_from_text


def parent_of(book: Book, code: str) -> str | None:
    s = load_structure(book.conn)
    org = s.org(code)
    by_id = {o.id: o.code for o in s.orgs}
    return by_id.get(org.parent_id) if org.parent_id is not None else None


def test_an_organisation_is_added_renamed_and_moved(small_book: Book) -> None:
    add_org(small_book, "C82001", "Lakeside Surgery", "practice", "A1")
    assert parent_of(small_book, "C82001") == "A1"
    rename_org(small_book, "C82001", "Lakeside Health Centre")
    assert load_structure(small_book.conn).org("C82001").name == "Lakeside Health Centre"
    move_org(small_book, "C82001", "B1")
    assert parent_of(small_book, "C82001") == "B1"
    undo(small_book)
    assert parent_of(small_book, "C82001") == "A1"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b: add_org(b, "A1", "Again", "pcn", "A"), "already an organisation"),
        (lambda b: add_org(b, "X1", "X", "pcn", "NOPE"), "no organisation 'NOPE'"),
        (lambda b: add_org(b, "X1", "X", "planet", "A"), "not a kind of organisation"),
        (lambda b: add_org(b, "=1+1", "X", "pcn", "A"), "cannot be an organisation code"),
        (lambda b: add_org(b, "X1", "x" * 201, "pcn", "A"), "the most is 200"),
        (lambda b: move_org(b, "A", "A1"), "would make a loop"),
        (lambda b: move_org(b, "A", "A"), "would make a loop"),
        (lambda b: move_org(b, "SYS", "A"), "top organisation"),
    ],
)
def test_bad_structure_changes_are_refused_and_change_nothing(
    small_book: Book, call, message: str
) -> None:
    before = small_book.conn.execute("SELECT * FROM orgs ORDER BY id").fetchall()
    log = small_book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    with pytest.raises(BookError, match=message):
        call(small_book)
    assert small_book.conn.execute("SELECT * FROM orgs ORDER BY id").fetchall() == before
    assert small_book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == log


def test_the_tree_check_catches_what_sql_could_do() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE orgs (id INTEGER PRIMARY KEY, code TEXT, parent_id INTEGER)")
    conn.executemany("INSERT INTO orgs VALUES (?,?,?)", [(1, "R", None), (2, "A", 3), (3, "B", 2)])
    with pytest.raises(BookError, match="below itself"):
        check_tree(conn)
    conn.execute("UPDATE orgs SET parent_id = 9 WHERE id = 2")
    with pytest.raises(BookError, match="missing parent"):
        check_tree(conn)
    conn.execute("UPDATE orgs SET parent_id = NULL WHERE id IN (2, 3)")
    with pytest.raises(BookError, match="3 top organisations"):
        check_tree(conn)


CODES = ["SYS", "A", "A1", "A2", "B", "B1", "N1", "N2", "N3"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["add", "move"]), st.sampled_from(CODES), st.sampled_from(CODES)),
        min_size=1,
        max_size=12,
    )
)
def test_random_adds_and_moves_never_damage_the_tree(
    tmp_path_factory: pytest.TempPathFactory, moves: list
) -> None:
    book = book_from_text(tmp_path_factory.mktemp("tree") / "t.pcbook", TWO_CCGS)
    try:
        for verb, code, other in moves:
            try:
                if verb == "add":
                    add_org(book, code, f"Org {code}", "pcn", other)
                else:
                    move_org(book, code, other)
            except BookError:
                pass
            check_tree(book.conn)
            load_structure(book.conn)  # the app can open it
            Model(book)
    finally:
        book.close()


def test_an_entered_local_line_is_held_anywhere_and_rolls_up(small_book: Book) -> None:
    add_line(small_book, "gp_it", "GP IT", section="other_primary_care", budget_type="PC")
    set_amount(small_book, "A", "gp_it", "2024/25", 50_000_00)
    set_amount(small_book, "A1", "gp_it", "2024/25", 7_000_00)
    res = Model(small_book).results
    snap = res.snapshot
    li = snap.line_index[load_structure(small_book.conn).line("gp_it").id]
    root = snap.org_index[load_structure(small_book.conn).org("SYS").id]
    assert int(res.rolled[root, li, 0]) == 57_000_00


def test_a_per_head_local_line_applies_its_rate_to_its_measure(small_book: Book) -> None:
    add_line(
        small_book,
        "local_les",
        "Local enhanced service",
        section="other_primary_care",
        budget_type="PC",
        level="pcn",
        basis="per_head",
        measure="registered",
        rate="2.50",
        source="ICB board paper",
    )
    set_population(small_book, "B1", "registered", "2024/25", 10_000)
    res = Model(small_book).results
    s = load_structure(small_book.conn)
    li = res.snapshot.line_index[s.line("local_les").id]
    o = res.snapshot.org_index[s.org("B1").id]
    assert int(res.own[o, li, 0]) == 25_000_00  # £2.50 x 10,000 x 12/12
    undo(small_book)  # the population
    undo(small_book)  # the line, with its rates
    with pytest.raises(BookError, match="no line 'local_les'"):
        load_structure(small_book.conn).line("local_les")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"basis": "per_head", "level": "pcn"}, "needs a measure"),
        ({"basis": "per_head", "measure": "weighted"}, "needs the level"),
        ({"basis": "uplift"}, "entered or per_head"),
        ({"section": "nowhere"}, "no section"),
        ({"budget_type": "XX"}, "no budget type"),
        ({"rate": "1.00"}, "Only a per-head or share-of-allocation line"),
    ],
)
def test_bad_local_lines_are_refused(small_book: Book, kw: dict, message: str) -> None:
    args = {"section": "other_primary_care", "budget_type": "PC", **kw}
    with pytest.raises(BookError, match=message):
        add_line(small_book, "new_line", "New", **args)


def test_a_duplicate_line_code_is_refused(small_book: Book, tmp_path: Path) -> None:
    with pytest.raises(BookError, match="already a line"):
        add_line(small_book, "core", "Core again", section="pcn", budget_type="CC")


def test_an_organisation_answers_to_its_ods_code(small_book: Book) -> None:
    add_code(small_book, "A", "04C")
    s = load_structure(small_book.conn)
    assert s.org("04c").code == "A"
    assert s.codes_of(s.org("A")) == ["04C"]
    with pytest.raises(BookError, match="already an organisation with code 04C"):
        add_org(small_book, "04C", "Clash", "pcn", "A")
    with pytest.raises(BookError, match="already an organisation with code B"):
        add_code(small_book, "A", "B")
    set_amount(small_book, "04C", "core", "2024/25", 5)  # the ODS code works wherever a code does
    undo(small_book)
    undo(small_book)
    with pytest.raises(BookError, match="no organisation '04C'"):
        load_structure(small_book.conn).org("04C")


def test_the_sample_ccgs_answer_to_their_ods_codes(sample_path: Path) -> None:
    from pcbudget.book import open_book

    with open_book(sample_path) as book:
        s = load_structure(book.conn)
        assert [s.org(c).code for c in ("04C", "03W", "04V")] == ["LC", "ELR", "WL"]
