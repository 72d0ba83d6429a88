"""One write path: every kind of operation is logged with the rows to invert it, undo and redo are
core operations whose history survives reopening, and a version rebuilds the book as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcbudget.book import Book, BookError, open_book
from pcbudget.book import scenarios as scen
from pcbudget.book.edits import (
    set_allocation,
    set_amount,
    set_growth,
    set_population,
    set_rate,
    set_uplift,
)
from pcbudget.book.leftshift_params import set_leftshift
from pcbudget.book.organisations import (
    add_code,
    add_line,
    add_org,
    move_org,
    rename_org,
    set_line_type,
)
from pcbudget.book.undo_history import next_redo, redo, steps, undo
from pcbudget.book.versions import book_at_version, mark_version

from ..helpers import TWO_CCGS, book_from_text

#: Tables that hold what a user sees; the change log, undo steps and versions only grow.
STATE_TABLES = (
    "orgs",
    "lines",
    "scenarios",
    "amounts",
    "rates",
    "uplifts",
    "populations",
    "growth",
    "allocations",
    "leftshift",
    "line_types",
)


def state(book: Book) -> dict[str, list[tuple]]:
    return {
        t: sorted(tuple(r) for r in book.conn.execute(f"SELECT * FROM {t}")) for t in STATE_TABLES
    }


def _ensure_scenario(book: Book, name: str) -> None:
    if not any(r[0] == name for r in book.conn.execute("SELECT name FROM scenarios")):
        scen.create_scenario(book, name)


#: One operation of each kind the core offers, each a function of a drawn integer.
OPERATIONS: dict[str, Callable[[Book, int], object]] = {
    "amount": lambda b, n: set_amount(b, "A", "core", "2025/26", n * 100),
    "amount revert": lambda b, n: set_amount(b, "A", "core", "2024/25", None),
    "rate": lambda b, n: set_rate(b, "part", "2025/26", f"{n % 97}.{n % 10}1", n % 12 + 1),
    "uplift": lambda b, n: set_uplift(b, "core", "2026/27", f"{n % 9}.5%"),
    "population": lambda b, n: set_population(b, "A1", "weighted", "2025/26", n),
    "growth": lambda b, n: set_growth(b, None, "weighted", f"{n % 5}%"),
    "allocation": lambda b, n: set_allocation(b, "B", "CC", "2026/27", n * 7),
    "scenario amount": lambda b, n: (
        _ensure_scenario(b, "High"),
        set_amount(b, "B", "core", "2024/25", n, scenario="High"),
    )[-1],
    "left shift": lambda b, n: (
        _ensure_scenario(b, "High"),
        set_leftshift(b, "High", None, {"op_first.reduction": f"{n % 100}%", "mode": "bottom_up"}),
    )[-1],
    "new scenario": lambda b, n: scen.create_scenario(b, f"S{n}"),
    "copy scenario": lambda b, n: (
        _ensure_scenario(b, "High"),
        set_amount(b, "A", "ooh", "2024/25", n + 1, scenario="High"),
        scen.copy_scenario(b, "High", f"C{n}"),
    )[-1],
    "rename scenario": lambda b, n: (
        _ensure_scenario(b, "High"),
        scen.rename_scenario(b, "High", f"R{n}"),
    )[-1],
    "describe scenario": lambda b, n: (
        _ensure_scenario(b, "High"),
        scen.describe_scenario(b, "High", f"about {n}"),
    )[-1],
    "add organisation": lambda b, n: add_org(b, f"P{n}", f"Practice {n}", "practice", "A1"),
    "rename organisation": lambda b, n: rename_org(b, "B1", f"Network {n}"),
    "move organisation": lambda b, n: move_org(b, "A2" if n % 2 else "B1", "B" if n % 2 else "A"),
    "add ODS code": lambda b, n: add_code(b, "B", f"0{n % 90 + 10}X"),
    "add line": lambda b, n: add_line(
        b, f"local_{n}", "Local", section="other_primary_care", budget_type="PC"
    ),
    "add per-head line": lambda b, n: add_line(
        b,
        f"les_{n}",
        "LES",
        section="pcn",
        budget_type="PC",
        level="pcn",
        basis="per_head",
        measure="weighted",
        rate=f"{n % 50}.25",
    ),
    "line budget type": lambda b, n: set_line_type(b, "iif", "CC", f"202{5 + n % 2}/2{6 + n % 2}"),
    "delete scenario": lambda b, n: (
        _ensure_scenario(b, "Gone"),
        set_amount(b, "A", "core", "2024/25", n, scenario="Gone"),
        scen.delete_scenario(b, "Gone"),
    )[-1],
}


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    b = book_from_text(tmp_path / "ops.pcbook", TWO_CCGS)
    yield b
    b.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(sorted(OPERATIONS)), n=st.integers(1, 10**6))
def test_every_operation_then_undo_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, kind: str, n: int
) -> None:
    book = book_from_text(tmp_path_factory.mktemp("do") / "b.pcbook", TWO_CCGS)
    try:
        before, done = state(book), _done(book)
        OPERATIONS[kind](book, n)
        after = state(book)
        while _done(book) > done:
            undo(book)
        assert state(book) == before
        while next_redo(book) is not None:
            redo(book)
        assert state(book) == after
    finally:
        book.close()


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
def test_a_version_rebuilds_the_book_as_it_was_at_the_mark(
    tmp_path_factory: pytest.TempPathFactory, first: list, later: list
) -> None:
    folder = tmp_path_factory.mktemp("ver")
    book = book_from_text(folder / "b.pcbook", TWO_CCGS)
    try:
        for kind, n in first:
            _try(book, kind, n)
        mark_version(book, "Board draft")
        at_mark = state(book)
        for kind, n in later:
            _try(book, kind, n)
        old = book_at_version(book, "Board draft", folder / "v.pcbook")
        try:
            assert state(old) == at_mark
        finally:
            old.close()
    finally:
        book.close()


def _done(book: Book) -> int:
    return sum(1 for s in steps(book) if s.done)


def _try(book: Book, kind: str, n: int) -> None:
    """Run an operation; one refused because of what came before (a name taken) is skipped."""
    with contextlib.suppress(BookError):
        OPERATIONS[kind](book, n)


def test_left_shift_edits_after_a_mark_are_not_in_the_version(book: Book, tmp_path: Path) -> None:
    scen.create_scenario(book, "Shift")
    set_leftshift(book, "Shift", None, {"op_first.reduction": "10%"})
    mark_version(book, "Board draft")
    set_leftshift(book, "Shift", None, {"op_first.reduction": "40%", "reinvest_share": "50%"})
    old = book_at_version(book, "Board draft", tmp_path / "v.pcbook")
    try:
        rows = dict(old.conn.execute("SELECT key, value FROM leftshift").fetchall())
    finally:
        old.close()
    assert rows == {"op_first.reduction": "0.1"}


def test_left_shift_edits_are_undone_and_redone(book: Book) -> None:
    scen.create_scenario(book, "Shift")
    change = set_leftshift(book, "Shift", None, {"op_first.reduction": "25%"})
    assert [(c.kind, c.new) for c in change.cells if c.kind == "leftshift"] == [
        ("leftshift", ("0.25", None))
    ]
    undo(book)
    assert book.conn.execute("SELECT count(*) FROM leftshift").fetchone()[0] == 0
    redo(book)
    assert book.conn.execute("SELECT value FROM leftshift").fetchone()[0] == "0.25"


def test_undo_history_survives_closing_and_reopening(book: Book) -> None:
    path = book.path
    set_amount(book, "A", "core", "2025/26", 123_00, label="Type 123 in A core 2025/26")
    set_amount(book, "A", "core", "2025/26", 456_00)
    book.close()
    again = open_book(path)
    try:
        assert [s.label for s in steps(again)][-2] == "Type 123 in A core 2025/26"
        undo(again)
        undo(again)
        pence = again.conn.execute(
            "SELECT count(*) FROM amounts a JOIN lines l ON l.id = a.line_id"
            " WHERE l.code = 'core' AND a.year_idx = 1"
        ).fetchone()[0]
        assert pence == 0
        again.close()
        third = open_book(path)
        assert next_redo(third) is not None
        assert next_redo(third).label == "Type 123 in A core 2025/26"  # type: ignore[union-attr]
        third.close()
    finally:
        again.close()


def test_a_new_edit_drops_what_was_undone(book: Book) -> None:
    set_amount(book, "A", "core", "2025/26", 1)
    undo(book)
    set_amount(book, "A", "core", "2025/26", 2)
    assert next_redo(book) is None
    with pytest.raises(BookError, match="nothing to redo"):
        redo(book)


def test_undo_is_itself_logged_and_not_a_step(book: Book) -> None:
    set_amount(book, "A", "core", "2025/26", 77)
    count = len(steps(book))
    undo(book)
    last = book.conn.execute(
        "SELECT target, new FROM change_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert last[0] == "amount A core 2025/26"
    assert len(steps(book)) == count
    with pytest.raises(BookError, match="nothing to undo"):
        while True:
            undo(book)


def test_an_undo_refuses_when_the_row_changed_underneath(book: Book) -> None:
    set_amount(book, "A", "core", "2025/26", 77)
    book.conn.execute("UPDATE amounts SET pence = 5 WHERE pence = 77")
    with pytest.raises(BookError, match="changed by something else"):
        undo(book)
