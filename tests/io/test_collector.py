"""Writing or reading a return pauses Python's cycle collector for the call only: it runs
again after, also when the call fails, and stays off after if it was off before."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.io.collector import collector_paused
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_import import read_return


def test_the_collector_is_paused_only_while_a_return_is_written_or_read(
    sample_path: Path, tmp_path: Path
) -> None:
    seen: list[bool] = []
    with open_book(sample_path) as book:
        export_return(book, tmp_path / "r.xlsx", progress=lambda *_: seen.append(gc.isenabled()))
        assert seen and not any(seen)  # paused throughout the export
        assert gc.isenabled()
        read_return(book, tmp_path / "r.xlsx")
        assert gc.isenabled()
        with pytest.raises(BookError):
            read_return(book, tmp_path / "missing.xlsx")
        assert gc.isenabled()  # a failed read resumes it too


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
