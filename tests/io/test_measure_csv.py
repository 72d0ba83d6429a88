"""Any population measure from a plain csv `org_code,measure,year,value[,source]`: the PCN
adjusted population and care home beds NHS England's practice files do not carry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pcbudget.book import Book, BookError
from pcbudget.engine import Model
from pcbudget.io.measure_csv import import_measures, is_measure_csv

from ..helpers import icb_book
from ..test_cli import run


@pytest.fixture
def icb(tmp_path: Path):  # type: ignore[no-untyped-def]
    book = icb_book(
        tmp_path / "icb.pcbook",
        ["2025/26", "2026/27"],
        [("U12345", "A PCN", "pcn", "QHM"), ("A81001", "Surgery", "practice", "U12345")],
    )
    yield book
    book.close()


def _own(book: Book, org: str, line: str, y: int = 0) -> int:
    m = Model(book)
    s, snap = m.structure, m.snapshot
    return int(m.results.own[snap.org_index[s.org(org).id], snap.line_index[s.line(line).id], y])


def test_adjusted_population_and_beds_drive_their_lines(icb: Book, tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_text(
        "org_code,measure,year,value,source\n"
        'U12345,PCN adjusted,2025/26,"31,000",NHS England PCN adjusted populations Jan 2025\n'
        "U12345,care home beds,2025/26,120,\n"
        "A81001,registered,2025/26,29500,\n",
        encoding="utf-8",
    )
    assert is_measure_csv(path)
    report = import_measures(icb, path, today=dt.date(2026, 11, 23))
    assert report.by_measure == {"adjusted": 1, "care_home_beds": 1, "registered": 1}
    assert report.lines()[0].startswith(
        "measures.csv: set 1 adjusted, 1 care_home_beds, 1 registered"
    )
    assert _own(icb, "U12345", "enhanced_access") == 261_237_00  # 31,000 x £8.427
    assert _own(icb, "U12345", "care_home_premium") > 0  # per bed, now that beds are known
    note = icb.conn.execute("SELECT note FROM populations WHERE measure = 'adjusted'").fetchone()[0]
    assert note == "NHS England PCN adjusted populations Jan 2025, imported 2026-11-23"
    other = icb.conn.execute(
        "SELECT note FROM populations WHERE measure = 'registered'"
    ).fetchone()[0]
    assert other == "measures.csv, imported 2026-11-23"  # the file, when the row names no source


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("U12345,adjusted,2025/26,-5\n", "row 3: U12345 adjusted: '-5' is negative"),
        ("U12345,adjusted,2025/26,inf\n", "row 3: U12345 adjusted: 'inf' is not a number"),
        ("NOPE,adjusted,2025/26,5\n", "row 3: There is no organisation 'NOPE'"),
        ("U12345,patients,2025/26,5\n", "row 3: 'patients' is not a measure"),
        ("U12345,adjusted,2031/32,5\n", "row 3:"),
        (
            "U12345,adjusted,2025/26,5\nU12345,adjusted,2025/26,6\n",
            "rows 3 and 4 give U12345 adjusted 2025/26 two figures",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    icb: Book, tmp_path: Path, rows: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("org_code,measure,year,value\nA81001,registered,2025/26,100\n" + rows)
    before = icb.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    with pytest.raises(
        BookError, match=message.replace("row 2", "row 3").replace("rows 2 and 3", "rows 3 and 4")
    ):
        import_measures(icb, path)
    assert icb.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == before
    assert icb.conn.execute("SELECT count(*) FROM populations").fetchone()[0] == 0


def test_import_populations_on_the_command_line_takes_the_plain_layout(
    icb: Book, tmp_path: Path
) -> None:
    path = tmp_path / "beds.csv"
    path.write_text("Org_Code,Measure,Year,Value\nU12345,beds,2026/27,88\n")
    book_path = icb.path
    icb.close()
    code, out, err = run("import-populations", book_path, path)
    assert code == 0, err
    assert "set 1 care_home_beds for 1 organisation(s) in 2026/27" in out


def test_qof_points_from_a_csv_drive_the_qof_line(icb: Book, tmp_path: Path) -> None:
    path = tmp_path / "qof.csv"
    path.write_text(
        "org_code,measure,year,value,source\nA81001,QOF points,2025/26,540,CQRS 2024/25\n",
        encoding="utf-8",
    )
    report = import_measures(icb, path, today=dt.date(2026, 11, 23))
    assert report.by_measure == {"qof_points": 1}
    assert _own(icb, "A81001", "qof") == 119_134_80  # 540 points x £220.62 (carried, assumed)
