"""Excel returns: real numbers, live formulas LibreOffice agrees with, edits taken back safely."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import Book, BookError, open_book
from pcbudget.book.changelog import history
from pcbudget.book.create import NewOrg, add_orgs
from pcbudget.engine import Model
from pcbudget.engine.summary import summary_rows
from pcbudget.io.excel_return import export_return
from pcbudget.io.recalc_check import check_return, soffice
from pcbudget.io.return_import import apply_return, read_return

SCENARIOS = ["baseline", "Outpatients -40% by 2023/24", "Top-down 2% of health spend"]


@pytest.fixture
def exported(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    book = open_book(sample_path, write=False)
    out = tmp_path / "return.xlsx"
    export_return(book, out, scenarios=SCENARIOS)
    book.close()
    return sample_path, out


def test_libreoffice_recalculates_every_formula_to_the_engines_figures(exported) -> None:  # type: ignore[no-untyped-def]
    assert soffice() is not None, (
        "LibreOffice Calc is needed: .ci/run installs libreoffice-calc-nogui"
    )
    book_path, out = exported
    report = check_return(out)
    assert report.formulas > 800
    assert report.mismatches == []
    # And the recalculated grand totals are the engine's, sheet by sheet.
    wb = openpyxl.load_workbook(out, data_only=True)
    book = open_book(book_path, write=False)
    try:
        res = Model(book).results
        for sheet, code in (("Summary", "LLR"), ("LC", "LC"), ("ELR", "ELR"), ("WL", "WL")):
            o = res.snapshot.org_index[res.snapshot.structure.org(code).id]
            total = next(r for r in summary_rows(res, o) if r.kind == "total").pence
            ws = wb[sheet]
            row = next(r for r in ws.iter_rows() if r[2].value == "Total")
            assert [round(c.value * 100) for c in row[4:9]] == total.tolist()
    finally:
        book.close()


def test_numbers_are_numbers_and_totals_are_formulas(exported) -> None:  # type: ignore[no-untyped-def]
    _, out = exported
    wb = openpyxl.load_workbook(out)
    ws = wb["LC"]
    assert ws["B5"].value == "core_contract" and ws["E5"].value == 38321247
    assert ws["E5"].fill.fgColor.rgb.endswith("FFF2CC")  # input: yellow
    assert ws["F5"].fill.fgColor.rgb.endswith("DDEBF7")  # calculated: blue
    assert ws["J5"].value.startswith("=SUM(")
    assert ws.freeze_panes == "E5"
    assert wb["_pcbudget"].sheet_state == "veryHidden"
    assert "LC_total" in wb.defined_names and "Summary" in wb.sheetnames
    assert {"PCN DES", "GPFV", "Scenario comparison", "Assumptions", "About"} <= set(wb.sheetnames)
    comment = ws["E5"].comment
    assert comment is not None and "Table 4" in comment.text


def test_text_that_looks_like_a_formula_stays_text(sample_path: Path, tmp_path: Path) -> None:
    book = open_book(sample_path)
    with book.transaction():
        add_orgs(book, [NewOrg('=HYPERLINK("http://x","x")', "+cmd|' /C calc'!A0", "ccg", "LLR")])
    out = tmp_path / "evil.xlsx"
    export_return(book, out)
    book.close()
    wb = openpyxl.load_workbook(out)
    texts = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and ("HYPERLINK" in c.value or "cmd|" in c.value)
    ]
    assert texts and all(c.data_type == "s" for c in texts)


def edit(out: Path, changes: dict[tuple[str, str], object], target: Path) -> None:
    wb = openpyxl.load_workbook(out)
    for (sheet, ref), value in changes.items():
        wb[sheet][ref] = value
    wb.save(target)


def allocation_row(out: Path, sheet: str) -> int:
    ws = openpyxl.load_workbook(out)[sheet]
    return next(r[0].row for r in ws.iter_rows() if str(r[2].value).startswith("Allocation"))


def test_round_trip_applies_exactly_the_three_edited_inputs(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    edited = tmp_path / "edited.xlsx"
    edit(
        out,
        {
            ("LC", "E5"): 39_000_000,
            ("ELR", "E6"): 1_600_000,
            ("WL", f"E{allocation_row(out, 'WL')}"): 48_700_000,
            ("LC", "E12"): 1,
        },
        edited,
    )  # E12 is a section total: ignored
    book = open_book(book_path)
    try:
        before = book.conn.execute("SELECT max(id) FROM change_log").fetchone()[0]
        edits = read_return(book, edited)
        assert sorted((e.org, e.target) for e in edits) == [
            ("ELR", "dispensing_prescribing"),
            ("LC", "core_contract"),
            ("WL", "CC"),
        ]
        change = apply_return(book, edits)
        assert change is not None and len(change.cells) == 3
        logged = [e for e in history(book.conn) if e.id > before]
        assert len(logged) == 3 and {e.batch for e in logged} == {logged[0].batch}  # one change
        assert {e.new for e in logged} == {"39000000.00", "1600000.00", "48700000.00"}
        assert read_return(book, edited) == []  # the book now holds what the workbook says
    finally:
        book.close()


def test_a_changed_calculated_cell_needs_asking(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    edited = tmp_path / "calc.xlsx"
    edit(out, {("LC", "F8"): 7_000_000}, edited)
    book = open_book(book_path)
    try:
        edits = read_return(book, edited)
        assert [e.calculated for e in edits] == [True]
        assert apply_return(book, edits) is None
        change = apply_return(book, edits, overrides=True)
        assert change is not None and change.cells[0].new[0] == 700_000_000
    finally:
        book.close()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({("LC", "E5"): "lots"}, "LC!E5: 'lots' is not an amount"),
        ({("LC", "E5"): None}, "LC!E5 is empty"),
        ({("_pcbudget", "B1"): "another book"}, "exported from another book"),
        ({("LC", "B5"): "premises"}, "rows or columns have been moved"),
    ],
)
def test_bad_returns_are_refused_and_nothing_is_applied(
    exported, tmp_path: Path, changes, message
) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    bad = tmp_path / "bad.xlsx"
    edit(out, {**changes, ("ELR", "E6"): 1}, bad)
    before = hashlib.sha256(book_path.read_bytes()).hexdigest()
    book = open_book(book_path)
    try:
        with pytest.raises(BookError, match=message.replace("(", r"\(").replace(")", r"\)")):
            read_return(book, bad)
    finally:
        book.close()
    assert hashlib.sha256(book_path.read_bytes()).hexdigest() == before


def _zip(path: Path, members: dict[str, bytes], compress: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_hostile_files_are_refused(sample_path: Path, exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, out = exported
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    ole = tmp_path / "protected.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    bomb = _zip(
        tmp_path / "bomb.xlsx",
        {
            "[Content_Types].xml": b"<x/>",
            "xl/workbook.xml": b"<x/>",
            "xl/worksheets/sheet1.xml": b"0" * 50_000_000,
        },
    )
    nowb = _zip(tmp_path / "nowb.xlsx", {"hello.txt": b"hi"})
    entity = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(entity, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1
                )
            dst.writestr(item, data)
    book = open_book(sample_path)
    logged = book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    try:
        for path, message in (
            (text, "not an Excel workbook"),
            (ole, "password protected"),
            (bomb, "unpacks to far more"),
            (nowb, "not an Excel workbook"),
            (entity, "entity declarations"),
        ):
            with pytest.raises(BookError, match=message):
                read_return(book, path)
        assert book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == logged
    finally:
        book.close()


def test_export_refuses_a_bad_target(sample_path: Path, tmp_path: Path) -> None:
    book: Book = open_book(sample_path, write=False)
    try:
        with pytest.raises(BookError, match=r"\.xlsx"):
            export_return(book, tmp_path / "return.csv")
        with pytest.raises(BookError, match="does not exist"):
            export_return(book, tmp_path / "missing" / "r.xlsx")
    finally:
        book.close()


def test_lines_held_below_the_commissioners_are_inputs_on_their_section_sheet(
    exported, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    book_path, out = exported
    ws = openpyxl.load_workbook(out)["PCN DES"]
    row = next(
        r[0].row
        for r in ws.iter_rows()
        if r[0].value and str(r[0].value).startswith("ELR") and r[1].value == "iif"
    )
    edited = tmp_path / "pcn.xlsx"
    edit(out, {("PCN DES", f"F{row}"): 500_000}, edited)
    book = open_book(book_path)
    try:
        edits = read_return(book, edited)
        assert [(e.sheet, e.org, e.target, e.year, e.new) for e in edits] == [
            ("PCN DES", "ELR", "iif", "2020/21", 50_000_000)
        ]
    finally:
        book.close()
