"""Names from crafted books or files print safely: csv a spreadsheet shows as text, no escapes."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pcbudget.cli import main
from pcbudget.io.safe_text import spreadsheet_text, terminal_text

ESCAPES = "City\x1b[2J\x1b]0;pwned\x07\x9b31m"


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def crafted(sample_path: Path) -> Path:
    """The sample with names a colleague's file could carry (pcbudget refuses them when typed)."""
    conn = sqlite3.connect(sample_path)
    conn.execute("UPDATE orgs SET code = '@SUM(1)', name = '=HYPERLINK(\"x\")' WHERE code = 'ELR'")
    conn.execute("UPDATE orgs SET name = ? WHERE code = 'LC'", (ESCAPES,))
    conn.execute("UPDATE lines SET name = '-2+3+cmd|calc' WHERE code = 'premises'")
    conn.commit()
    conn.close()
    return sample_path


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_summary_csv_quotes_formulas_and_leaves_negative_amounts_numbers(crafted: Path) -> None:
    code, out, _ = run("summary", crafted, "--format", "csv")
    assert code == 0
    table = rows(out)
    premises = next(r for r in table if r[1] == "premises")
    assert premises[2] == "'-2+3+cmd|calc"
    amounts = [v for r in table[1:] for v in r[4:]]
    assert any(v.startswith("-") for v in amounts)  # Reserve/QIPP goes negative: still numbers
    assert not any(v.startswith("'") for v in amounts)


def test_compare_by_org_csv_quotes_an_organisation_code(crafted: Path) -> None:
    code, out, _ = run(
        "compare", crafted, "baseline", "Cautious left shift", "--by-org", "--format", "csv"
    )
    assert code == 0
    orgs = {r[0] for r in rows(out)[1:]}
    assert "'@SUM(1)" in orgs and "@SUM(1)" not in orgs


def test_org_list_csv_quotes_codes_and_names(crafted: Path) -> None:
    code, out, _ = run("org", crafted, "list", "--format", "csv")
    assert code == 0
    row = next(r for r in rows(out) if "SUM" in r[0])
    assert row[:2] == ["'@SUM(1)", '\'=HYPERLINK("x")']


def test_escape_sequences_in_names_are_shown_not_obeyed(crafted: Path) -> None:
    for args in (("summary", crafted, "--org", "LC"), ("org", crafted, "list")):
        code, out, _ = run(*args)
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "City\\u001b[2J\\u001b]0;pwned\\u0007" in out


def test_json_keeps_the_exact_name(crafted: Path) -> None:
    code, out, _ = run("summary", crafted, "--org", "LC", "--format", "json")
    assert code == 0
    assert json.loads(out)["org"]["name"] == ESCAPES


def test_an_error_naming_a_crafted_name_prints_no_escape(crafted: Path) -> None:
    code, _, err = run("summary", crafted, "--org", "\x1b[31mNOPE")
    assert code == 2 and "\x1b" not in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+44 116", "'+44 116"),
        ("-1234.50", "-1234.50"),
        ("4.5%", "4.5%"),
        ("Leicester", "Leicester"),
    ],
)
def test_spreadsheet_text(text: str, shown: str) -> None:
    assert spreadsheet_text(text) == shown


def test_terminal_text_keeps_tabs_and_newlines() -> None:
    assert terminal_text("a\tb\nc\x1bd") == "a\tb\nc\\u001bd"
