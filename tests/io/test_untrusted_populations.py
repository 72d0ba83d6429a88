"""Population and PCN membership files from anyone: what is wrong is reported by row (header =
row 1, as a spreadsheet shows it), what is ambiguous is refused, and nothing is half-imported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import Book, BookError
from pcbudget.book.bounds import MAX_NAME
from pcbudget.io import nhs_populations
from pcbudget.io.csv_text import MAX_ROWS
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.rate_catalogue import new_blank_book

HEADER = "Practice_Code,GP_Practice_Name,PCN_Code,PCN_Name,ICB,Population,Final PMC WP\n"


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


def pops(tmp_path: Path, *rows: str, name: str = "pops.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def names(book: Book) -> dict[str, str]:
    return dict(book.conn.execute("SELECT code, name FROM orgs").fetchall())


def test_a_name_past_the_bound_skips_its_row(blank: Book, tmp_path: Path) -> None:
    long = "N" * (MAX_NAME + 1)
    path = pops(
        tmp_path,
        "A1,Short,U00001,North PCN,QHM,4000,4400",
        f"A2,{long},U00001,North PCN,QHM,10,10",
        f"A3,Third,U00002,{'P' * 1000},QHM,10,10",
    )
    report = import_populations(blank, path, year="2024/25")
    assert report.skipped == [
        (3, f"the name of A2 is {MAX_NAME + 1} characters; the most is {MAX_NAME}"),
        (4, f"the name of U00002 is 1,000 characters; the most is {MAX_NAME}"),
    ]
    stored = names(blank)
    assert stored["A1"] == "Short" and "A2" not in stored and "U00002" not in stored


def refused(book: Book, path: Path, match: str) -> str:
    """The one-line message of a refused import; nothing was written."""
    before = book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    with pytest.raises(BookError, match=match) as caught:
        import_populations(book, path, year="2024/25")
    assert book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == before
    assert list(names(book)) == ["ENG"]
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400
    return message


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                "A1,One,U00001,North,QHM,4000,4400",
                "B1,Two,U00001,North,QHM,10,10",
                "A1,One,U00001,North,QHM,4000,4500",
            ],
            "practice A1 has two different populations, at rows 2 and 4",
        ),
        (
            ["A1,One,U00001,North,QHM,4000,4400", "A1,One,U00002,South,QHM,4000,4400"],
            "practice A1 is in two PCNs, U00001 and U00002, at rows 2 and 3",
        ),
        (
            ["A1,One,U00001,North,QHM,4000,4400", "A1,One,U,,QHM,4000,4400"],
            "practice A1 is in two PCNs, U00001 and no PCN, at rows 2 and 3",
        ),
        (
            ["A1,One,U00001,North,QHM,4000,4400", "A1,Other name,U00001,North,QHM,4000,4400"],
            "practice A1 has different names or places at rows 2 and 3",
        ),
        (
            ["B1,Two,U00001,North,QHM,10,10", "U00001,One,U00001,North,QHM,4000,4400"],
            "U00001 is both a PCN and a practice at rows 2 and 3",
        ),
        (
            ["A1,One,A1,North,QHM,4000,4400"],
            "A1 is both a practice and a PCN at row 2",
        ),
    ],
    ids=["figures", "two-pcns", "pcn-and-none", "names", "pcn-code-as-practice", "own-pcn"],
)
def test_an_ambiguous_file_is_refused_naming_the_rows(
    blank: Book, tmp_path: Path, rows: list[str], message: str
) -> None:
    assert message in refused(blank, pops(tmp_path, *rows), "ambiguous, so nothing was imported")


def test_an_exact_repeat_is_reported_and_taken_once(blank: Book, tmp_path: Path) -> None:
    row = "A1,One,U00001,North,QHM,4000,4400"
    path = pops(tmp_path, row, "B1,Two,U00001,North,QHM,10,10", row, row)
    report = import_populations(blank, path, year="2024/25")
    assert report.repeated == [(4, 2), (5, 2)]
    assert "Row 4: the same as row 2: taken once." in report.lines()
    assert report.values_set == 4 and report.added["practice"] == 2


def write_bytes(tmp_path: Path, *rows: bytes, bom: bool = False) -> Path:
    path = tmp_path / "pops.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + HEADER.encode() + b"\n".join(rows))
    return path


def test_a_nul_byte_is_refused_naming_its_row(blank: Book, tmp_path: Path) -> None:
    path = write_bytes(
        tmp_path,
        b'A1,"The\nHealth Centre",U00001,North,QHM,4000,4400',  # a cell with a line break
        b"A2\x00,Two,U00001,North,QHM,10,10",
    )
    assert refused(blank, path, "NUL").startswith("Row 3 of pops.csv holds a NUL byte")


def test_windows_1252_files_still_read(blank: Book, tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "A1,Café Surgery,U00001,North,QHM,4000,4400".encode("cp1252"))
    import_populations(blank, path, year="2024/25")
    assert names(blank)["A1"] == "Café Surgery"


@pytest.mark.parametrize(
    ("rows", "bom", "message"),
    [
        (  # 0x81 means nothing in Windows-1252
            [b"A1,One,U00001,North,QHM,4000,4400", b"A2,Tw\x81o,U00001,North,QHM,10,10"],
            False,
            r"Row 3 of pops.csv holds a byte \(0x81\) that is neither UTF-8 nor Windows-1252",
        ),
        (  # a UTF-8 file (it says so) with one damaged byte
            [b"A1,One,U00001,North,QHM,4000,4400", b"A2,\xff,U00001,North,QHM,10,10"],
            True,
            r"Row 3 of pops.csv holds a byte \(0xFF\) that is not UTF-8 text",
        ),
        (  # UTF-8 letters before the damage, no byte-order mark
            ["A1,Caf\u00e9,U00001,North,QHM,4000,4400".encode(), b"A2,\xe9x,U00001,N,QHM,1,1"],
            False,
            r"Row 3 of pops.csv holds a byte \(0xE9\) that is not UTF-8 text",
        ),
    ],
    ids=["not-cp1252", "damaged-utf8-bom", "damaged-utf8"],
)
def test_bytes_that_are_not_text_are_refused_naming_the_row(
    blank: Book, tmp_path: Path, rows: list[bytes], bom: bool, message: str
) -> None:
    refused(blank, write_bytes(tmp_path, *rows, bom=bom), message)


def test_utf16_and_huge_cells_are_refused_in_one_line(blank: Book, tmp_path: Path) -> None:
    path = tmp_path / "pops.csv"
    path.write_bytes((HEADER + "A1,One,U00001,North,QHM,4000,4400\n").encode("utf-16"))
    refused(blank, path, "UTF-16")
    huge = write_bytes(
        tmp_path,
        b"A1,One,U00001,North,QHM,4000,4400",
        b"A2," + b"n" * 200_000 + b",U00001,North,QHM,10,10",
    )
    refused(blank, huge, "Row 3 of pops.csv cannot be read as csv")


def test_a_file_of_more_rows_than_england_has_practices_is_refused(
    blank: Book, tmp_path: Path
) -> None:
    """A 1,000,000-row population file once made a 1.18 GB book."""
    rows = (f"P{i:06d},Practice,U00001,North,QHM,10,10" for i in range(MAX_ROWS + 1))
    message = refused(blank, pops(tmp_path, *rows), "more than 100,000 rows")
    assert message.startswith("pops.csv has more than 100,000 rows")


def test_a_workbook_of_too_many_rows_is_refused(
    blank: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nhs_populations, "MAX_ROWS", 3)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    for i in range(4):
        ws.append([f"P{i}", "Practice", "U00001", "North", "QHM", 10, 10])
    path = tmp_path / "pops.xlsx"
    wb.save(path)
    refused(blank, path, "pops.xlsx has more than 3 rows")
