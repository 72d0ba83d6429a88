"""No silent zeros: a per-head line with a rate but no population at its level is named."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book.edits import set_population
from pcbudget.book.organisations import move_org
from pcbudget.engine import Model
from pcbudget.engine.gaps import missing_populations

from ..helpers import TWO_CCGS, book_from_text

NO_PCN_LISTS = "\n".join(ln for ln in TWO_CCGS.splitlines() if not ln.startswith("pop "))


def test_a_book_whose_pcns_have_no_lists_names_every_per_head_line(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "b.pcbook", NO_PCN_LISTS)
    try:
        gaps = {g.line: g for g in missing_populations(Model(book).results)}
        assert set(gaps) == {"part", "cd"}
        assert gaps["part"].years == ("2024/25", "2025/26", "2026/27")
        assert "no weighted population at any pcn" in gaps["part"].reason
        assert gaps["cd"].sentence().startswith("cd (cd), 2024/25 to 2026/27: no registered")
        set_population(book, "B1", "registered", "2024/25", 1000)
        gaps = {g.line: g for g in missing_populations(Model(book).results)}
        assert "cd" not in gaps  # B1's list is projected into the later years too
    finally:
        book.close()


def test_the_two_ccg_book_has_no_gaps(small_book) -> None:  # type: ignore[no-untyped-def]
    assert missing_populations(Model(small_book).results) == []


def test_a_line_no_organisation_holds_is_named(tmp_path: Path) -> None:
    text = TWO_CCGS + "\nline arrs pcn CC practice per_head weighted\nrate arrs 2024/25 26.631 12\n"
    book = book_from_text(tmp_path / "c.pcbook", text)
    try:
        (gap,) = missing_populations(Model(book).results)
        assert gap.line == "arrs" and gap.years == ("2024/25",)
        assert "no organisation of kind 'practice'" in gap.reason
    finally:
        book.close()


#: B1 alone has no lists: the book as a whole has populations, B's part of it none.
NO_B1_LISTS = "\n".join(ln for ln in TWO_CCGS.splitlines() if not ln.startswith("pop B1"))


def test_a_gap_under_one_organisation_is_named_for_it_and_its_parents(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "b.pcbook", NO_B1_LISTS)
    try:
        res = Model(book).results
        at = {o.code: res.snapshot.org_index[o.id] for o in res.snapshot.structure.orgs}
        assert missing_populations(res) == []  # A's PCNs have lists: no book-wide gap
        assert missing_populations(res, org=at["SYS"]) == []  # the top is the whole book
        assert missing_populations(res, org=at["A"]) == [] == missing_populations(res, org=at["A1"])
        gaps = {g.line: g for g in missing_populations(res, org=at["B"])}
        assert set(gaps) == {"part", "cd"}
        assert gaps["part"].years == ("2024/25", "2025/26", "2026/27")
        assert gaps["part"].reason.startswith("no weighted population at any pcn in B, so it")
        (_part, cd) = missing_populations(res, org=at["B1"])
        assert cd.sentence().startswith("cd (cd), 2024/25 to 2026/27: no registered population for")
        set_population(book, "B1", "weighted", "2024/25", 3000)
        res = Model(book).results
        assert [g.line for g in missing_populations(res, org=at["B"])] == ["cd"]
    finally:
        book.close()


def test_a_line_held_elsewhere_is_not_a_gap_of_an_organisation_without_it(tmp_path: Path) -> None:
    text = NO_PCN_LISTS + "\nline local pcn CC ccg per_head weighted\nrate local 2024/25 1 12\n"
    book = book_from_text(tmp_path / "c.pcbook", text)
    try:
        res = Model(book).results
        a1 = res.snapshot.org_index[res.snapshot.structure.org("A1").id]
        assert {g.line for g in missing_populations(res)} == {"part", "cd", "local"}
        assert {g.line for g in missing_populations(res, org=a1)} == {"part", "cd"}
    finally:
        book.close()


def test_a_line_nobody_holds_is_named_wherever_it_is_asked(tmp_path: Path) -> None:
    text = TWO_CCGS + "\nline arrs pcn CC practice per_head weighted\nrate arrs 2024/25 26.631 12\n"
    book = book_from_text(tmp_path / "c.pcbook", text)
    try:
        res = Model(book).results
        b1 = res.snapshot.org_index[res.snapshot.structure.org("B1").id]
        (gap,) = missing_populations(res, org=b1)
        assert gap.line == "arrs" and "no organisation of kind 'practice'" in gap.reason
    finally:
        book.close()


def test_a_pcn_that_joins_later_fills_the_gap_only_from_the_year_it_joins(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "j.pcbook", NO_B1_LISTS)
    try:
        move_org(book, "A2", "B", from_year="2026/27")  # A2 has lists; B's own B1 has none
        res = Model(book).results
        at = {o.code: res.snapshot.org_index[o.id] for o in res.snapshot.structure.orgs}
        gaps = {g.line: g for g in missing_populations(res, org=at["B"])}
        assert gaps["part"].years == ("2024/25", "2025/26")  # A2 counts in B from 2026/27
        assert missing_populations(res, org=at["A"]) == []  # A1 still has lists there
    finally:
        book.close()
