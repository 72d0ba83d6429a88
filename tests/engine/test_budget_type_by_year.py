"""A line's budget type is per year: IIF counted outside the allocation, then inside it."""

from __future__ import annotations

import numpy as np
import pytest

from pcbudget.book import Book, BookError, undo
from pcbudget.book.edits import set_population, set_rate
from pcbudget.book.organisations import add_line, set_line_type
from pcbudget.engine import Model
from pcbudget.engine.summary import summary_rows


def _rows(book: Book, org: str) -> dict[tuple[str, str], np.ndarray]:
    m = Model(book)
    o = m.snapshot.org_index[m.structure.org(org).id]
    return {(r.section, r.line): r.pence for r in summary_rows(m.results, o)}


def test_a_line_moving_inside_the_allocation_counts_there_from_that_year(
    small_book: Book,
) -> None:
    before = _rows(small_book, "A")
    set_line_type(small_book, "iif", "CC", "2025/26")
    after = _rows(small_book, "A")
    iif = 1_234_56  # A1's entered IIF in 2025/26
    # 2025/26: CC spend includes the IIF, PC spend no longer does; the allocation is unchanged,
    # so the balancing reserve gives it up and headroom (allocation less committed) falls.
    assert after[("budget_type", "PC")][1] == before[("budget_type", "PC")][1] - iif
    assert (
        after[("co_commissioning", "reserve")][1]
        == before[("co_commissioning", "reserve")][1] - iif
    )
    assert after[("headroom", "CC")][1] == before[("headroom", "CC")][1] - iif
    assert (after[("budget_type", "CC")] == after[("allocation", "CC")]).all()
    assert after[("budget_type", "PC")][0] == before[("budget_type", "PC")][0]  # 2024/25 as was
    # Paid from inside the allocation, the IIF no longer adds to the total: the reserve funds it.
    assert after[("all", "total")][1] == before[("all", "total")][1] - iif
    undo(small_book)
    assert all((_rows(small_book, "A")[k] == v).all() for k, v in before.items())


def test_an_unknown_type_or_year_is_refused(small_book: Book) -> None:
    with pytest.raises(BookError, match="budget type"):
        set_line_type(small_book, "iif", "XX", "2025/26")
    with pytest.raises(BookError):
        set_line_type(small_book, "iif", "CC", "2031/32")


def test_a_care_home_premium_is_paid_per_bed(small_book: Book) -> None:
    add_line(
        small_book,
        "care_home_premium",
        "Care Home Premium",
        section="pcn",
        budget_type="CC",
        level="pcn",
        basis="per_head",
        measure="care_home_beds",
    )
    set_rate(small_book, "care_home_premium", "2024/25", "120", 6)  # £120 a bed, from October
    set_population(small_book, "A1", "care_home_beds", "2024/25", 50)
    rows = _rows(small_book, "A1")
    assert rows[("pcn", "care_home_premium")][0] == 50 * 60_00  # 50 beds x £120 x 6/12
