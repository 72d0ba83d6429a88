"""Shared fixtures: the LLR sample copied per test, and a small two-CCG book."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pcbudget.book import Book

from .helpers import TWO_CCGS, book_from_text, copy_sample

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    return copy_sample(tmp_path)


@pytest.fixture
def small_book(tmp_path: Path) -> Iterator[Book]:
    book = book_from_text(tmp_path / "small.pcbook", TWO_CCGS)
    yield book
    book.close()
