"""The engine against figures worked by hand on the small two-CCG book."""

from __future__ import annotations

import numpy as np

from pcbudget.book import Book, set_amount, set_population
from pcbudget.book.scenarios import create_scenario
from pcbudget.engine import Model
from pcbudget.engine.cell_status import CALCULATED, ENTERED_CELL, NOT_HELD, OVERRIDDEN
from pcbudget.engine.summary import summary_rows


def cell(model: Model, org: str, line: str, year: int, *, rolled: bool = True) -> int:
    s = model.structure
    o = model.snapshot.org_index[s.org(org).id]
    li = model.snapshot.line_index[s.line(line).id]
    arr = model.results.rolled if rolled else model.results.own
    return int(arr[o, li, year])


def test_per_head_is_rate_times_population_times_months(small_book: Book) -> None:
    m = Model(small_book)
    # 1.761 x 10,000 weighted x 12/12
    assert cell(m, "A1", "part", 0) == 1_761_000
    # 0.5143 x 9,000 registered x 9/12 = 3,471.525 -> £3,471.53 (half away from zero)
    assert cell(m, "A1", "cd", 0) == 347153
    # next year the list has grown 1%: 0.722 x 9,090 x 12/12 = 6,562.98
    assert cell(m, "A1", "cd", 1) == 656298


def test_populations_project_with_growth_and_parents_sum_children(small_book: Book) -> None:
    m = Model(small_book)
    o = {code: m.snapshot.org_index[m.structure.org(code).id] for code in ("A", "A1", "SYS")}
    pop = m.results.pop
    assert pop[o["A1"], 1, 2] == np.float64(10000 * 1.02**2)
    assert pop[o["A"], 1, 0] == 30000
    assert pop[o["SYS"], 1, 0] == 60000


def test_a_population_before_the_first_known_year_is_projected_back(small_book: Book) -> None:
    set_population(small_book, "A1", "weighted", "2024/25", None)
    set_population(small_book, "A1", "weighted", "2025/26", 10200)
    m = Model(small_book)
    assert cell(m, "A1", "part", 0) == 1_761_000  # 10,200 / 1.02 = 10,000


def test_uplift_grows_from_the_year_before_including_an_override(small_book: Book) -> None:
    m = Model(small_book)
    assert cell(m, "A", "core", 1) == 1_050_000_00
    assert cell(m, "A", "core", 2) == 1_092_000_00
    set_amount(small_book, "A", "core", "2025/26", 2_000_000_00)
    m = Model(small_book)
    assert cell(m, "A", "core", 2) == 2_080_000_00


def test_the_reserve_balances_each_ccg_to_its_allocation(small_book: Book) -> None:
    m = Model(small_book)
    for org in ("A", "B", "SYS"):
        rows = {
            (r.section, r.line): r.pence
            for r in summary_rows(m.results, m.snapshot.org_index[m.structure.org(org).id])
        }
        assert (rows[("budget_type", "CC")] == rows[("allocation", "CC")]).all()
        assert (rows[("headroom", "CC")] == rows[("co_commissioning", "reserve")]).all()
    # A's reserve = 1,100,000 - 1,000,000 core - PCN participation (A1 + A2) - clinical director
    part = 1_761_000 + 3_522_000
    cd = 347153 + round(0.5143 * 18500 * 9 / 12 * 100)
    assert cell(m, "A", "reserve", 0) == 1_100_000_00 - 1_000_000_00 - part - cd


def test_rolled_totals_equal_the_sum_of_children(small_book: Book) -> None:
    m = Model(small_book)
    r = m.results.rolled
    idx = {o.code: i for i, o in enumerate(m.structure.orgs)}
    assert (r[idx["SYS"]] == r[idx["A"]] + r[idx["B"]]).all()
    assert (r[idx["A"]] - m.results.own[idx["A"]] == r[idx["A1"]] + r[idx["A2"]]).all()


def test_cell_status_tells_calculated_entered_and_overridden(small_book: Book) -> None:
    set_amount(small_book, "A1", "part", "2026/27", 42)
    m = Model(small_book)
    status = m.results.status()
    idx = {o.code: i for i, o in enumerate(m.structure.orgs)}
    li = {ln.code: i for i, ln in enumerate(m.structure.lines)}
    assert status[idx["A1"], li["part"], 0] == CALCULATED
    assert status[idx["A1"], li["part"], 2] == OVERRIDDEN
    assert status[idx["A"], li["core"], 0] == ENTERED_CELL
    assert status[idx["A"], li["core"], 1] == CALCULATED
    assert status[idx["A"], li["part"], 0] == NOT_HELD
    assert cell(m, "A1", "part", 2) == 42
    orgs = np.arange(len(m.structure.orgs))
    for line in li.values():  # one line at many organisations reads the same
        assert (m.results.line_status(line, orgs) == status[:, line]).all()


def test_a_scenario_override_changes_only_that_scenario(small_book: Book) -> None:
    create_scenario(small_book, "Invest")
    set_amount(small_book, "A", "core", "2024/25", 900_000_00, scenario="Invest")
    base, scen = Model(small_book), Model(small_book, "Invest")
    assert cell(base, "A", "core", 0) == 1_000_000_00
    assert cell(scen, "A", "core", 0) == 900_000_00
    assert cell(scen, "A", "core", 1) == 945_000_00  # the uplift follows the scenario's value


def test_calculated_in_a_scenario_overrides_a_baseline_override(small_book: Book) -> None:
    set_amount(small_book, "A1", "part", "2024/25", 5)
    create_scenario(small_book, "Calc")
    set_amount(small_book, "A1", "part", "2024/25", None, scenario="Calc")
    assert cell(Model(small_book), "A1", "part", 0) == 5
    assert cell(Model(small_book, "Calc"), "A1", "part", 0) == 1_761_000


def test_a_change_that_changes_nothing_recalculates_nothing(small_book: Book) -> None:
    model = Model(small_book)
    set_amount(small_book, "A", "core", "2024/25", 1_234_00)
    model.reload()
    before = model.results.own
    model.apply(set_amount(small_book, "A", "core", "2024/25", 1_234_00))  # the same again
    assert model.results.own is before and not model.results.own.flags.writeable


def test_calculated_would_be_is_kept_only_where_an_amount_replaces_it(small_book: Book) -> None:
    model = Model(small_book)
    set_amount(small_book, "A1", "part", "2025/26", 5_00)  # an override of a per-head cell
    model.reload()
    res, snap = model.results, model.snapshot
    o, li = (
        snap.org_index[snap.structure.org("A1").id],
        snap.line_index[next(ln.id for ln in snap.structure.lines if ln.code == "part")],
    )
    assert int(res.own[o, li, 1]) == 5_00
    assert res.calc_at(o, li, 1) == int(res.calc[o, li, 1]) != 5_00
    differs = res.calc != res.own
    assert (differs <= (snap.entered_set & snap.holds[:, :, None])).all()
