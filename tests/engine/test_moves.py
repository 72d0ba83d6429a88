"""Totals follow each year's tree: a practice that changes PCN from a year counts in its new
PCN's lines and list from then; a closed organisation holds nothing and counts nowhere.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pcbudget.book import Book, load_structure
from pcbudget.book.check import check_book
from pcbudget.book.edits import set_amount
from pcbudget.book.org_moves import close_org, move_from
from pcbudget.book.organisations import move_org
from pcbudget.book.undo_history import undo
from pcbudget.engine import Model
from pcbudget.engine.cell_status import NOT_HELD
from pcbudget.engine.children import below, children, counted_under
from pcbudget.engine.compare import compare_orgs
from pcbudget.engine.explain import explain_cell
from pcbudget.engine.population import MISSING
from pcbudget.engine.rollup import roll_year, rollup
from pcbudget.engine.snapshot import year_tree

from ..helpers import book_from_text, reopen

PRACTICES = """
years 2024/25 3
org ICB icb -
org P1 pcn ICB
org P2 pcn ICB
org X1 practice P1
org X2 practice P1
org Y1 practice P2
line gms co_commissioning CC practice per_head weighted
line reserve co_commissioning CC icb balance
line des pcn PC pcn per_head weighted
pop X1 weighted 2024/25 1000
pop X2 weighted 2024/25 2000
pop Y1 weighted 2024/25 4000
rate gms 2024/25 100 12
rate gms 2025/26 100 12
rate gms 2026/27 100 12
rate des 2024/25 2 12
rate des 2025/26 2 12
rate des 2026/27 2 12
alloc ICB CC 2024/25 800000
alloc ICB CC 2025/26 800000
alloc ICB CC 2026/27 800000
"""


def figures(book: Book, code: str, line: str) -> list[int]:
    model = Model(book)
    s, snap = model.structure, model.snapshot
    row = model.results.rolled[snap.org_index[s.org(code).id], snap.line_index[s.line(line).id]]
    return [int(x) for x in row]


def population(book: Book, code: str) -> list[float]:
    model = Model(book)
    o = model.snapshot.org_index[model.structure.org(code).id]
    return [float(x) for x in model.results.pop[o, 1]]  # weighted


def test_a_practice_that_changes_pcn_moves_its_lines_from_that_year(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "p.pcbook", PRACTICES)
    try:
        before = {c: figures(book, c, "gms") for c in ("P1", "P2", "ICB")}
        move_org(book, "X2", "P2", from_year="2026/27")
        p1, p2, icb = (figures(book, c, "gms") for c in ("P1", "P2", "ICB"))
        assert p1[:2] == before["P1"][:2] and p2[:2] == before["P2"][:2]
        assert p1[2] == before["P1"][2] - 200_000_00  # X2's 2,000 weighted x £100
        assert p2[2] == before["P2"][2] + 200_000_00
        assert icb == before["ICB"]  # the ICB's total is unchanged
        assert population(book, "P1")[2] == 1000 and population(book, "P2")[2] == 6000
        assert population(book, "P1")[:2] == [3000, 3000]
        # the PCN's own per-head line is paid on its list that year
        assert figures(book, "P2", "des")[2] == 6000 * 2 * 100
        undo(book)
        assert {c: figures(book, c, "gms") for c in ("P1", "P2", "ICB")} == before
    finally:
        book.close()


def test_a_closed_practice_holds_nothing_and_the_total_drops(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "c.pcbook", PRACTICES)
    try:
        icb = figures(book, "ICB", "gms")
        reserve = figures(book, "ICB", "reserve")
        close_org(book, "X1", "2025/26")
        assert figures(book, "X1", "gms") == [icb[0] - 600_000_00, 0, 0]  # X1's own, then nil
        after = figures(book, "ICB", "gms")
        assert after[0] == icb[0] and after[1] == icb[1] - 100_000_00
        # the balancing line uses rolled figures, so the reserve grows by what X1 no longer costs
        assert figures(book, "ICB", "reserve")[1] == reserve[1] + 100_000_00
        model = Model(book)
        x1 = model.snapshot.org_index[model.structure.org("X1").id]
        gms = model.snapshot.line_index[model.structure.line("gms").id]
        assert model.results.status_at(x1)[gms].tolist()[1:] == [NOT_HELD, NOT_HELD]
        assert model.results.pop_status[x1, 1, 1] == MISSING
        assert population(book, "P1")[1] == 2000
        undo(book)
        assert figures(book, "ICB", "gms") == icb
    finally:
        book.close()


def test_a_book_with_moves_survives_reopening_and_its_check(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "r.pcbook", PRACTICES)
    move_org(book, "X2", "P2", from_year="2026/27")
    close_org(book, "X1", "2025/26")
    expected = figures(book, "P2", "gms")
    book = reopen(book)
    try:
        assert figures(book, "P2", "gms") == expected
        assert check_book(book) == []
    finally:
        book.close()


def test_a_book_without_moves_keeps_the_one_tree(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "n.pcbook", PRACTICES)
    try:
        snap = Model(book).snapshot
        assert snap.year_trees == {} and snap.open.all()
        assert load_structure(book.conn).moves == {}
    finally:
        book.close()


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_years_roll_up_equals_summing_each_subtree(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 12))
    parent = np.array(
        [-1] + [data.draw(st.integers(-2, k - 1)) for k in range(1, n)], dtype=np.int64
    )
    parent[1:][parent[1:] == -1] = 0
    # children of a closed organisation are closed too (the book refuses anything else)
    for k in range(1, n):
        if parent[k] >= 0 and parent[parent[k]] == -2:
            parent[k] = -2
    values = np.array(data.draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n)))
    tree = year_tree(parent)
    got = roll_year(values[None, :], tree.order, tree.end)[0]
    for o in range(n):
        members = [k for k in range(n) if _under(parent, k, o)]
        assert got[o] == sum(int(values[k]) for k in members)
    if (parent != -2).all() and (tree.order == np.arange(n)).all():  # book order is
        assert (rollup(values, tree.end) == got).all()  # depth-first: the fast path agrees


def _under(parent: np.ndarray, k: int, o: int) -> bool:
    while k >= 0:
        if k == o:
            return True
        k = int(parent[k])
    return False


def test_the_months_of_a_moved_year_roll_up_along_that_years_tree(tmp_path: Path) -> None:
    from pcbudget.io.budget_year import all_year_months

    book = book_from_text(tmp_path / "m.pcbook", PRACTICES)
    try:
        move_org(book, "X2", "P2", from_year="2026/27")
        model = Model(book)
        months = all_year_months(book, model.results)
        s, snap = model.structure, model.snapshot
        gms = snap.line_index[s.line("gms").id]
        for code in ("P1", "P2", "ICB"):
            o = snap.org_index[s.org(code).id]
            for y, ym in months.items():
                assert int(ym.plan[o, gms].sum()) == int(model.results.rolled[o, gms, y])
    finally:
        book.close()


def test_balancing_lines_follow_a_pcn_that_changes_place(small_book: Book) -> None:
    """TWO_CCGS: PCN A2 moves from CCG A to CCG B from 2026/27; each CCG's Reserve/QIPP is its
    allocation less its rolled spend, so A's reserve rises by what B's falls."""
    from pcbudget.engine.explain import explain_cell

    before = {c: figures(small_book, c, "reserve") for c in ("A", "B", "SYS")}
    a2_part = figures(small_book, "A2", "part")[2] + figures(small_book, "A2", "cd")[2]
    move_org(small_book, "A2", "B", from_year="2026/27")
    after = {c: figures(small_book, c, "reserve") for c in ("A", "B", "SYS")}
    assert after["A"][:2] == before["A"][:2] and after["B"][:2] == before["B"][:2]
    assert after["A"][2] == before["A"][2] + a2_part
    assert after["B"][2] == before["B"][2] - a2_part
    assert after["SYS"] == before["SYS"]
    model = Model(small_book)
    s, snap = model.structure, model.snapshot
    b, part = snap.org_index[s.org("B").id], snap.line_index[s.line("part").id]
    assert "Sum of 1 pcn" in explain_cell(model.results, b, part, 0)
    assert "Sum of 2 pcns" in explain_cell(model.results, b, part, 2)
    close_org(small_book, "A1", "2025/26")
    model = Model(small_book)
    a1 = model.snapshot.org_index[s.org("A1").id]
    assert "Closed this year" in explain_cell(model.results, a1, part, 1)


def test_an_organisations_children_include_one_that_moves_under_it_later(tmp_path: Path) -> None:
    """A list of who sits under a PCN (the return's sheets, the comparison by organisation,
    the allocations grid) shows a practice that joins it after the first year, after the
    PCN's own; a year's list is that year's tree, without a closed practice."""
    book = book_from_text(tmp_path / "b.pcbook", PRACTICES)
    move_org(book, "X2", "P2", from_year="2026/27")
    close_org(book, "Y1", "2025/26")
    model = Model(book)
    snap = model.snapshot
    codes = [o.code for o in model.structure.orgs]

    def under(code: str, year: int | None = None) -> list[str]:
        return [codes[i] for i in children(snap, codes.index(code), year)]

    assert under("P2") == ["Y1", "X2"]  # Y1 was there in the first year, X2 joins later
    assert under("P1") == ["X1", "X2"]  # X2 left, but counted in P1 until it did
    assert under("P2", 0) == ["Y1"] and under("P2", 1) == [] and under("P2", 2) == ["X2"]
    assert under("P1", 2) == ["X1"] and under("ICB", 2) == ["P1", "P2"]
    book.close()


def test_who_counts_under_an_organisation_each_year(tmp_path: Path) -> None:
    """Of everything ever under a PCN, each year only those under it that year count in its
    figures: not a practice that has moved away or not yet joined, nor a closed one. A book
    without moves answers None (everyone, every year) without looking."""
    book = book_from_text(tmp_path / "b.pcbook", PRACTICES)
    plain = Model(book).snapshot
    assert counted_under(plain, 1, below(plain, 1)) is None
    move_org(book, "X2", "P2", from_year="2026/27")
    close_org(book, "X1", "2025/26")
    model = Model(book)
    snap, s = model.snapshot, model.structure
    codes = [o.code for o in s.orgs]

    def counted(code: str) -> dict[str, list[bool]]:
        org = codes.index(code)
        orgs = below(snap, org)
        mask = counted_under(snap, org, orgs)
        assert mask is not None
        return {codes[o]: m.tolist() for o, m in zip(orgs, mask, strict=True)}

    assert counted("P1") == {
        "P1": [True, True, True],
        "X1": [True, False, False],  # closed from 2025/26
        "X2": [True, True, False],  # under P2 from 2026/27
    }
    assert counted("P2") == {"P2": [True] * 3, "Y1": [True] * 3, "X2": [False, False, True]}
    assert counted("ICB")["X2"] == [True] * 3 and counted("ICB")["X1"] == [True, False, False]
    assert counted_under(snap, codes.index("Y1"), below(snap, codes.index("Y1"))) is None
    book.close()


def test_the_comparison_by_organisation_shows_a_mover_only_where_it_counts(
    tmp_path: Path,
) -> None:
    """Compared below P1, X2 (which moves to P2 from 2026/27) has figures in the years it is
    under P1 only, so each year's rows add up to what P1's practices hold; a year without a
    figure (or a per-head figure without a population) says why, never a silent zero."""
    book = book_from_text(tmp_path / "b.pcbook", PRACTICES)
    move_org(book, "X2", "P2", from_year="2026/27")
    model = Model(book)
    s, snap, res = model.structure, model.snapshot, model.results
    p1 = snap.org_index[s.org("P1").id]
    rows = compare_orgs(book.conn, ["baseline"], p1)
    totals = {r.org: r for r in rows if r.measure == "total"}
    assert set(totals) == {"X1", "X2"}
    assert totals["X2"].gap(2) == "X2 is not under P1 in 2026/27" and totals["X2"].gap(1) is None
    held_below = res.rolled[p1].sum(axis=0) - res.own[p1].sum(axis=0)
    assert (totals["X1"].values + totals["X2"].values).tolist() == held_below.tolist()
    registered = next(r for r in rows if r.org == "X1" and r.measure == "per_registered_head")
    assert registered.gap(0) == "X1 has no registered population in 2024/25"  # not £0.00
    weighted = next(r for r in rows if r.org == "X1" and r.measure == "per_weighted_head")
    assert weighted.gaps == () and weighted.values[0] > 0
    book.close()


REOPENED = """
years 2024/25 4
org ICB icb -
org P1 pcn ICB
org X1 practice P1
org X2 practice P1
line core co_commissioning CC practice uplift
amount X1 core 2024/25 1000
amount X2 core 2024/25 500
uplift core 2025/26 0.10
uplift core 2026/27 0.10
uplift core 2027/28 0.10
"""


def test_a_reopened_practice_grows_from_what_is_typed_not_its_figure_before_closing(
    tmp_path: Path,
) -> None:
    book = book_from_text(tmp_path / "r.pcbook", REOPENED)
    try:
        close_org(book, "X1", "2025/26")
        move_from(book, "X1", "P1", "2027/28")  # back under its PCN: open again
        # closed: nil; reopened with nothing typed: nil (not £1,000 grown three times)
        assert figures(book, "X1", "core") == [1000_00, 0, 0, 0]
        model = Model(book)
        x1 = model.snapshot.org_index[model.structure.org("X1").id]
        core = model.snapshot.line_index[model.structure.line("core").id]
        assert "closed the year before" in explain_cell(model.results, x1, core, 3)
        set_amount(book, "X1", "core", "2027/28", 800_00)  # the reopening year, typed
        assert figures(book, "X1", "core") == [1000_00, 0, 0, 800_00]
        assert figures(book, "P1", "core") == [1500_00, 550_00, 605_00, 800_00 + 665_50]
    finally:
        book.close()
