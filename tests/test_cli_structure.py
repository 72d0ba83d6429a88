"""The structure commands' contract: org and line add/move/rename/list, undo and redo; a refused
change exits 2 with one line and leaves the book byte-identical."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from .test_cli import run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def org_rows(book: Path) -> dict[str, dict[str, str]]:
    code, out, _ = run("org", book, "list", "--format", "csv")
    assert code == 0
    return {r["code"]: r for r in csv.DictReader(io.StringIO(out))}


def test_a_blank_2026_27_book_gets_an_icb_tree_and_a_local_line(tmp_path: Path) -> None:
    book = tmp_path / "icb.pcbook"
    assert run("new", book, "--first-year", "2026/27", "--org", "QHM", "--org-name", "ICB")[0] == 0
    assert (
        run(
            "org", book, "add", "15E", "Birmingham sub-ICB", "--kind", "sub_icb", "--parent", "QHM"
        )[0]
        == 0
    )
    assert (
        run("org", book, "add", "U12345", "North PCN", "--kind", "pcn", "--parent", "15E")[0] == 0
    )
    assert (
        run("org", book, "add", "M85001", "Lakeside", "--kind", "practice", "--parent", "U12345")[0]
        == 0
    )
    rows = org_rows(book)
    assert rows["M85001"]["parent"] == "U12345"
    assert rows["U12345"] == {
        "code": "U12345",
        "name": "North PCN",
        "kind": "pcn",
        "parent": "15E",
        "other_codes": "",
        "moves": "",
    }
    code, out, _ = run(
        "line",
        book,
        "add",
        "gp_it",
        "GP IT",
        "--section",
        "other_primary_care",
        "--budget-type",
        "PC",
    )
    assert code == 0 and "Add line gp_it" in out
    code, out, _ = run(
        "line",
        book,
        "add",
        "local_les",
        "Local LES",
        "--section",
        "pcn",
        "--budget-type",
        "PC",
        "--level",
        "pcn",
        "--basis",
        "per_head",
        "--measure",
        "registered",
        "--rate",
        "2.50",
    )
    assert code == 0
    code, out, _ = run("line", book, "list", "--format", "csv")
    lines = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert lines["gp_it"]["level"] == "any"
    assert lines["local_les"]["basis"] == "per_head"
    assert run("set", book, "15E", "gp_it", "2026/27", "120000")[0] == 0
    code, out, _ = run(
        "line",
        book,
        "add",
        "contingency",
        "Contingency",
        "--section",
        "co_commissioning",
        "--budget-type",
        "CC",
        "--level",
        "sub_icb",
        "--basis",
        "allocation_share",
        "--rate",
        "0.5%",
    )
    assert code == 0, out
    assert run("set", book, "15E", "allocation:CC", "2026/27", "10000000")[0] == 0
    code, out, _ = run("rates", book, "--format", "csv")
    rates = {(r["line"], r["year"]): r for r in csv.DictReader(io.StringIO(out))}
    assert rates[("contingency", "2026/27")]["basis"] == "share of allocation"
    assert rates[("contingency", "2026/27")]["rate"] == "0.005"
    code, out, _ = run("summary", book, "--org", "15E", "--format", "csv")
    assert "contingency" in out and "50000.00" in out  # 0.5% of £10m, committed


def test_move_rename_undo_redo(tmp_path: Path) -> None:
    book = tmp_path / "b.pcbook"
    run("new", book, "--org", "QHM")
    run("org", book, "add", "A", "Place A", "--kind", "place", "--parent", "QHM")
    run("org", book, "add", "B", "Place B", "--kind", "place", "--parent", "QHM")
    run("org", book, "add", "P1", "PCN 1", "--kind", "pcn", "--parent", "A")
    assert run("org", book, "move", "P1", "B")[0] == 0
    assert org_rows(book)["P1"]["parent"] == "B"
    assert run("org", book, "rename", "P1", "PCN One")[0] == 0
    code, out, _ = run("undo", book)
    assert code == 0 and "Undo Rename P1" in out
    code, out, _ = run("undo", book)
    assert org_rows(book)["P1"]["parent"] == "A"
    assert run("redo", book)[0] == 0
    assert org_rows(book)["P1"]["parent"] == "B"
    code, out, _ = run("undo", book, "--list")
    assert "U " in out and "Rename P1" in out


def test_dated_move_and_close_are_listed_undone_and_checked(tmp_path: Path) -> None:
    book = tmp_path / "d.pcbook"
    run("new", book, "--org", "QHM", "--first-year", "2026/27", "--years", "4")
    run("org", book, "add", "A", "Place A", "--kind", "place", "--parent", "QHM")
    run("org", book, "add", "U123", "PCN 1", "--kind", "pcn", "--parent", "A")
    run("org", book, "add", "U456", "PCN 2", "--kind", "pcn", "--parent", "A")
    run("org", book, "add", "M1", "Practice", "--kind", "practice", "--parent", "U456")
    code, out, err = run("org", book, "move", "M1", "U123", "--from", "2027/28")
    assert code == 0, err
    assert "Move M1 under U123 from 2027/28" in out
    code, out, err = run("org", book, "close", "M1", "--from", "2028/29")
    assert code == 0 and "Close M1 from 2028/29" in out, err
    rows = org_rows(book)
    assert rows["M1"]["parent"] == "U456"  # the first year's parent
    assert rows["M1"]["moves"] == "U123:2027/28;closed:2028/29"
    assert rows["U123"]["moves"] == ""
    code, out, _ = run("org", book, "list")
    assert "[U123:2027/28;closed:2028/29]" in out
    assert run("check", book)[0] == 0
    assert run("undo", book)[0] == 0
    assert org_rows(book)["M1"]["moves"] == "U123:2027/28"
    before = digest(book)
    code, _out, err = run("org", book, "close", "U123", "--from", "2027/28")
    assert code == 2 and "(M1)" in err and err.count("\n") == 1
    code, _out, err = run("org", book, "close", "M1")
    assert code == 2 and "--from YEAR" in err
    code, _out, err = run("org", book, "move", "M1", "U456", "--from", "2040/41")
    assert code == 2 and "no year 2040/41" in err
    assert digest(book) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("org", "{book}", "move", "A", "P1"), "would make a loop"),
        (("org", "{book}", "move", "QHM", "A"), "top organisation"),
        (
            ("org", "{book}", "add", "P2", "PCN 2", "--kind", "pcn", "--parent", "ZZ"),
            "no organisation 'ZZ'",
        ),
        (
            ("org", "{book}", "add", "A", "Again", "--kind", "place", "--parent", "QHM"),
            "already an organisation",
        ),
        (("org", "{book}", "add", "P2"), "pcbudget org BOOK add CODE NAME"),
        (
            ("line", "{book}", "add", "core", "X", "--section", "nowhere", "--budget-type", "PC"),
            "no section",
        ),
    ],
)
def test_refused_changes_exit_2_and_change_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    book = tmp_path / "b.pcbook"
    run("new", book, "--org", "QHM")
    run("org", book, "add", "A", "Place A", "--kind", "place", "--parent", "QHM")
    run("org", book, "add", "P1", "PCN 1", "--kind", "pcn", "--parent", "A")
    before = digest(book)
    code, _out, err = run(*(a.format(book=book) for a in args))
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert digest(book) == before


def test_check_names_lines_with_nothing_to_apply_their_rate_to(tmp_path: Path) -> None:
    book = tmp_path / "n.pcbook"
    run("new", book, "--org", "QHM", "--rates", "national", "--first-year", "2025/26")
    code, out, _ = run("check", book)
    assert code == 0
    assert "note: " in out and "no organisation of kind 'pcn' holds it" in out
