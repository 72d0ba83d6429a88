"""Which column fills which measure: the candidates and defaults an allocation file offers, in
NHS England's real layout, and the same choice taken by the importer."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import Book, BookError
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.population_columns import meaning
from pcbudget.io.population_import import column_choices
from pcbudget.io.rate_catalogue import new_blank_book

from .test_nhs_populations import SUFFIXED, write_csv

#: NHS England's 2024/25 allocation file header, as published (the double space and the
#: trailing space are theirs).
ALLOCATION = [
    "Practice_Code",
    "GP_Practice_Name",
    "Practice_Postcode",
    "CCG23",
    "Former CCG",
    "PCN_Code",
    "PCN_Name",
    "LOC22",
    "LOC22name",
    "ICB23",
    "ICB23name",
    "R23",
    "Region23",
    "LAD21",
    "LTLA21",
    "LA21",
    "UTLA21",
    "Patients",
    "pop 2024/25",
    "G&A WP",
    "CS WP",
    "MH WP",
    "Mat WP",
    "Health Ineq  WP",
    "Prescr WP",
    "Final WP ",
    "Primary Medical Care need",
    "Final PMC WP",
]
#: code, name, Patients, pop 2024/25, Final WP, Final PMC WP (the rest of the weighting derived).
ALLOCATION_PRACTICES = [
    ("A81001", "The Health Centre", 4100, 4123.6, 4390.7, 4480.2),
    ("A81002", "Queens Park", 15790, 15812.1, 16102.3, 16740.9),
    ("A81004", "Acklam Road", 8020, 8044.5, 7811.0, 7925.4),
]

#: No NHS England file has a column for these: each is read only from a column the user names.
UNREAD = {"adjusted": None, "care_home_beds": None, "qof_points": None}


def write_allocation(path: Path) -> Path:
    """An allocation file of three practices in one sub-ICB location, every column filled as
    NHS England fills it (LOC22 left empty, the sub-ICB location code in CCG23)."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALLOCATION)
        for code, name, patients, pop, final, pmc in ALLOCATION_PRACTICES:
            weights = [round(final * share, 1) for share in (0.61, 0.12, 0.1, 0.04, 0.03, 0.1)]
            writer.writerow(
                [code, name, "TS1 2AB", "16C", "00K", "", "", "", "", "QHM"]
                + ["North East and North Cumbria ICB", "Y63", "North East and Yorkshire"]
                + ["E06000002"] * 4
                + [patients, pop, *weights, final, round(pmc / 1.1, 1), pmc]
            )
    return path


@pytest.fixture
def blank(tmp_path: Path) -> Book:
    path = tmp_path / "b.pcbook"
    return new_blank_book(
        path, years=["2024/25"], name="E", root_code="ENG", root_name="England", rates=None
    )


def test_an_allocation_file_offers_its_number_columns_with_the_importer_defaults(
    tmp_path: Path,
) -> None:
    choices = column_choices(write_allocation(tmp_path / "alloc.csv"))
    assert choices is not None and choices.needs_choice()
    assert choices.defaults == {"registered": "pop 2024/25", "weighted": "Final PMC WP"} | UNREAD
    # codes, names and the empty LOC22 are not offered; the published spacing is tidied
    assert choices.candidates == (
        "Patients",
        "pop 2024/25",
        "G&A WP",
        "CS WP",
        "MH WP",
        "Mat WP",
        "Health Ineq WP",
        "Prescr WP",
        "Final WP",
        "Primary Medical Care need",
        "Final PMC WP",
    )
    said = choices.describe("Final PMC WP")
    assert said.startswith("Final PMC WP is the allocation formula's need-weighted population")
    assert "not the contractor (Carr-Hill) weighted list the DES pays on" in said
    assert "projected" in choices.describe("pop 2024/25")
    assert "not a primary care list" in meaning("Final WP ")
    assert choices.describe("none", "weighted").startswith("Nothing is imported")
    assert "has no column known to hold this measure" in choices.describe("none", "qof_points")


def test_files_with_one_column_per_measure_offer_no_choice(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("org_code,measure,year,value\nA81001,adjusted,2024/25,31000\n")
    assert column_choices(plain) is None
    lean = column_choices(write_csv(tmp_path / "lean.csv", SUFFIXED))
    assert lean is not None and not lean.needs_choice()


def test_a_file_without_its_weighted_column_asks_rather_than_refuses(tmp_path: Path) -> None:
    path = tmp_path / "no_pmc.csv"
    path.write_text("Practice_Code,Population,Final WP\nA81001,4123.6,4390.7\n")
    choices = column_choices(path)
    assert choices is not None and choices.needs_choice()
    assert choices.defaults == {"registered": "Population", "weighted": None} | UNREAD
    not_populations = tmp_path / "other.csv"
    not_populations.write_text("a,b\n1,2\n")
    with pytest.raises(BookError, match="no column for Practice_Code"):
        column_choices(not_populations)


def test_the_choice_is_what_the_importer_reads(blank: Book, tmp_path: Path) -> None:
    path = write_allocation(tmp_path / "alloc.csv")
    report = import_populations(blank, path, columns={"registered": "Patients", "weighted": "none"})
    assert report.values_set == 3
    rows = blank.conn.execute("SELECT measure, value FROM populations ORDER BY value").fetchall()
    assert rows == [("registered", 4100.0), ("registered", 8020.0), ("registered", 15790.0)]
    lines = report.lines()
    assert any(x.startswith("The registered list from column 'Patients' (chosen):") for x in lines)
    assert "No weighted list imported (column chosen: none)." in lines
    # choosing the usual column is no choice: the report reads as without --column
    usual = import_populations(blank, path, columns={"weighted": "final pmc wp"}).lines()
    assert any(x.startswith("The weighted list from column 'Final PMC WP': the") for x in usual)


def test_an_allocation_workbook_offers_the_same_choices(tmp_path: Path) -> None:
    rows = list(csv.reader(write_allocation(tmp_path / "a.csv").open(encoding="utf-8-sig")))
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    sheet = wb.create_sheet("GP_wp_202425")
    for row in rows:
        sheet.append([float(v) if v.replace(".", "").isdigit() else v for v in row])
    wb.save(tmp_path / "a.xlsx")
    from_book, from_csv = column_choices(tmp_path / "a.xlsx"), column_choices(tmp_path / "a.csv")
    assert from_book is not None and from_csv is not None
    assert from_book.candidates == from_csv.candidates  # the sheet named for its year is read
    assert from_book.defaults == from_csv.defaults


def test_a_named_column_fills_any_measure_of_the_book(blank: Book, tmp_path: Path) -> None:
    path = tmp_path / "beds.csv"
    path.write_text(
        "Practice_Code,ICB23,CCG23,Population,Final PMC WP,Care home beds\n"
        "A81001,QHM,16C,4123.6,4480.2,12\nA81002,QHM,16C,15812.1,16740.9,0\n"
    )
    choices = column_choices(path)
    assert choices is not None and choices.needs_choice()  # beds could be read: ask
    assert choices.defaults["care_home_beds"] is None
    report = import_populations(
        blank, path, year="2024/25", columns={"care_home_beds": "Care home beds"}
    )
    beds = blank.conn.execute(
        "SELECT value FROM populations WHERE measure = 'care_home_beds' ORDER BY value"
    ).fetchall()
    assert beds == [(0.0,), (12.0,)] and report.values_set == 6
    assert "The care home beds from column 'Care home beds' (chosen): a column" in "\n".join(
        report.lines()
    )
    with pytest.raises(BookError, match="fills registered, weighted, adjusted"):
        import_populations(blank, path, columns={"beds": "Care home beds"})
