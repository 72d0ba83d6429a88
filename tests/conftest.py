"""Shared fixtures: the LLR sample copied per test, a small two-CCG book, and a data folder of
each test's own (where books' change logs are anchored), never the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pcbudget.book import Book
from pcbudget.book.anchor import DATA_ENV

from .helpers import TWO_CCGS, book_from_text, copy_sample

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "pcbudget-data"
    monkeypatch.setenv(DATA_ENV, str(folder))
    return folder


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    return copy_sample(tmp_path)


@pytest.fixture
def small_book(tmp_path: Path) -> Iterator[Book]:
    book = book_from_text(tmp_path / "small.pcbook", TWO_CCGS)
    yield book
    book.close()
