"""A contingency held as a share of the allocation: committed spend that follows the allocation,
and QOF paid per point: both worked out by the engine, explained, and undoable."""

from __future__ import annotations

import pytest

from pcbudget.book import Book
from pcbudget.book.edits import set_allocation, set_population, set_rate
from pcbudget.book.errors import BookError
from pcbudget.book.organisations import add_line
from pcbudget.book.structure import load_structure
from pcbudget.book.undo_history import undo
from pcbudget.engine.explain import explain_cell
from pcbudget.engine.gaps import cell_gap, missing_populations
from pcbudget.engine.model import Model
from pcbudget.engine.summary import summary_rows


def _at(book: Book, model: Model, org: str, line: str) -> tuple[int, int]:
    s = load_structure(book.conn)
    snap = model.results.snapshot
    return snap.org_index[s.org(org).id], snap.line_index[s.line(line).id]


def _contingency(book: Book, rate: str | None = "0.5%") -> None:
    add_line(
        book,
        "contingency",
        "Contingency",
        section="co_commissioning",
        budget_type="CC",
        level="ccg",
        basis="allocation_share",
        rate=rate,
        source="ICB financial plan",
    )


def test_a_contingency_is_its_share_of_the_allocation_and_counts_as_committed(
    small_book: Book,
) -> None:
    before = Model(small_book)
    a, reserve = _at(small_book, before, "A", "reserve")
    headroom_before = next(r for r in summary_rows(before.results, a) if r.kind == "headroom")
    reserve_before = int(before.results.rolled[a, reserve, 0])

    _contingency(small_book)
    model = Model(small_book)
    res = model.results
    a, li = _at(small_book, model, "A", "contingency")
    alloc = int(res.alloc_rolled[a, 0, 0])
    assert alloc > 0
    assert int(res.own[a, li, 0]) == round(alloc * 0.005)  # 0.5% of A's CC allocation
    # Committed: headroom and the reserve both fall by the contingency.
    headroom = next(r for r in summary_rows(res, a) if r.kind == "headroom")
    assert int(headroom.pence[0]) == int(headroom_before.pence[0]) - int(res.own[a, li, 0])
    assert int(res.rolled[a, reserve, 0]) == reserve_before - int(res.own[a, li, 0])
    assert "0.5% of the CC allocation" in explain_cell(res, a, li, 0)


def test_a_contingency_follows_a_changed_allocation_and_share(small_book: Book) -> None:
    _contingency(small_book)
    model = Model(small_book)
    a, li = _at(small_book, model, "A", "contingency")
    model.apply(set_allocation(small_book, "A", "CC", "2024/25", 30_000_000_00))
    assert int(model.results.own[a, li, 0]) == 15_000_000  # £150,000: 0.5% of £30m
    model.apply(set_rate(small_book, "contingency", "2024/25", "1%"))
    assert int(model.results.own[a, li, 0]) == 30_000_000  # 1% of £30m
    assert Model(small_book).results.own[a, li, 0] == model.results.own[a, li, 0]


def test_a_share_without_an_allocation_says_so(small_book: Book) -> None:
    _contingency(small_book)
    model = Model(small_book)
    res = model.results
    s = load_structure(small_book.conn)
    a, li = _at(small_book, model, "A", "contingency")
    years_without = [y for y in range(3) if not res.alloc_present[a, 0, y]]
    for y in years_without:
        assert "No CC allocation for A" in (cell_gap(res, a, li, y) or "")
    if years_without:
        assert any(g.line == "contingency" for g in missing_populations(res))
    assert s.line("contingency").basis == "allocation_share"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"level": None}, "needs the level"),
        ({"rate": "150%"}, "out of range"),
        ({"measure": "registered"}, "has no measure"),
    ],
)
def test_bad_share_lines_are_refused(small_book: Book, kw: dict, message: str) -> None:
    args = {
        "section": "co_commissioning",
        "budget_type": "CC",
        "level": "ccg",
        "basis": "allocation_share",
        "rate": "0.5%",
        **kw,
    }
    with pytest.raises(BookError, match=message):
        add_line(small_book, "contingency", "Contingency", **args)


def test_qof_is_points_times_the_value_of_a_point_and_undo_removes_it(small_book: Book) -> None:
    add_line(
        small_book,
        "qof",
        "QOF achievement",
        section="co_commissioning",
        budget_type="CC",
        level="pcn",
        basis="per_head",
        measure="qof_points",
        rate="220.62",
        source="GMS SFE Directions 2024",
    )
    set_population(small_book, "A1", "qof_points", "2024/25", 540)
    model = Model(small_book)
    a1, li = _at(small_book, model, "A1", "qof")
    assert int(model.results.own[a1, li, 0]) == 11_913_480  # 540 points x £220.62
    assert "qof_points" in explain_cell(model.results, a1, li, 0)
    undo(small_book)
    undo(small_book)
    with pytest.raises(BookError, match="no line 'qof'"):
        load_structure(small_book.conn).line("qof")
