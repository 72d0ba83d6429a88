"""A new ICB book in one step from NHS England's files, and nothing left behind when refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.structure import load_structure
from pcbudget.io.new_book import NewBookPlan, build_new_book

from .test_nhs_populations import SUFFIXED, write_csv


def test_a_book_from_populations_membership_and_measures(tmp_path: Path) -> None:
    pops = write_csv(tmp_path / "pops.csv", SUFFIXED)
    membership = tmp_path / "pcns.csv"
    membership.write_text(
        "practice_code,pcn_code,pcn_name\nA81003,U00002,South PCN\n", encoding="utf-8"
    )
    measures = tmp_path / "adjusted.csv"
    measures.write_text("org_code,measure,year,value\nU00001,adjusted,2025/26,21000\n")
    seen: list[float] = []
    report = build_new_book(
        NewBookPlan(
            tmp_path / "QHM.pcbook",
            "qhm",
            "North East ICB",
            "2024/25",  # the file's own year
            populations=pops,
            membership=membership,
            measures=measures,
        ),
        lambda f, _m: seen.append(f),
    )
    assert report.years == ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29"]
    assert seen == sorted(seen) and seen[-1] == 1.0  # the bar only moves forward
    assert any("PCN membership" in line for line in report.lines)
    with open_book(tmp_path / "QHM.pcbook", write=False) as book:
        s = load_structure(book.conn)
        assert s.root.code == "QHM"  # the ICB is the book's top organisation, never re-parented
        by_id = {o.id: o for o in s.orgs}
        assert by_id[s.org("A81003").parent_id].code == "U00002"  # moved into its PCN
        assert {"core_contract", "arrs", "enhanced_access"} <= {ln.code for ln in s.lines}


def test_a_refused_file_leaves_no_book_behind(tmp_path: Path) -> None:
    bad = tmp_path / "pcns.csv"
    bad.write_text("practice_code,pcn_code\nA81001,U00001\nA81001,U00009\n")  # two PCNs
    pops = write_csv(tmp_path / "pops.csv", SUFFIXED)
    target = tmp_path / "QHM.pcbook"
    with pytest.raises(BookError):
        build_new_book(NewBookPlan(target, "QHM", "", "2024/25", populations=pops, membership=bad))
    assert not list(tmp_path.glob("QHM.pcbook*"))  # no book, journal or lock left


def test_an_existing_book_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "QHM.pcbook"
    target.write_bytes(b"someone's book")
    with pytest.raises(BookError, match="already exists"):
        build_new_book(NewBookPlan(target, "QHM", "", "2026/27"))
    assert target.read_bytes() == b"someone's book"


def test_cli_new_takes_membership_too_and_leaves_nothing_when_refused(tmp_path: Path) -> None:
    from ..test_cli import run

    pops = write_csv(tmp_path / "pops.csv", SUFFIXED)
    good = tmp_path / "pcns.csv"
    good.write_text("practice_code,pcn_code,pcn_name\nA81003,U00002,South PCN\n")
    code, out, err = run(
        "new", tmp_path / "a.pcbook", "--rates", "national", "--org", "QHM",
        "--populations", pops, "--pcns", good,
    )  # fmt: skip
    assert code == 0, err
    assert "PCN membership from pcns.csv" in out and "Created" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("practice_code,pcn_code\nA81001,U00001\nA81001,U00009\n")
    code, _out, err = run(
        "new", tmp_path / "b.pcbook", "--rates", "national", "--org", "QHM",
        "--populations", pops, "--pcns", bad,
    )  # fmt: skip
    assert code == 2 and "A81001" in err
    assert not list(tmp_path.glob("b.pcbook*"))
