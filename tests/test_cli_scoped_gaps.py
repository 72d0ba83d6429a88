"""`summary --org X` says 'no figure' for a per-head line nothing under X can work out, even
when the rest of the book has the populations it needs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .engine.test_gaps import NO_B1_LISTS
from .helpers import book_from_text
from .test_cli import run


def _book(tmp_path: Path) -> Path:
    book_from_text(tmp_path / "b.pcbook", NO_B1_LISTS).close()
    return tmp_path / "b.pcbook"


def test_the_table_says_no_figure_for_the_organisation_without_lists(tmp_path: Path) -> None:
    book = _book(tmp_path)
    code, out, _ = run("summary", book, "--org", "B")
    assert code == 0
    part = next(ln for ln in out.splitlines() if ln.startswith("  part "))
    assert part.split()[1:] == ["no", "figure"] * 3
    assert "No figure (nothing to apply the rate to; counted as £0 in the totals):" in out
    assert "  part (part), 2024/25 to 2026/27: no weighted population at any pcn in B, so" in out
    _code, out, _ = run("summary", book, "--org", "A")  # A's PCNs have their lists
    assert "no figure" not in out.lower()


def test_csv_notes_the_gap_on_stderr_and_json_lists_it(tmp_path: Path) -> None:
    book = _book(tmp_path)
    code, out, err = run("summary", book, "--org", "B1", "--format", "csv")
    assert code == 0 and [r[1] for r in csv.reader(io.StringIO(out))][1:3] == ["part", "cd"]
    assert err.splitlines() == [
        "note: no figure for part (part), 2024/25 to 2026/27: no weighted population for B1, so"
        " it shows £0; import or enter the pcns' weighted lists",
        "note: no figure for cd (cd), 2024/25 to 2026/27: no registered population for B1, so"
        " it shows £0; import or enter the pcns' registered lists",
    ]
    code, out, _ = run("summary", book, "--org", "B", "--format", "json")
    gaps = json.loads(out)["no_figure"]
    assert [(g["line"], g["years"][0]) for g in gaps] == [("part", "2024/25"), ("cd", "2024/25")]
    _code, out, _ = run("summary", book, "--format", "json")  # the book as a whole
    assert json.loads(out)["no_figure"] == []
