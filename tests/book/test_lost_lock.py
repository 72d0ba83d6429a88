"""A book whose lock is deleted while it is open stops writing: the next write is refused
instead of overwriting what another program may have written in between."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book, set_amount, undo
from pcbudget.book.money import parse_money

from ..test_cli import run


def test_a_deleted_lock_stops_the_next_write(sample_path: Path) -> None:
    with open_book(sample_path) as app:
        set_amount(app, "LC", "premises", "2020/21", parse_money("7.1m"))
        (sample_path.parent / (sample_path.name + ".lock")).unlink()
        code, _, _ = run("set", sample_path, "LC", "premises", "2020/21", "8m")
        assert code == 0  # the command line took the book, now unlocked
        with pytest.raises(BookError, match="lock file was removed"):
            undo(app)  # would have put back £7.1m's predecessor over the CLI's £8m
        with pytest.raises(BookError, match="lock file was removed"):
            set_amount(app, "LC", "premises", "2021/22", 1)
    _, out, _ = run("summary", sample_path, "--org", "LC", "--format", "csv")
    assert "8000000.00" in out
