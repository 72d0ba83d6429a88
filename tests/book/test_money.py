"""Typed amounts become the pence a finance lead meant, and anything else is refused clearly."""

import numpy as np
import pytest

from pcbudget.book import BookError
from pcbudget.book.money import format_money, parse_money, pounds_text, round_pence


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1234567", 123456700),
        ("1,234,567", 123456700),
        ("£1.2m", 120_000_000),
        ("250k", 25000000),
        ("(1,000)", -100000),
        ("-1000", -100000),
        ("-£1,000.50", -100050),
        ("£ 2.5bn", 250000000000),
        ("0.005", 1),
        ("  42  ", 4200),
    ],
)
def test_typed_amounts_parse_to_pence(text: str, pence: int) -> None:
    assert parse_money(text) == pence


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "1,23",
        "12..5",
        "£",
        "1e5",
        "1,2345",
        "(12",
        "5 quid",
        "(-1000)",
        "12 34",
        "١٢٣",
        "１２",
    ],
)
def test_non_amounts_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(BookError, match="amount"):
        parse_money(text)


def test_a_formula_is_refused_as_a_formula() -> None:
    with pytest.raises(BookError, match="formula"):
        parse_money("=SUM(A1:A4)")


def test_absurd_amounts_are_refused() -> None:
    with pytest.raises(BookError, match="trillion"):
        parse_money("2000bn")


def test_rounding_is_half_away_from_zero_like_excel() -> None:
    pounds = np.array([0.125, -0.125, 1.005, 2.675, 0.115, -2.675])
    assert round_pence(pounds).tolist() == [13, -13, 101, 268, 12, -268]


def test_money_for_people_has_separators_and_brackets() -> None:
    assert format_money(-123456789) == "(1,234,567.89)"
    assert format_money(123456789, unit="£k", decimals=1) == "1,234.6"
    assert pounds_text(-5) == "-0.05"
