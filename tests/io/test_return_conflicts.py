"""A return edited in Excel while the book moved on: conflicts are shown, never applied silently,
and the return names the scenario it came from and goes back into."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from pcbudget.book import open_book
from pcbudget.book.edits import set_amount
from pcbudget.engine import Model
from pcbudget.io.excel_return import export_return
from pcbudget.io.return_import import apply_return, read_return

from ..test_cli import run

OTHER = "Outpatients -40% by 2023/24"


def _own(book, org: str, line: str, year: str, scenario: str | None = None) -> int:  # type: ignore[no-untyped-def]
    model = Model(book, scenario)
    s, snap = model.structure, model.snapshot
    y = s.year_index(year)
    return int(
        model.results.own[snap.org_index[s.org(org).id], snap.line_index[s.line(line).id], y]
    )


@pytest.fixture
def moved_on(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A return whose LC core contract 2019/20 (E5) and dispensing (E6) were edited in Excel, while
    the book's own core contract 2019/20 was changed after the export."""
    book = open_book(sample_path)
    out = tmp_path / "return.xlsx"
    export_return(book, out)
    set_amount(book, "LC", "core_contract", "2019/20", 3_850_000_000)
    book.close()
    wb = openpyxl.load_workbook(out)
    assert (
        wb["LC"]["B5"].value == "core_contract" and wb["LC"]["B6"].value == "dispensing_prescribing"
    )
    wb["LC"]["E5"] = 39_000_000
    wb["LC"]["E6"] = 7_000_000
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    return sample_path, edited


def test_a_cell_changed_in_both_is_a_conflict_with_all_three_figures(moved_on) -> None:  # type: ignore[no-untyped-def]
    path, edited = moved_on
    book = open_book(path)
    try:
        edits = read_return(book, edited)
        assert edits.exported_from == edits.scenario == "baseline"
        by_line = {e.target: e for e in edits}
        core = by_line["core_contract"]
        assert core.conflict and edits.conflicts == [core]
        assert (core.exported, core.old, core.new) == (3_832_124_700, 3_850_000_000, 3_900_000_000)
        assert not by_line["dispensing_prescribing"].conflict
        # Without force the book's newer figure stands; the other edit goes in.
        change = apply_return(book, edits)
        assert change is not None and len(change.cells) == 1
        assert _own(book, "LC", "core_contract", "2019/20") == 3_850_000_000
        assert _own(book, "LC", "dispensing_prescribing", "2019/20") == 700_000_000
        # Asked for, the return's figure wins.
        edits = read_return(book, edited)
        assert [e.target for e in edits] == ["core_contract"]
        apply_return(book, edits, force=True)
        assert _own(book, "LC", "core_contract", "2019/20") == 3_900_000_000
    finally:
        book.close()


def test_a_return_goes_into_the_scenario_it_names_or_the_one_chosen(
    sample_path: Path, tmp_path: Path
) -> None:
    book = open_book(sample_path)
    try:
        out = tmp_path / "other.xlsx"
        summary = export_return(book, out, scenarios=[OTHER])
        assert summary.scenario == OTHER
        wb = openpyxl.load_workbook(out)
        wb["LC"]["E6"] = 7_000_000
        wb.save(out)
        edits = read_return(book, out)
        assert edits.scenario == OTHER and {e.scenario for e in edits} == {OTHER}
        apply_return(book, edits)
        assert _own(book, "LC", "dispensing_prescribing", "2019/20", OTHER) == 700_000_000
        assert (
            _own(book, "LC", "dispensing_prescribing", "2019/20") != 700_000_000
        )  # baseline untouched
        into = read_return(book, out, scenario="baseline")
        assert into.exported_from == OTHER and into.scenario == "baseline"
        assert [e.target for e in into] == ["dispensing_prescribing"]
    finally:
        book.close()


def _cli(*args: str) -> SimpleNamespace:
    code, out, err = run(*args)
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def test_cli_keeps_the_books_figure_unless_forced(moved_on) -> None:  # type: ignore[no-untyped-def]
    path, edited = moved_on
    shown = _cli("import-return", str(path), str(edited))
    assert shown.returncode == 0, shown.stderr
    header, *rows = shown.stdout.splitlines()
    assert header == "cell,organisation,line,year,at_export,old,new,was,conflict"
    assert "LC!E5,LC,core_contract,2019/20,38321247.00,38500000.00,39000000.00,entered,yes" in rows
    assert "1 in conflict" in shown.stderr and "scenario 'baseline'" in shown.stderr
    applied = _cli("import-return", str(path), str(edited), "--apply")
    assert "Applied 1 change(s) to scenario 'baseline'" in applied.stderr
    assert "add --force" in applied.stderr
    forced = _cli("import-return", str(path), str(edited), "--apply", "--force")
    assert "Applied 1 change(s)" in forced.stderr
    book = open_book(path, write=False)
    try:
        assert _own(book, "LC", "core_contract", "2019/20") == 3_900_000_000
    finally:
        book.close()
