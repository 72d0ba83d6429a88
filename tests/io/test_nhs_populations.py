"""NHS England practice population files, in both published header styles and their quirks."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import Book, BookError, open_book
from pcbudget.engine import Model
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.rate_catalogue import new_blank_book

SUFFIXED = [
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
    "Patients",
    "pop 2024/25",
    "G&A WP",
    "Health Ineq  WP",
    "Final WP ",
    "Primary Medical Care need",
    "Final PMC WP",
]
AGNOSTIC = [
    "Practice_Code",
    "GP_Practice_Name",
    "CCG",
    "Former CCG",
    "PCN_Code",
    "PCN_Name",
    "LOC",
    "LOCname",
    "ICB",
    "ICBname",
    "Rcode",
    "Region",
    "Patients",
    "Population",
    "Final WP",
    "Primary Medical Care WP",
    "Final PMC WP",
]
PRACTICES = [
    # code, name, pcn, pcn name, loc, loc name, icb, icb name, region, region name, registered,
    # weighted
    (
        "A81001",
        "The Health Centre",
        "U00001",
        "North PCN",
        "16C",
        "Tees Valley",
        "QHM",
        "North East ICB",
        "Y63",
        "North East",
        4123.6,
        4480.2,
    ),
    (
        "A81002",
        "Queens Park",
        "U00001",
        "North PCN",
        "16C",
        "Tees Valley",
        "QHM",
        "North East ICB",
        "Y63",
        "North East",
        15812.1,
        16740.9,
    ),
    (
        "A81003",
        "Victoria Medical",
        "U",
        "",
        "16C",
        "Tees Valley",
        "QHM",
        "North East ICB",
        "Y63",
        "North East",
        3300.0,
        3102.5,
    ),
    (
        "B82001",
        "Moor Lane",
        "",
        "",
        "03Q",
        "Vale of York",
        "QOQ",
        "Humber ICB",
        "Y63",
        "North East",
        9000.4,
        9500.0,
    ),
    (
        "",
        "No code practice",
        "U00002",
        "X",
        "03Q",
        "Vale of York",
        "QOQ",
        "Humber ICB",
        "Y63",
        "North East",
        1,
        1,
    ),
    (
        "B82005",
        "Bad numbers",
        "U00002",
        "X",
        "03Q",
        "Vale of York",
        "QOQ",
        "Humber ICB",
        "Y63",
        "North East",
        "n/a",
        10,
    ),
    (
        "B82006",
        "Negative",
        "U00002",
        "X",
        "03Q",
        "Vale of York",
        "QOQ",
        "Humber ICB",
        "Y63",
        "North East",
        -5,
        10,
    ),
]


def _row(style: list[str], p: tuple) -> list[object]:  # type: ignore[type-arg]
    values = {"practice_code": p[0], "gp_practice_name": p[1], "pcn_code": p[2], "pcn_name": p[3]}
    out = []
    for h in style:
        key = h.strip().lower()
        if key in values:
            out.append(values[key])
        elif key in ("loc22", "loc"):
            out.append(p[4])
        elif key in ("loc22name", "locname"):
            out.append(p[5])
        elif key in ("icb23", "icb"):
            out.append(p[6])
        elif key in ("icb23name", "icbname"):
            out.append(p[7])
        elif key in ("r23", "rcode"):
            out.append(p[8])
        elif key in ("region23", "region"):
            out.append(p[9])
        elif key in ("pop 2024/25", "population"):
            out.append(p[10])
        elif key == "final pmc wp":
            out.append(p[11])
        elif key in ("ccg23", "ccg"):
            out.append(p[4])
        else:
            out.append("")
    return out


def write_csv(path: Path, style: list[str], *, bom: bool = True, messy: bool = True) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([f"  {h.upper()} " if messy else h for h in style])
    for p in PRACTICES:
        writer.writerow(_row(style, p))
    path.write_text(("\ufeff" if bom else "") + buf.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def blank(tmp_path: Path) -> Book:
    return new_blank_book(
        tmp_path / "england.pcbook",
        years=["2024/25", "2025/26"],
        name="England",
        root_code="ENG",
        root_name="England",
        rates="national",
    )


@pytest.mark.parametrize("style", [SUFFIXED, AGNOSTIC], ids=["year-suffixed", "year-agnostic"])
def test_csv_in_either_header_style_builds_the_tree(
    blank: Book, tmp_path: Path, style: list[str]
) -> None:
    path = write_csv(tmp_path / "pops.csv", style)
    year = None if style is SUFFIXED else "2024/25"
    report = import_populations(blank, path, year=year)
    assert report.year == "2024/25"
    assert report.added == {"region": 1, "icb": 2, "sub_icb": 2, "pcn": 1, "practice": 4}
    assert [r for r, _ in report.skipped] == [6, 7, 8]
    assert "not a number" in report.skipped[1][1] and "negative" in report.skipped[2][1]
    s = Model(blank).structure
    assert s.org("A81003").parent_id == s.org("16C").id  # the 'U' placeholder PCN is skipped
    assert s.org("B82001").parent_id == s.org("03Q").id  # a blank PCN code too
    assert s.org("A81001").parent_id == s.org("U00001").id
    model = Model(blank)
    pcn = model.snapshot.org_index[s.org("U00001").id]
    assert model.results.pop[pcn, 1, 0] == pytest.approx(4480.2 + 16740.9)  # weighted, summed
    arrs = model.snapshot.line_index[s.line("arrs").id]
    assert model.results.own[pcn, arrs, 1] == round((4480.2 + 16740.9) * 26.631 * 100)  # no growth
    assert model.results.own[pcn, arrs, 0] == round((4480.2 + 16740.9) * 22.894 * 100)


def test_xlsx_takes_the_year_from_the_sheet_name(blank: Book, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "GP_wp_202425"
    header = [h if h != "pop 2024/25" else "Population" for h in SUFFIXED]
    ws.append(header)
    for p in PRACTICES[:4]:
        ws.append(_row(SUFFIXED, p))
    path = tmp_path / "pops.xlsx"
    wb.save(path)
    report = import_populations(blank, path)
    assert report.year == "2024/25" and report.values_set == 8
    again = import_populations(blank, path)  # importing again changes nothing
    assert sum(again.added.values()) == 0 and again.values_changed == 0


def test_files_that_are_not_population_files_are_refused(blank: Book, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("name,amount\nx,1\n")
    with pytest.raises(BookError, match="Final PMC WP"):
        import_populations(blank, odd, year="2024/25")
    with pytest.raises(BookError, match="which year"):
        import_populations(blank, write_csv(tmp_path / "a.csv", AGNOSTIC))
    with pytest.raises(BookError, match="no year 2030/31"):
        import_populations(blank, write_csv(tmp_path / "b.csv", AGNOSTIC), year="2030/31")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Practice_Code,Final PMC WP")
    with pytest.raises(BookError, match="not an Excel workbook"):
        import_populations(blank, fake)
    assert Model(blank).structure.orgs[1:] == []  # nothing added on any failure


def test_one_command_builds_a_national_style_book(tmp_path: Path) -> None:
    pops = write_csv(tmp_path / "pops.csv", SUFFIXED)
    book = tmp_path / "new.pcbook"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pcbudget.cli",
            "new",
            str(book),
            "--populations",
            str(pops),
            "--rates",
            "national",
            "--first-year",
            "2024/25",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 practice" in proc.stdout
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pcbudget.cli",
            "summary",
            str(book),
            "--org",
            "QHM",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    arrs = next(r for r in csv.reader(io.StringIO(out)) if r[1] == "arrs")
    assert float(arrs[4]) == pytest.approx((4480.2 + 16740.9) * 22.894, abs=0.01)
    opened = open_book(book, write=False)
    opened.close()


def test_the_import_says_which_column_filled_which_measure_and_takes_a_choice(
    blank: Book, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", SUFFIXED)
    report = import_populations(blank, path)
    said = "\n".join(report.lines()).lower()
    assert "weighted list from column 'final pmc wp'" in said  # as the file spells it
    assert "need-weighted population for primary medical care, close to but not the" in said
    note = blank.conn.execute(
        "SELECT note FROM populations WHERE measure = 'weighted' LIMIT 1"
    ).fetchone()[0]
    assert note.lower().endswith("column 'final pmc wp'")
    # The user reads the weighted list from another column, or leaves it unset; a column
    # empty on every row (this file's 'Final WP') refuses every row: nothing is imported.
    with pytest.raises(BookError, match=r"Row 2: weighted: '' is not a number"):
        import_populations(blank, path, columns={"weighted": "Final WP"})
    report = import_populations(blank, path, columns={"weighted": "none"})
    assert report.values_set == 4  # registered only, for the four practices
    assert "No weighted list imported (column chosen: none)." in report.lines()
    with pytest.raises(BookError, match="no column 'Carr-Hill'"):
        import_populations(blank, path, columns={"weighted": "Carr-Hill"})
