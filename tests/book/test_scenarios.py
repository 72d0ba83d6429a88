"""Scenario operations, what differs, and comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import Book, BookError, open_book, set_amount
from pcbudget.book import scenarios as ops
from pcbudget.book.differences import differences
from pcbudget.book.leftshift_params import set_leftshift
from pcbudget.engine import Model
from pcbudget.engine.compare import compare, scenario_results

SCENARIOS = ["Outpatients -40% by 2023/24", "Cautious left shift", "Top-down 2% of health spend"]


def total(book: Book, scenario: str | None, org: str = "LLR") -> list[int]:
    m = Model(book, scenario)
    o = m.snapshot.org_index[m.structure.org(org).id]
    return m.results.rolled[o].sum(axis=0).tolist()


def test_copy_rename_describe_delete(small_book: Book) -> None:
    ops.create_scenario(small_book, "High")
    set_amount(small_book, "A", "core", "2024/25", 777, scenario="High")
    ops.copy_scenario(small_book, "High", "High copy")
    assert total(small_book, "High copy", "SYS") == total(small_book, "High", "SYS")
    ops.rename_scenario(small_book, "High copy", "Higher")
    ops.describe_scenario(small_book, "Higher", "what if")
    higher = next(s for s in ops.load_structure(small_book.conn).scenarios if s.name == "Higher")
    assert higher.description == "what if"
    ops.create_scenario(small_book, "Child", parent="Higher")
    with pytest.raises(BookError, match="Child build on it"):
        ops.delete_scenario(small_book, "Higher")
    ops.delete_scenario(small_book, "Child")
    ops.delete_scenario(small_book, "Higher")
    names = [s.name for s in ops.load_structure(small_book.conn).scenarios]
    assert names == ["baseline", "High"]
    with pytest.raises(BookError, match="baseline cannot"):
        ops.delete_scenario(small_book, "baseline")


def test_a_scenario_override_never_changes_the_baseline(sample_path: Path) -> None:
    book = open_book(sample_path)
    try:
        before = total(book, None)
        set_amount(book, "LC", "qof", "2021/22", 1, scenario=SCENARIOS[0])
        set_leftshift(book, SCENARIOS[1], None, {"op_first.reduction": "90%"})
        assert total(book, None) == before
    finally:
        book.close()


def test_baseline_edits_flow_into_scenarios_that_do_not_override_them(sample_path: Path) -> None:
    book = open_book(sample_path)
    try:
        set_amount(book, "WL", "premises", "2022/23", 9_000_000_00, scenario=SCENARIOS[1])
        set_amount(book, "WL", "premises", "2022/23", 8_000_000_00)  # baseline
        set_amount(book, "LC", "premises", "2022/23", 7_000_000_00)  # baseline
        for name in SCENARIOS:
            m = Model(book, name)
            lc = m.snapshot.org_index[m.structure.org("LC").id]
            wl = m.snapshot.org_index[m.structure.org("WL").id]
            li = m.snapshot.line_index[m.structure.line("premises").id]
            assert m.results.own[lc, li, 3] == 7_000_000_00
            expected = 9_000_000_00 if name == SCENARIOS[1] else 8_000_000_00
            assert m.results.own[wl, li, 3] == expected
    finally:
        book.close()


def test_what_differs_names_every_override(sample_path: Path) -> None:
    book = open_book(sample_path)
    try:
        ops.create_scenario(book, "Child", parent=SCENARIOS[0])
        set_amount(book, "LC", "qof", "2021/22", 100, scenario="Child")
        own = differences(book, "Child")
        assert [(d.assumption, d.target, d.scenario) for d in own] == [
            ("amount", "LC qof 2021/22", "1.00")
        ]
        assert own[0].baseline == "calculated"
        chain = differences(book, "Child", against="baseline")
        assert len(chain) == 1 + 25  # the child's cell and the parent's 25 left-shift parameters
        assert any(d.target == "LLR op_first.reduction" and d.scenario == "0.4" for d in chain)
    finally:
        book.close()


def test_comparison_variances_are_the_difference_of_summaries(sample_path: Path) -> None:
    book = open_book(sample_path, write=False)
    try:
        rows = compare(book.conn, ["baseline", *SCENARIOS], 0)
        for row in rows:
            for i, name in enumerate(SCENARIOS, start=1):
                m = Model(book, name)
                fresh = {
                    (r.section, r.line): r.pence
                    for r in __import__("pcbudget.engine.summary", fromlist=["x"]).summary_rows(
                        m.results, 0
                    )
                }
                assert (row.values[i] == fresh[(row.section, row.line)]).all()
                assert (row.variance()[i - 1] == row.values[i] - row.values[0]).all()
        invest = next(r for r in rows if r.line == "left_shift_investment")
        assert invest.values[0].sum() == 0 and invest.values[3][-1] == 32_000_000_00
    finally:
        book.close()


def test_overlaid_scenarios_equal_fresh_loads(sample_path: Path) -> None:
    book = open_book(sample_path)
    try:
        ops.create_scenario(book, "Mixed", parent=SCENARIOS[0])
        set_amount(book, "ELR", "arrs", "2022/23", None, scenario="Mixed")
        from pcbudget.book.edits import set_growth, set_population

        set_population(book, "ELR-RUT", "registered", "2019/20", 45000, scenario="Mixed")
        set_growth(book, None, "weighted", "3%", scenario="Mixed")
        for name, res in scenario_results(book.conn, ["baseline", "Mixed", *SCENARIOS]):
            fresh = Model(book, name).results
            assert (res.rolled == fresh.rolled).all(), name
            assert (res.calc == fresh.calc).all(), name
    finally:
        book.close()


def test_left_shift_parameters_are_checked(sample_path: Path) -> None:
    book = open_book(sample_path)
    try:
        for values, message in (
            ({"op_first.reduction": "140%"}, "out of range"),
            ({"nonsense": "1"}, "not a left-shift parameter"),
            ({"phasing.2031/32": "1"}, "no year 2031/32"),
            ({"mode": "sideways"}, "bottom_up or top_down"),
        ):
            with pytest.raises(BookError, match=message):
                set_leftshift(book, SCENARIOS[0], None, values)
        with pytest.raises(BookError, match="belong to a scenario"):
            set_leftshift(book, "baseline", None, {"reinvest_share": "1"})
    finally:
        book.close()
