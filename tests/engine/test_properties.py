"""Invariants that must hold for any edits (hypothesis): roll-ups sum, empty scenarios equal the
baseline, set-then-restore changes nothing, per-head scales with population, and the engine's
edit-by-edit recalculation equals a fresh load of the book.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcbudget.book import Book, set_allocation, set_amount, set_population, set_rate
from pcbudget.book.edits import set_growth
from pcbudget.book.scenarios import create_scenario
from pcbudget.book.undo_history import undo
from pcbudget.engine import Model
from pcbudget.engine.summary import summary_rows

from ..helpers import TWO_CCGS, book_from_text

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
YEARS = ["2024/25", "2025/26", "2026/27"]
CELLS = [
    ("A", "core"),
    ("B", "core"),
    ("A", "ooh"),
    ("A1", "part"),
    ("A2", "cd"),
    ("B1", "iif"),
    ("A", "reserve"),
    ("B1", "part"),
]
pence = st.integers(min_value=-(10**11), max_value=10**11)
amount_edit = st.tuples(st.sampled_from(CELLS), st.sampled_from(YEARS), st.one_of(st.none(), pence))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    b = book_from_text(Path(tmp_path_factory.mktemp("prop")) / "p.pcbook", TWO_CCGS)
    create_scenario(b, "Empty")
    yield b
    b.close()


def _apply(book: Book, edit: tuple) -> object:
    (org, line), year, value = edit
    return set_amount(book, org, line, year, value)


@SETTINGS
@given(edits=st.lists(amount_edit, min_size=1, max_size=6))
def test_rolled_up_values_equal_the_sum_of_children(book: Book, edits: list) -> None:
    changes = [_apply(book, e) for e in edits]
    try:
        res = Model(book).results
        parent = res.snapshot.parent
        for o in range(len(parent)):
            kids = np.flatnonzero(parent == o)
            expected = res.own[o] + res.rolled[kids].sum(axis=0)
            assert (res.rolled[o] == expected).all()
        root_rows = summary_rows(res, 0)
        lines = sum(r.pence for r in root_rows if r.kind == "line")
        assert (next(r for r in root_rows if r.kind == "total").pence == lines).all()
    finally:
        for c in reversed(changes):
            if c is not None and c.batch:
                undo(book)


@SETTINGS
@given(edits=st.lists(amount_edit, min_size=0, max_size=5))
def test_a_scenario_without_overrides_equals_the_baseline(book: Book, edits: list) -> None:
    changes = [_apply(book, e) for e in edits]
    try:
        base, empty = Model(book).results, Model(book, "Empty").results
        assert (base.rolled == empty.rolled).all()
        assert (base.alloc_rolled == empty.alloc_rolled).all()
    finally:
        for c in reversed(changes):
            if c is not None and c.batch:
                undo(book)


@SETTINGS
@given(edit=amount_edit)
def test_setting_then_restoring_a_value_leaves_every_total_unchanged(
    book: Book, edit: tuple
) -> None:
    before = Model(book).results
    change = _apply(book, edit)
    if change is not None and change.batch:
        undo(book)
    after = Model(book).results
    assert (before.rolled == after.rolled).all()
    for o in range(len(before.snapshot.parent)):
        assert [r.pence.tolist() for r in summary_rows(before, o)] == [
            r.pence.tolist() for r in summary_rows(after, o)
        ]


@SETTINGS
@given(factor=st.integers(min_value=0, max_value=50))
def test_per_head_lines_scale_linearly_with_population(book: Book, factor: int) -> None:
    org, measure, year = "B1", "weighted", "2024/25"
    base = Model(book)
    o = base.snapshot.org_index[base.structure.org(org).id]
    li = base.snapshot.line_index[base.structure.line("part").id]
    one = int(base.results.own[o, li, 0])
    change = set_population(book, org, measure, year, 30000 * factor)
    try:
        scaled = int(Model(book).results.own[o, li, 0])
        assert abs(scaled - one * factor) <= 1  # each side is rounded to the penny once
    finally:
        if change.batch:
            undo(book)


edit_kinds = st.one_of(
    amount_edit.map(lambda e: ("amount", e)),
    st.tuples(
        st.sampled_from(["A1", "A2", "B1", "A"]),
        st.sampled_from(["weighted", "registered"]),
        st.sampled_from(YEARS),
        st.one_of(st.none(), st.floats(0, 1e6)),
    ).map(lambda e: ("pop", e)),
    st.tuples(
        st.sampled_from(["part", "cd"]),
        st.sampled_from(YEARS),
        st.one_of(st.none(), st.decimals(0, 50, places=4).map(str)),
    ).map(lambda e: ("rate", e)),
    st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(YEARS), st.one_of(st.none(), pence)).map(
        lambda e: ("alloc", e)
    ),
    st.tuples(
        st.sampled_from([None, "A1", "B1"]),
        st.sampled_from(["weighted", "registered"]),
        st.one_of(st.none(), st.decimals("-0.05", "0.1", places=3).map(str)),
    ).map(lambda e: ("growth", e)),
)


@SETTINGS
@given(edits=st.lists(edit_kinds, min_size=1, max_size=8))
def test_recalculating_edit_by_edit_equals_a_fresh_load(book: Book, edits: list) -> None:
    model = Model(book)
    changes = []
    try:
        for kind, e in edits:
            if kind == "amount":
                change = _apply(book, e)
            elif kind == "pop":
                change = set_population(book, *e)
            elif kind == "rate":
                change = set_rate(book, e[0], e[1], e[2])
            elif kind == "alloc":
                change = set_allocation(book, e[0], "CC", e[1], e[2])
            else:
                if e[0] is None and e[2] is None:
                    continue
                change = set_growth(book, *e)
            changes.append(change)
            model.apply(change)  # type: ignore[arg-type]
        fresh = Model(book).results
        assert (model.results.rolled == fresh.rolled).all()
        assert (model.results.calc == fresh.calc).all()
        assert np.array_equal(model.results.pop, fresh.pop, equal_nan=True)
    finally:
        for c in reversed(changes):
            if c is not None and c.batch:
                undo(book)
