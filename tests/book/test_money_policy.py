"""One money policy: every figure becomes pence by one rule, half up, wherever it comes from."""

from __future__ import annotations

import ast
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcbudget.book import BookError
from pcbudget.book.money import grow, parse_money, to_pence

SRC = Path(__file__).resolve().parents[2] / "src" / "pcbudget"


@pytest.mark.parametrize(
    ("value", "pence"),
    [(0.125, 13), (1.005, 101), (2.675, 268), (-0.125, -13), (np.float64(0.125), 13), (7, 700)],
)
def test_a_figure_in_pounds_becomes_the_pence_typing_it_gives(value: float, pence: int) -> None:
    assert to_pence(value) == pence == parse_money(str(value))


def _decimal_pence(value: float) -> int:
    """The slow path spelt out: the decimal the float prints as, in pence, half up."""
    return int((Decimal(repr(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(
    st.one_of(
        st.floats(min_value=-1e12, max_value=1e12),
        st.integers(min_value=-(10**14), max_value=10**14).map(lambda p: p / 100),
        st.integers(min_value=-(10**14), max_value=10**14 - 1).map(lambda p: (p + 0.5) / 100),
    )
)
def test_a_float_in_pounds_gives_the_pence_of_the_decimal_it_prints_as(value: float) -> None:
    """The float fast path (whole pence, no Decimal) and the Decimal path agree everywhere."""
    assert to_pence(value) == _decimal_pence(value)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e308, True, "twelve"])
def test_not_an_amount_is_refused_not_wrapped(bad: object) -> None:
    with pytest.raises(BookError):
        to_pence(bad)  # type: ignore[arg-type]


def test_growth_rounds_half_up_like_the_engine() -> None:
    assert int(grow(15, Decimal("0.10"))) == 17  # 16.5p; half-even would give 16p
    assert int(grow(-15, 0.10)) == -17


@given(
    st.integers(min_value=-(10**13), max_value=10**13),
    st.decimals(min_value=Decimal("-0.5"), max_value=Decimal(1), places=4),
)
def test_grow_is_one_rule_for_decimal_and_float_rates(pence: int, rate: Decimal) -> None:
    assert int(grow(pence, rate)) == int(grow(np.array([pence]), np.array([float(rate)]))[0])


def test_no_module_rounds_money_itself() -> None:
    """Built-in round() to a whole number rounds half to even: only book/money.py turns figures
    into pence. round(x, n) (display precision, e.g. chart ticks) is not money and allowed.

    (ruff's banned-api rule cannot ban a builtin yet, so this test is the rule.)
    """
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "money.py" and path.parent.name == "book":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "round"
                and len(node.args) + len(node.keywords) == 1
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


@given(
    st.lists(
        st.one_of(
            st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
            st.integers(min_value=-(10**12), max_value=10**12).map(lambda n: n / 2),
            st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 100 + 0.005),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_rounding_in_place_is_bit_for_bit_the_rounding(values: list[float]) -> None:
    from pcbudget.book.money import round_half_away, round_half_away_into

    x = np.array(values, dtype=np.float64)
    out = np.empty(x.shape, dtype=np.int64)
    assert np.array_equal(round_half_away_into(x.copy(), out), round_half_away(x))
