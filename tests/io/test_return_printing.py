"""Returns print well: every sheet fits a page wide with its headings on each page, headings
are tall enough for their wrapped text, sheet names are short and tell scenarios apart, and the
left-shift sheet reads in the grid's words (labels, percentages, pounds), not the book's keys."""

from __future__ import annotations

import math
import re

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pcbudget.book import open_book
from pcbudget.book.scenarios import copy_scenario
from pcbudget.engine.leftshift import RESULT_ROWS
from pcbudget.io.excel_return import export_return
from pcbudget.io.xlsx_layout import sheet_name

from ..helpers import copy_sample

LONG = "Left shift Outpatients -40% by 2023/24 with community follow-up"
SCENARIOS = ["baseline", LONG, "Outpatients -40% by 2023/24", "Top-down 2% of health spend"]
KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_/]+)?$")  # 'op_first.marginal_share', 'net_saving'


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    folder = tmp_path_factory.mktemp("printing")
    with open_book(copy_sample(folder)) as book:
        copy_scenario(book, "Outpatients -40% by 2023/24", LONG)
        export_return(book, folder / "r.xlsx", scenarios=SCENARIOS)
    return openpyxl.load_workbook(folder / "r.xlsx")


def visible(wb: openpyxl.Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def leftshift_sheets(wb: openpyxl.Workbook) -> dict[str, Worksheet]:
    """Left-shift sheets by the full scenario name their title cell gives."""
    return {
        str(ws["A1"].value).removeprefix("Left shift: "): ws
        for ws in visible(wb)
        if str(ws["A1"].value).startswith("Left shift: ")
    }


def test_sheet_names_are_short_unique_and_tell_scenarios_apart(workbook) -> None:  # type: ignore[no-untyped-def]
    names = workbook.sheetnames
    assert all(len(n) <= 31 and n == n.strip() for n in names)
    assert len({n.lower() for n in names}) == len(names)
    sheets = leftshift_sheets(workbook)
    assert set(sheets) == set(SCENARIOS[1:])  # the full names are kept in the title cells
    long_tab = sheets[LONG].title
    assert long_tab.startswith("Left shift Outpatients") and long_tab.endswith("…")
    assert not long_tab.startswith("Left shift Left shift")
    assert sheets["Outpatients -40% by 2023/24"].title != long_tab


def test_sheet_names_cut_at_a_word_and_keep_the_end_when_starts_clash() -> None:
    taken: set[str] = set()
    first = sheet_name("Left shift Outpatients -40% by 2023/24 with community follow-up", taken)
    second = sheet_name("Left shift Outpatients -40% by 2023/24", taken)
    assert first == "Left shift Outpatients -40% by…"
    assert second.endswith("2023-24") and "…" in second and len(second) <= 31
    assert sheet_name("a/b:c?", taken) == "a-b c"
    many = {sheet_name("x" * 40, taken) for _ in range(3)}
    assert len(many) == 3 and all(len(n) == 31 for n in many)


def test_every_sheet_prints_a_page_wide_on_a4_with_its_headings_on_each_page(workbook) -> None:  # type: ignore[no-untyped-def]
    for ws in visible(workbook):
        setup = ws.page_setup
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.paperSize == 9 and setup.fitToHeight == 0, ws.title
        assert ws.oddFooter.left.text == "&A", ws.title  # a printed page names its sheet
        if ws.title == "About":
            assert setup.orientation == "portrait" and int(setup.fitToWidth or 1) == 1
            continue
        assert setup.orientation == "landscape", ws.title
        assert ws.print_title_rows == "$4:$4", ws.title
        if ws.title not in ("Scenario comparison", "Populations"):  # a page per scenario or measure
            assert int(setup.fitToWidth or 1) == 1, ws.title


def width(ws: Worksheet, letter: str) -> float:
    """A column's width, also where one <col> element sets a run of columns."""
    at = openpyxl.utils.column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= at <= dim.max:
            return float(dim.width)
    raise AssertionError(f"{ws.title} column {letter} has no width set")


def rows_needed(text: str, width: float) -> int:
    """Lines of wrapped text at a generous one character per unit of column width."""
    return math.ceil(len(text) / width)


def test_comparison_headings_are_tall_enough_and_each_scenario_gets_its_pages(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Scenario comparison"]
    heads = [c for c in ws[4] if c.value]
    longest = max(heads, key=lambda c: len(str(c.value)))
    assert LONG in str(longest.value)
    wide = width(ws, longest.column_letter)
    assert all(c.alignment.wrap_text for c in heads)
    assert ws.row_dimensions[4].height >= 15 * rows_needed(str(longest.value), wide)
    # One page across per scenario's years and per variance, the line labels on each.
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks == [4 + 5 * k for k in range(1, 7)]
    assert int(ws.page_setup.fitToWidth) == len(breaks) + 1
    assert ws.print_title_cols == "$A:$D"


def test_left_shift_sheet_shows_labels_percentages_and_sane_columns(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = leftshift_sheets(workbook)[LONG]
    labels = {str(r[1].value): r for r in ws.iter_rows(min_row=5) if r[1].value}
    assert not [t for t in labels if KEY.match(t) or t in RESULT_ROWS]
    share = labels["Outpatient first: share of cost released"][2]
    assert share.value == 0.5 and share.number_format.endswith("%")
    phasing = labels["Phasing 2020/21"][2]
    assert phasing.value == 0.25 and phasing.number_format.endswith("%")
    assert "£" in labels["Outpatient first: acute £ per unit"][2].number_format
    assert labels["Method"][2].value == "Bottom-up"
    assert {"Net saving", "Cumulative net saving", "Activity shifted (attendances)"} <= set(labels)
    # The results' years are as wide as each other: none sized for a note.
    years = [width(ws, col) for col in "CDEFG"]
    assert max(years) <= 20 and max(years) - min(years) < 1
    results = next(r for r in ws.iter_rows() if r[1].value == "LLR results")
    assert [c.value for c in results[2:7]] == [f"{y}/{y - 1999}" for y in range(2019, 2024)]


def test_wrapped_text_rows_are_tall_enough(workbook) -> None:  # type: ignore[no-untyped-def]
    """About, Assumptions and Reconciliation wrap long text in its column and give the row its
    height, so a paragraph neither runs off the page nor prints over the next row."""
    for title, col in (("About", "B"), ("Assumptions", "D"), ("Reconciliation", "J")):
        ws = workbook[title]
        wide = width(ws, col)
        long = [c for c in ws[col] if c.value and len(str(c.value)) > 1.5 * wide]
        assert long, title
        for c in long:
            assert c.alignment.wrap_text, (title, c.coordinate)
            height = ws.row_dimensions[c.row].height
            assert height >= 15 * rows_needed(str(c.value), wide * 1.5), (title, c.coordinate)
    about = workbook["About"]
    assert width(about, "B") >= 60
