"""PCN membership from NHS Payments to General Practice (PCN columns by shape, mislabelled in
2022/23) and from a plain csv; practices move under their PCN as one undoable operation."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pcbudget.book import Book, BookError, open_book
from pcbudget.book.organisations import add_line, add_org, move_org
from pcbudget.book.structure import load_structure
from pcbudget.book.undo_history import undo
from pcbudget.engine import Model
from pcbudget.io.csv_text import MAX_ROWS
from pcbudget.io.membership_file import read_membership, year_from_name
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.pcn_membership import import_membership

from ..test_cli import run
from .payments_files import practice, write_payments
from .test_population_tree import WEIGHTED_2025, blank, tree, write_file

#: The book's practices (from test_population_tree): A81001, A81002 (16C), A82001 (01H), B82001
#: (03Q). Weighted lists 4,400 and 5,500.5 for A81001 and A81002.
PAID_2021 = [
    practice("A81001", "U89141", "North PCN"),
    practice("A81002", "U89141", "North PCN"),
    practice("A82001", "U", ""),
    practice("B82001", "u12345", "York South PCN", "03Q"),
    practice("Z99999", "U55555", "Elsewhere PCN", "99X"),
]
PAID_2022 = [
    practice("A81001", "U89141", "North  PCN"),
    practice("A81002", "U89141", "North PCN"),
    practice("A82001", "X999", "Odd PCN", "01H"),
    practice("B82001", "U12345", "York South PCN", "03Q"),
    practice("Z99999", "U55555", "Elsewhere PCN", "99X"),
]


@pytest.fixture
def book(tmp_path: Path) -> Book:
    """A 2025/26-2026/27 book with the population file's tree and a PCN-level per-head line."""
    made = blank(tmp_path / "icb.pcbook")
    made.close()
    made = open_book(tmp_path / "icb.pcbook")
    import_populations(made, write_file(tmp_path / "pops.csv", WEIGHTED_2025))
    add_line(
        made,
        "pcn_local",
        "PCN local scheme",
        section="pcn",
        budget_type="CC",
        level="pcn",
        basis="per_head",
        measure="weighted",
        rate="2.50",
    )
    return made


def pcn_amount(book: Book, org: str, line: str = "pcn_local", year: int = 0) -> int:
    model = Model(book)
    s = model.structure
    return int(
        model.results.own[
            model.snapshot.org_index[s.org(org).id],
            model.snapshot.line_index[s.line(line).id],
            year,
        ]
    )


@pytest.mark.parametrize(
    ("year", "name"),
    [
        ("2019/20", "nhspaymentsgp-19-20-csv.csv"),
        ("2020/21", "nhspaymentsgp-20-21-csv.csv"),
        ("2021/22", "nhspaymentsgp-21-22-csv.csv"),
        ("2022/23", "nhspaymentsgp-22-23-csv.csv"),
    ],
)
def test_each_payments_layout_gives_the_same_membership(
    tmp_path: Path, year: str, name: str
) -> None:
    read = read_membership(write_payments(tmp_path / name, year, PAID_2021))
    assert read.layout == "NHS Payments to General Practice"
    frame = read.frame.set_index("practice")
    assert list(frame.index) == ["A81001", "A81002", "A82001", "B82001", "Z99999"]
    assert list(frame["pcn"]) == ["U89141", "U89141", "U", "U12345", "U55555"]
    assert frame.loc["B82001", "pcn_name"] == "York South PCN"
    assert set(frame["from_year"]) == {year}  # a payments file's year, from its name
    assert list(frame["row"]) == [2, 3, 4, 5, 6]
    assert read.not_understood == []


def test_the_2022_23_pcn_columns_are_found_by_shape_with_ccg_name_twice(tmp_path: Path) -> None:
    path = write_payments(tmp_path / "p.csv", "2022/23", PAID_2022)
    text = path.read_text(encoding="utf-8-sig").replace("Sub ICB NAME", "CCG NAME", 1)
    path.write_text(text, encoding="utf-8")
    read = read_membership(path)
    frame = read.frame.set_index("practice")
    assert frame.loc["A81001", "pcn"] == "U89141"
    assert frame.loc["A81001", "pcn_name"] == "North PCN"  # not the sub-ICB's CCG NAME
    assert frame.loc["A81001", "from_year"] == ""  # no year in the file's name
    assert read.not_understood == [(4, "PCN code 'X999' is not a PCN code (U and five digits)")]


def test_year_from_published_file_names() -> None:
    assert year_from_name("nhspaymentsgp-22-23-csv.csv") == "2022/23"
    assert year_from_name("NHS Payments 2019-20.csv") == "2019/20"
    assert year_from_name("payments.csv") is None


def test_payments_membership_moves_practices_and_fills_the_pcn_line(
    book: Book, tmp_path: Path
) -> None:
    # Before: no PCN in the book, so a line held at PCN level is nothing anywhere.
    assert "U89141" not in tree(book)
    first = write_payments(tmp_path / "nhspaymentsgp-21-22-csv.csv", "2021/22", PAID_2021)
    report = import_membership(book, first)
    assert (report.moved, report.pcns_added, report.no_pcn, report.already) == (3, 2, 1, 0)
    assert report.not_in_book == [(6, "practice Z99999 is not in this book")]
    t = tree(book)
    assert t["U89141"] == ("pcn", "16C") and t["U12345"] == ("pcn", "03Q")
    assert t["A81001"] == ("practice", "U89141") and t["A81002"] == ("practice", "U89141")
    assert t["A82001"] == ("practice", "01H")  # the 'U' placeholder: left where it was
    assert load_structure(book.conn).org("U89141").name == "North PCN"
    # By hand: (4,400 + 5,500.5) weighted x £2.50 = £24,751.25, in both years (no growth).
    assert pcn_amount(book, "U89141") == 2_475_125
    assert pcn_amount(book, "U89141", year=1) == 2_475_125
    assert pcn_amount(book, "U12345") == 2_375_000  # 9,500 x £2.50
    # The mislabelled 2022/23 file agrees, so it changes nothing; its bad code is reported.
    again = import_membership(
        book, write_payments(tmp_path / "nhspaymentsgp-22-23-csv.csv", "2022/23", PAID_2022)
    )
    assert (again.moved, again.pcns_added, again.already, again.change) == (0, 0, 3, None)
    assert again.not_understood == [(4, "PCN code 'X999' is not a PCN code (U and five digits)")]
    assert any("Row 4: PCN code 'X999'" in line for line in again.lines())


def test_the_import_is_one_undo_step(book: Book, tmp_path: Path) -> None:
    before = tree(book)
    import_membership(book, write_payments(tmp_path / "p.csv", "2021/22", PAID_2021))
    change = undo(book)
    assert "Import PCN membership from p.csv" in change.label
    assert tree(book) == before


def test_plain_csv_with_from_year_and_rows_not_used(book: Book, tmp_path: Path) -> None:
    plain = tmp_path / "pcns.csv"
    plain.write_text(
        "practice_code,pcn_code,pcn_name,from_year\n"
        "A81001,U89141,North PCN,2019/20\n"  # row 2: superseded by row 3
        "A81001,U89142,Queens PCN,2024/25\n"  # row 3: applies (the book's first year)
        "A81002,U89142,Queens PCN,\n"  # row 4: no year: from the start
        "\n"  # row 5: blank
        "A82001,U77777,Later PCN,2026/27\n"  # row 6: a dated move: from 2026/27
        "B82001,X999,Bad,\n"  # row 7: not a PCN code
        ",U89141,No practice,\n"  # row 8
        "B82001,U12345,York,next year\n"  # row 9: not a year
        "Z99999,U12345,York,\n"  # row 10: not in the book
        "A81002,U89142,Queens PCN,\n"  # row 11: row 4 again: taken once
        "QHM,U12345,York,\n",  # row 12: an ICB, not a practice
        encoding="utf-8",
    )
    report = import_membership(book, plain)
    assert report.layout == "plain csv" and report.rows == 10
    assert report.moved == 2 and report.pcns_added == 2
    t = tree(book)
    assert t["U89142"] == ("pcn", "16C") and "U89141" not in t
    assert t["A81001"] == ("practice", "U89142") and t["A81002"] == ("practice", "U89142")
    assert t["A82001"] == ("practice", "01H")  # in the first year; U77777 from 2026/27
    s = load_structure(book.conn)
    assert s.parent_in(s.org("A82001").id, 1) == s.org("U77777").id
    assert report.dated == [(6, "A82001 moves to U77777 from 2026/27")]
    assert report.not_applied == []
    assert [r for r, _ in report.not_understood] == [7, 8, 9, 12]
    assert report.repeated == [(11, 4)]
    assert report.not_in_book == [(10, "practice Z99999 is not in this book")]
    text = "\n".join(report.lines())
    assert "Row 6: A82001 moves to U77777 from 2026/27" in text
    assert "Row 12: QHM is not a practice in this book (it is an icb)" in text
    assert "Row 11: the same as row 4: taken once." in text


def test_a_practice_changing_pcn_gets_the_new_pcn_beside_the_old(
    book: Book, tmp_path: Path
) -> None:
    add_org(book, "U89141", "North PCN", "pcn", "16C")
    move_org(book, "A81001", "U89141")
    plain = tmp_path / "pcns.csv"
    plain.write_text("practice_code,pcn_code,pcn_name\nA81001,U89142,Queens PCN\n")
    report = import_membership(book, plain)
    t = tree(book)
    assert t["U89142"] == ("pcn", "16C") and t["A81001"] == ("practice", "U89142")
    assert report.emptied == ["U89141"]
    assert "PCNs left with no practices (1; close or move them by hand): U89141" in report.lines()


def test_cli_imports_and_refuses_with_one_line(book: Book, tmp_path: Path) -> None:
    path = book.path
    book.close()
    payments = write_payments(tmp_path / "nhspaymentsgp-21-22-csv.csv", "2021/22", PAID_2021)
    code, out, err = run("import-pcns", path, payments)
    assert code == 0, err
    assert "Practices moved into their PCN: 3" in out
    assert "Row 6: practice Z99999 is not in this book" in out
    assert run("check", path)[0] == 0
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    odd = tmp_path / "odd.csv"
    odd.write_text("name,amount\nx,1\n")
    for bad in (odd, tmp_path / "missing.csv"):
        code, out, err = run("import-pcns", path, bad)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "no practice_code" in run("import-pcns", path, odd)[2]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_file_without_pcn_codes_is_refused(book: Book, tmp_path: Path) -> None:
    plain = tmp_path / "pcns.csv"
    plain.write_text("practice_code,name\nA81001,North\n")
    with pytest.raises(BookError, match="no column of PCN codes"):
        import_membership(book, plain)
    workbook = tmp_path / "epcn.xlsx"
    workbook.write_bytes(b"PK\x03\x04")  # a damaged workbook: refused by the workbook checks
    with pytest.raises(BookError, match="not an Excel workbook"):
        import_membership(book, workbook)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                "A81001,U89141,North PCN,2024/25",
                "A81002,U89141,North PCN,",
                "A81001,U89142,Queens PCN,2024/25",
            ],
            "practice A81001 is in two PCNs from 2024/25, U89141 and U89142, at rows 2 and 4",
        ),
        (
            ["A81001,U89141,North PCN,", "A81001,U,,"],
            "practice A81001 is in two PCNs, U89141 and no PCN, at rows 2 and 3",
        ),
        (  # a practice outside the book makes the file no less contradictory
            ["Z99999,U89141,North PCN,", "Z99999,U89142,Queens PCN,"],
            "practice Z99999 is in two PCNs, U89141 and U89142, at rows 2 and 3",
        ),
        (["U12345,U12345,Odd PCN,"], "U12345 is both a practice and a PCN at row 2"),
        (
            ["U89141,U12345,York PCN,", "A81001,U89141,North PCN,"],
            "U89141 is both a practice and a PCN at rows 2 and 3",
        ),
    ],
    ids=["two-pcns", "pcn-and-none", "not-in-book", "own-pcn", "pcn-as-practice"],
)
def test_an_ambiguous_membership_file_is_refused_naming_the_rows(
    book: Book, tmp_path: Path, rows: list[str], message: str
) -> None:
    plain = tmp_path / "pcns.csv"
    plain.write_text("practice_code,pcn_code,pcn_name,from_year\n" + "\n".join(rows) + "\n")
    before = tree(book)
    with pytest.raises(BookError, match="ambiguous, so nothing was imported") as caught:
        import_membership(book, plain)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert tree(book) == before


def test_a_payments_file_repeating_a_row_takes_it_once(book: Book, tmp_path: Path) -> None:
    paid = [*PAID_2021, PAID_2021[0]]
    report = import_membership(book, write_payments(tmp_path / "p-21-22.csv", "2021/22", paid))
    assert report.repeated == [(7, 2)] and report.moved == 3 and report.rows == 6
    assert "Row 7: the same as row 2: taken once." in report.lines()


def test_a_nul_byte_or_too_many_rows_is_refused_in_one_line(book: Book, tmp_path: Path) -> None:
    plain = tmp_path / "pcns.csv"
    plain.write_bytes(b"practice_code,pcn_code,pcn_name\nA81001,U89141,North\nA8\x002,U1,X\n")
    with pytest.raises(BookError, match=r"^Row 3 of pcns\.csv holds a NUL byte"):
        import_membership(book, plain)
    rows = "".join(f"P{i:05d},U89141,North\n" for i in range(MAX_ROWS + 1))
    plain.write_text("practice_code,pcn_code,pcn_name\n" + rows)
    with pytest.raises(BookError, match=r"^pcns\.csv has more than 100,000 rows"):
        import_membership(book, plain)


EPCN = [
    # practice, name, its sub-ICB, sub-ICB name, PCN, PCN name, PCN sub-ICB, name, start, end, match
    ["A81001", "THE HEALTH CENTRE", "16C", "TEES VALLEY", "U89141", "NORTH PCN", "16C", "TEES",
     "2019-07-01", "2024-03-31", "Y"],  # history: ended
    ["A81001", "THE HEALTH CENTRE", "16C", "TEES VALLEY", "U89142", "QUEENS PCN", "16C", "TEES",
     "2024-04-01", "", "Y"],
    ["A81002", "QUEENS PARK", "16C", "TEES VALLEY", "U89142", "QUEENS PCN", "16C", "TEES",
     "2019-07-01", "", "Y"],
    ["A82001", "MOOR LANE", "01H", "NORTH CUMBRIA", "U77777", "LATER PCN", "01H", "CUMBRIA",
     "2026-10-01", "", "Y"],  # starts after the book's first year
]  # fmt: skip


def _epcn_csv(path: Path, *, header: bool) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        if header:
            from pcbudget.io.membership_file import EPCN_HEADERS

            out.writerow(EPCN_HEADERS)
        out.writerows(EPCN)
    return path


def _check_epcn(book: Book, report) -> None:  # type: ignore[no-untyped-def]
    assert report.layout == "NHS Digital ePCN core partner details"
    t = tree(book)
    assert t["A81001"] == ("practice", "U89142")  # the current relationship, from 2024/25
    assert t["A81002"] == ("practice", "U89142")
    assert t["A82001"] == ("practice", "01H")  # October 2026: a dated move, from 2026/27
    notes = dict(report.not_applied)
    assert "ended 2024-03-31: history, not applied" in notes[2]
    assert dict(report.dated)[5] == "A82001 moves to U77777 from 2026/27"


@pytest.mark.parametrize("header", [True, False], ids=["with header", "ODS report, no header"])
def test_epcn_core_partner_details_csv(book: Book, tmp_path: Path, header: bool) -> None:
    path = _epcn_csv(tmp_path / "epcncorepartnerdetails.csv", header=header)
    _check_epcn(book, import_membership(book, path))


def test_epcn_workbook_sheet(book: Book, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    from pcbudget.io.membership_file import EPCN_HEADERS

    wb = openpyxl.Workbook()
    wb.active.title = "PCNDetails"
    wb.active.append(["PCN Code", "PCN Name"])
    ws = wb.create_sheet("PCN Core Partner Details")
    ws.append(list(EPCN_HEADERS))
    for row in EPCN:
        cells: list[object] = list(row)
        for i in (8, 9):  # the workbook holds real dates
            cells[i] = dt.datetime.fromisoformat(row[i]) if row[i] else None
        ws.append(cells)
    wb.save(tmp_path / "ePCN.xlsx")
    _check_epcn(book, import_membership(book, tmp_path / "ePCN.xlsx"))


def test_a_practice_changing_pcn_in_a_later_year_moves_from_that_year(
    book: Book, tmp_path: Path
) -> None:
    plain = tmp_path / "pcns.csv"
    plain.write_text(
        "practice_code,pcn_code,pcn_name,from_year\n"
        "A81001,U89141,North PCN,2019/20\n"
        "A81001,U89142,Queens PCN,2026/27\n"
        "A81002,U89141,North PCN,2030/31\n",  # after the book's last year: not applied
        encoding="utf-8",
    )
    report = import_membership(book, plain)
    s = load_structure(book.conn)
    a81001 = s.org("A81001").id
    north, queens = s.org("U89141").id, s.org("U89142").id
    assert [s.parent_in(a81001, y) for y in range(2)] == [north, queens]
    assert report.dated == [(3, "A81001 moves to U89142 from 2026/27")]
    assert "Row 3: A81001 moves to U89142 from 2026/27" in report.lines()
    assert [r for r, _ in report.not_applied] == [4]
    model = Model(book)
    li = model.snapshot.line_index[s.line("pcn_local").id]
    rolled = model.results.rolled[:, li]
    n, q = model.snapshot.org_index[north], model.snapshot.org_index[queens]
    assert rolled[n, 0] > 0 and rolled[n, 1] == 0 and rolled[q, 0] == 0 and rolled[q, 1] > 0
    assert run("check", book.path)[0] == 0
    undo(book)
    assert load_structure(book.conn).moves == {}
