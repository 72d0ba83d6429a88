"""The national rate catalogue, checked row by row against shared/domain/reference.md, and the
blank books that take their lines from it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pcbudget.book import set_population
from pcbudget.book.create import NewOrg, add_orgs
from pcbudget.engine import Model
from pcbudget.io.rate_catalogue import (
    catalogue_lines,
    catalogue_rates,
    new_blank_book,
    rates_for_years,
)

YEARS = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]


def per_unit(line: str, year: str) -> Decimal:
    """What one patient (or bed) brings in the year: rate x months / 12, as reference.md says."""
    r = {(r.line, r.year): r for r in rates_for_years(YEARS)}[(line, year)]
    return Decimal(r.rate) * Decimal(str(r.months)) / 12


@pytest.mark.parametrize(
    ("line", "year", "amount"),
    [
        ("clinical_director", "2019/20", "0.51525"),  # 68.7p a year for July-March: £0.514 in all
        ("clinical_director", "2020/21", "0.722"),
        ("clinical_director", "2023/24", "0.729"),
        ("gp_arrs", "2024/25", "1.303"),  # the whole October-March amount, not halved
        ("gp_arrs", "2025/26", "0"),  # inside the ARRS sum: carrying it would count it twice
        ("gp_arrs", "2026/27", "0"),
        ("arrs", "2025/26", "26.631"),
        ("extended_hours", "2022/23", "0.72"),  # April-September only
        ("extended_hours", "2026/27", "0"),  # ended: never carried forward
        ("enhanced_access", "2022/23", "3.73"),  # £7.46 a year from October
        ("enhanced_access", "2024/25", "7.975"),  # PRN01537 revised rate, not the original
        ("enhanced_access", "2025/26", "8.427"),
        ("capacity_access_support", "2024/25", "3.248"),  # per adjusted head, not nil
        ("capacity_access_support", "2026/27", "0"),  # leaves the DES
        ("capacity_access_improvement", "2026/27", "0"),
        ("care_home_premium", "2020/21", "60"),  # £120 a bed a year from 1 October 2020
        ("care_home_premium", "2024/25", "127.20"),
        ("care_home_premium", "2025/26", "130.253"),
        ("pcn_support", "2020/21", "0.27"),
        ("pcn_support", "2021/22", "0"),
        ("improved_access", "2021/22", "6"),  # still CCG-commissioned in 2021/22
        ("improved_access", "2022/23", "3"),  # April-September, then into PMC allocations
        ("improved_access", "2026/27", "0"),
        ("leadership", "2022/23", "0.699"),
    ],
)
def test_each_corrected_rate_matches_the_reference(line: str, year: str, amount: str) -> None:
    assert per_unit(line, year) == Decimal(amount)


def test_revised_2024_25_core_pcn_funding_totals_the_published_figure() -> None:
    assert per_unit("core_pcn", "2024/25") + per_unit("core_pcn_adjusted", "2024/25") == Decimal(
        "2.967"
    )


def test_2026_27_is_as_published_and_provisional_where_it_is() -> None:
    rates = {(r.line, r.year): r for r in rates_for_years(YEARS)}
    arrs = rates[("arrs", "2026/27")]
    assert arrs.confidence == "provisional" and "£1,754m" in arrs.source
    assert rates[("capacity_access_support", "2026/27")].confidence == "confirmed"
    carried = rates[("pcn_participation", "2026/27")]
    assert carried.confidence == "assumed" and "carried forward" in carried.source


def test_an_ended_or_part_year_line_is_never_carried_forward() -> None:
    rates = {(r.line, r.year): r for r in rates_for_years([*YEARS, "2027/28"])}
    for line in ("clinical_director", "leadership", "extended_hours", "gp_arrs", "pcn_support"):
        assert Decimal(rates[(line, "2027/28")].rate) == 0, line
        assert rates[(line, "2027/28")].confidence != "assumed", line
    carried = rates[("enhanced_access", "2027/28")]
    assert carried.confidence == "assumed" and carried.rate == "8.427"


def test_every_rate_has_a_source_and_a_confidence() -> None:
    table = catalogue_rates()
    assert all(r["source"] for r in table)
    assert {r["confidence"] for r in table} <= {
        "confirmed",
        "provisional",
        "uncertain",
        "not per head",
    }
    lines = {r["line"]: r for r in catalogue_lines()}
    assert lines["care_home_premium"]["measure"] == "care_home_beds"
    assert lines["improved_access"]["section"] != "pcn"  # never part of the PCN DES
    assert lines["pcn_participation"]["level"] == "practice"  # paid to practices


def test_a_new_national_book_computes_the_ready_reckoner_arrs_sum(tmp_path: Path) -> None:
    book = new_blank_book(
        tmp_path / "n.pcbook",
        years=["2025/26", "2026/27"],
        name="t",
        root_code="ICB",
        root_name="ICB",
        rates="national",
    )
    with book.transaction():
        add_orgs(
            book, [NewOrg("P1", "A PCN", "pcn", "ICB"), NewOrg("X", "Surgery", "practice", "P1")]
        )
    set_population(book, "X", "weighted", "2025/26", 30000)
    set_population(book, "X", "registered", "2025/26", 28000)
    model = Model(book)
    s = model.structure
    codes = {ln.code for ln in s.lines}
    assert {"pcn_participation", "arrs", "core_pcn", "enhanced_access"} <= codes
    assert not codes & {"clinical_director", "extended_hours", "gp_arrs", "improved_access"}
    assert s.types_by_year(s.line("core_pcn")) == ["CC", "CC"]  # inside the allocation now

    def own(org: str, line: str) -> int:
        o, li = model.snapshot.org_index[s.org(org).id], model.snapshot.line_index[s.line(line).id]
        return int(model.results.own[o, li, 0])

    assert own("P1", "arrs") == 798_930_00  # NHS England 2025/26 ready reckoner: 30,000 x £26.631
    assert own("X", "pcn_participation") == 52_830_00  # 30,000 x £1.761, paid to the practice
    assert own("P1", "pcn_participation") == 0
    book.close()


def test_core_pcn_funding_and_iif_count_inside_the_allocation_from_2022_23(
    tmp_path: Path,
) -> None:
    book = new_blank_book(
        tmp_path / "n.pcbook",
        years=["2020/21", "2021/22", "2022/23"],
        name="t",
        root_code="ICB",
        root_name="ICB",
        rates="national",
    )
    s = Model(book).structure
    assert s.types_by_year(s.line("core_pcn")) == ["PC", "PC", "CC"]
    assert s.types_by_year(s.line("iif")) == ["PC", "PC", "CC"]
    book.close()


def test_a_national_book_drives_the_core_contract_from_the_global_sum(tmp_path: Path) -> None:
    """Core contract = global sum per weighted patient x weighted list; premium/MPIG typed."""
    book = new_blank_book(
        tmp_path / "n.pcbook",
        years=["2025/26", "2026/27", "2027/28"],
        name="t",
        root_code="ICB",
        root_name="ICB",
        rates="national",
    )
    with book.transaction():
        add_orgs(
            book, [NewOrg("P1", "A PCN", "pcn", "ICB"), NewOrg("X", "Surgery", "practice", "P1")]
        )
    set_population(book, "X", "weighted", "2025/26", 10000)
    model = Model(book)
    s, snap = model.structure, model.snapshot
    core = s.line("core_contract")
    assert (core.basis, core.measure, core.level, core.section) == (
        "per_head",
        "weighted",
        "practice",
        "co_commissioning",
    )
    assert s.line("pms_premium_mpig").basis == "entered"
    o, li = snap.org_index[s.org("X").id], snap.line_index[core.id]
    assert int(model.results.own[o, li, 0]) == 1_217_900_00  # 10,000 x £121.79 in 2025/26
    rows = {(r.line, r.year): r for r in rates_for_years(["2025/26", "2026/27", "2027/28"])}
    assert rows[("core_contract", "2026/27")].confidence == "uncertain"  # third-party figure
    assert rows[("core_contract", "2027/28")].confidence == "assumed"  # carried, and says so
    book.close()


def test_a_national_book_pays_qof_per_point_at_the_published_value(tmp_path: Path) -> None:
    """QOF = points x £ per point; 2025/26 (not found) is carried and says so, 2026/27 is a
    third-party figure and says so."""
    years = ["2024/25", "2025/26", "2026/27"]
    book = new_blank_book(
        tmp_path / "q.pcbook",
        years=years,
        name="t",
        root_code="ICB",
        root_name="ICB",
        rates="national",
    )
    with book.transaction():
        add_orgs(
            book, [NewOrg("P1", "A PCN", "pcn", "ICB"), NewOrg("X", "Surgery", "practice", "P1")]
        )
    set_population(book, "X", "qof_points", "2024/25", 500)
    model = Model(book)
    s, snap = model.structure, model.snapshot
    qof = s.line("qof")
    assert (qof.basis, qof.measure, qof.level) == ("per_head", "qof_points", "practice")
    o, li = snap.org_index[s.org("X").id], snap.line_index[qof.id]
    assert int(model.results.own[o, li, 0]) == 110_310_00  # 500 points x £220.62
    rows = {(r.line, r.year): r for r in rates_for_years(years)}
    assert rows[("qof", "2024/25")].confidence == "confirmed"
    assert rows[("qof", "2025/26")].confidence == "assumed"
    assert rows[("qof", "2026/27")].confidence == "uncertain"
    book.close()
