"""The engine refuses a cell or total too large to hold, naming it, rather than wrap int64."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import BookError
from pcbudget.book.edits import set_amount, set_population, set_rate, set_uplift
from pcbudget.engine import Model

from ..helpers import TWO_CCGS, book_from_text


def test_a_per_head_cell_over_a_trillion_is_refused_with_its_cell_named(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "b.pcbook", TWO_CCGS)
    try:
        set_rate(book, "part", "2025/26", "100000", 12)  # each within the bounds typing allows
        set_population(book, "B1", "weighted", "2025/26", 1e9)
        with pytest.raises(BookError, match=r"B1 part 2025/26 works out at more than £1 trillion"):
            Model(book)
    finally:
        book.close()


def test_an_uplift_compounding_past_a_trillion_is_refused(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "b.pcbook", TWO_CCGS)
    try:
        set_amount(book, "A", "core", "2024/25", 10**14)  # £1tn, the most typing allows
        set_uplift(book, "core", "2025/26", "10")
        with pytest.raises(BookError, match=r"A core 2025/26 works out at more than £1 trillion"):
            Model(book)
    finally:
        book.close()


def test_ordinary_books_are_untouched_by_the_limits(small_book) -> None:  # type: ignore[no-untyped-def]
    model = Model(small_book)
    assert int(model.results.rolled[0].sum()) > 0
