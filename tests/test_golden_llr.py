"""Golden tests: every figure of the published LLR Tables 4-7, through `pcbudget summary`.

The published figures live in tests/golden/llr_published.csv, typed from the strategy apart
from the sample's own source. Where the published table itself rounds, the row says by how
much the book may differ (£1) and why; everywhere else the figure must match exactly.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest

from pcbudget.cli import main

from .helpers import SAMPLE

GOLDEN = Path(__file__).parent / "golden" / "llr_published.csv"
FIGURES = list(csv.DictReader(GOLDEN.open(encoding="utf-8")))


def summary_csv(book: Path, *args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["summary", str(book), "--format", "csv", *args]) == 0
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.fixture(scope="module")
def summaries() -> dict[str, dict[tuple[str, str], dict[str, str]]]:
    by_org: dict[str, dict[tuple[str, str], dict[str, str]]] = defaultdict(dict)
    for org in ("LLR", "LC", "ELR", "WL"):
        for row in summary_csv(SAMPLE, "--org", org):
            by_org[org][(row["section"], row["line"])] = row
    return by_org


@pytest.mark.parametrize(
    "figure", FIGURES, ids=lambda f: f"T{f['table']} {f['figure']} {f['org']} {f['year']}"
)
def test_published_figure_is_reproduced(figure: dict[str, str], summaries: dict) -> None:
    rows = summaries[figure["org"]]
    total = Decimal(0)
    for key in figure["rows"].split("+"):
        section, line = key.split(":")
        total += Decimal(rows[(section, line)][figure["year"]])
    published = Decimal(figure["pounds"])
    tolerance = Decimal(figure["tolerance"])
    assert abs(total - published) <= tolerance, (
        f"{figure['figure']}: book £{total}, published £{published}"
    )
    if tolerance:  # the published table's own rounding: the book shows the exact sum
        assert abs(total - published) == tolerance and figure["why"]


YEARS = ("2019/20", "2020/21", "2021/22", "2022/23", "2023/24")


def test_every_ccg_spends_exactly_its_allocation_in_every_year(summaries: dict) -> None:
    for org in ("LC", "ELR", "WL", "LLR"):
        spend = summaries[org][("budget_type", "CC")]
        allocation = summaries[org][("allocation", "CC")]
        assert all(Decimal(spend[y]) == Decimal(allocation[y]) for y in YEARS)


def test_headroom_is_the_allocation_less_committed_spend(summaries: dict) -> None:
    # Table 4's Reserve/QIPP: what the allocation leaves once every committed line is paid.
    published = {"LC": "406400.00", "ELR": "-359559.00", "WL": "-1620583.00"}
    for org, figure in published.items():
        assert summaries[org][("headroom", "CC")]["2019/20"] == figure
    for org in ("LC", "ELR", "WL", "LLR"):
        headroom, reserve = (
            summaries[org][("headroom", "CC")],
            summaries[org][("co_commissioning", "reserve_qipp")],
        )
        assert all(headroom[y] == reserve[y] for y in YEARS)


def test_llr_is_the_sum_of_its_ccgs_in_every_row(summaries: dict) -> None:
    for key, row in summaries["LLR"].items():
        for year in ("2019/20", "2023/24"):
            parts = sum(
                Decimal(summaries[c][key][year]) for c in ("LC", "ELR", "WL") if key in summaries[c]
            )
            assert Decimal(row[year]) == parts, key


def test_the_headline_totals_of_the_issue(summaries: dict) -> None:
    llr = summaries["LLR"]
    assert llr[("budget_type", "CC")]["2019/20"] == "146685000.00"
    # The published grand total is £339,189,443; the book's own total carries the £1 by which
    # the published Total Other Primary Care subtotals fall short of their printed lines.
    assert llr[("all", "total")]["2019/20"] == "339189444.00"


def test_tolerances_are_few_and_explained() -> None:
    tolerated = [f for f in FIGURES if f["tolerance"] != "0"]
    assert len(tolerated) == 13
    assert all(f["tolerance"] == "1" and f["why"] for f in tolerated)
