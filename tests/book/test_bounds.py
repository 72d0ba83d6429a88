"""Stored figures out of range or not numbers: check names each one, the engine refuses them."""

from __future__ import annotations

import io
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.bounds import POPULATION, RATE
from pcbudget.book.money import to_pence
from pcbudget.cli import main
from pcbudget.engine import Model


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def tamper(path: Path, sql: str, *params: object) -> None:
    """Write a figure as another program could, past every check pcbudget makes."""
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


LC_PREMISES_2019 = (
    " WHERE scenario_id = 0 AND org_id = (SELECT id FROM orgs WHERE code = 'LC')"
    " AND line_id = (SELECT id FROM lines WHERE code = 'premises') AND year_idx = 0"
)

CRAFTED = [
    (
        "UPDATE amounts SET pence = ?" + LC_PREMISES_2019,
        "abc",
        "amounts row LC premises 2019/20 (baseline): pence is 'abc', which is not a number",
    ),
    (
        "UPDATE amounts SET pence = ?" + LC_PREMISES_2019,
        1e308,
        "amounts row LC premises 2019/20 (baseline): pence is 1e+308, which is out of range",
    ),
    (
        "UPDATE populations SET value = ? WHERE scenario_id = 0 AND measure = 'weighted'"
        " AND year_idx = 0 AND org_id = (SELECT id FROM orgs WHERE code = 'LC')",
        float("inf"),
        "populations row LC weighted 2019/20 (baseline): value is inf, which is out of range",
    ),
    ("UPDATE rates SET rate = ? WHERE year_idx = 0", "1e308", "rates row"),
    ("UPDATE uplifts SET pct = ?", "NaN", "uplifts row"),
    ("UPDATE allocations SET pence = ? WHERE year_idx = 0", 10**17, "allocations row"),
]


@pytest.mark.parametrize(("sql", "value", "named"), CRAFTED)
def test_check_names_the_stored_figure_and_the_engine_refuses_it(
    sample_path: Path, sql: str, value: object, named: str
) -> None:
    tamper(sample_path, sql, value)
    code, out, _ = run("check", sample_path)
    assert code == 1
    assert named in out
    code, out, err = run("summary", sample_path, "--format", "csv")
    assert code == 2 and out == ""
    assert named in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_wrapped_total_is_never_shown(sample_path: Path) -> None:
    tamper(sample_path, "UPDATE amounts SET pence = ?" + LC_PREMISES_2019, 2**63 - 1)
    book = open_book(sample_path, write=False)
    try:
        with pytest.raises(BookError, match="out of range for an amount"):
            Model(book)
    finally:
        book.close()


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e308", "", "abc", "1e10"])
def test_a_population_outside_its_bound_is_refused(text: str) -> None:
    assert not POPULATION.holds(text)


def test_the_bounds_accept_real_figures() -> None:
    assert POPULATION.number("1,093,587", "LLR") == Decimal(1093587)
    assert RATE.number("0.5143", "rate") == Decimal("0.5143")
    assert to_pence(1234.565, "E5") == 123457  # half away from zero, as typing does
    with pytest.raises(BookError, match=r"E5: 1000000000000000(\.0)? is out of range"):
        to_pence(1e15, "E5")
    for bad in (float("inf"), float("nan"), "1e308", True):
        with pytest.raises(BookError, match="E5"):
            to_pence(bad, "E5")


@pytest.mark.parametrize("value", ["abc", "1e308", "nan"])
def test_a_crafted_left_shift_parameter_is_named_not_computed(
    sample_path: Path, value: str
) -> None:
    tamper(sample_path, "UPDATE leftshift SET value = ? WHERE key = 'op_first.baseline'", value)
    code, out, _ = run("check", sample_path)
    assert code == 1 and "leftshift row LLR op_first.baseline" in out
    code, _, err = run("summary", sample_path, "--scenario", "Cautious left shift")
    assert code == 2 and err.count("\n") == 1
    assert "left-shift parameter op_first.baseline of LLR" in err and "Warning" not in err
