"""The national rate catalogue and the blank books that take their PCN DES lines from it."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book import set_population
from pcbudget.book.create import NewOrg, add_orgs
from pcbudget.engine import Model
from pcbudget.io.rate_catalogue import catalogue_rates, new_blank_book, rates_for_years


def test_every_rate_has_a_source_and_a_confidence() -> None:
    table = catalogue_rates()
    assert all(r["source"] for r in table)
    assert {r["confidence"] for r in table} <= {"confirmed", "uncertain", "not per head"}


def test_years_past_the_catalogue_carry_the_last_rate_as_an_assumption() -> None:
    rates = {(r.line, r.year): r for r in rates_for_years(["2025/26", "2026/27"])}
    carried = rates[("arrs", "2026/27")]
    assert carried.rate == "26.631" and carried.confidence == "assumed"
    assert "carried forward" in carried.source


def test_a_new_national_book_computes_the_ready_reckoner_arrs_sum(tmp_path: Path) -> None:
    book = new_blank_book(
        tmp_path / "n.pcbook",
        years=["2025/26"],
        name="t",
        root_code="ICB",
        root_name="ICB",
        rates="national",
    )
    with book.transaction():
        add_orgs(book, [NewOrg("P1", "A PCN", "pcn", "ICB")])
    set_population(book, "P1", "weighted", "2025/26", 30000)
    set_population(book, "P1", "registered", "2025/26", 28000)
    model = Model(book)
    s = model.structure
    codes = [ln.code for ln in s.lines]
    assert {"pcn_participation", "arrs", "core_pcn", "clinical_director", "extended_hours"} <= set(
        codes
    )
    o = model.snapshot.org_index[s.org("P1").id]
    arrs = model.results.own[o, model.snapshot.line_index[s.line("arrs").id], 0]
    assert arrs == 798_930_00  # NHS England 2025/26 ready reckoner: 30,000 x £26.631
    part = model.results.own[o, model.snapshot.line_index[s.line("pcn_participation").id], 0]
    assert part == 52_830_00  # 30,000 x £1.761
    book.close()
