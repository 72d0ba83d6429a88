"""Where no PCN adjusted population was given: an explicit estimate, noted on every figure,
never a silent £0 and never over a real figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import Book, BookError
from pcbudget.book.edits import set_population
from pcbudget.engine import Model
from pcbudget.io.adjusted_estimate import estimate_adjusted

from ..helpers import icb_book
from ..test_cli import run


@pytest.fixture
def icb(tmp_path: Path):  # type: ignore[no-untyped-def]
    book = icb_book(
        tmp_path / "icb.pcbook",
        ["2025/26", "2026/27"],
        [
            ("U11111", "North PCN", "pcn", "QHM"),
            ("A81001", "Surgery", "practice", "U11111"),
            ("U22222", "South PCN", "pcn", "QHM"),
            ("B82001", "Clinic", "practice", "U22222"),
        ],
    )
    set_population(book, "A81001", "weighted", "2025/26", 31000)
    set_population(book, "B82001", "weighted", "2025/26", 12000)
    set_population(book, "U22222", "adjusted", "2025/26", 12500)  # a real figure for South
    yield book
    book.close()


def _own(book: Book, org: str, line: str, y: int = 0) -> int:
    m = Model(book)
    s, snap = m.structure, m.snapshot
    return int(m.results.own[snap.org_index[s.org(org).id], snap.line_index[s.line(line).id], y])


def test_the_estimate_fills_only_the_gaps_and_says_what_it_is(icb: Book) -> None:
    assert _own(icb, "U11111", "enhanced_access") == 0  # nothing to apply the rate to
    done = estimate_adjusted(icb)
    assert done.orgs == 1  # North only: South has its own figure
    assert _own(icb, "U11111", "enhanced_access") == 261_237_00  # 31,000 x 1.00 x £8.427
    assert _own(icb, "U22222", "enhanced_access") == 105_337_50  # 12,500 x £8.427, kept
    note = icb.conn.execute(
        "SELECT p.note FROM populations p JOIN orgs o ON o.id = p.org_id"
        " WHERE o.code = 'U11111' AND measure = 'adjusted'"
    ).fetchone()[0]
    assert note.startswith("Estimate: weighted list x 1.00")
    with pytest.raises(BookError, match="nothing to estimate"):
        estimate_adjusted(icb)  # done already: never twice


def test_a_ratio_out_of_reason_is_refused(icb: Book) -> None:
    with pytest.raises(BookError, match="not plausible"):
        estimate_adjusted(icb, ratio="7")


def test_cli_estimate_adjusted(icb: Book) -> None:
    path = icb.path
    icb.close()
    code, out, err = run("estimate-adjusted", path, "--ratio", "1.02")
    assert code == 0, err
    assert "as the weighted list x 1.02" in out
