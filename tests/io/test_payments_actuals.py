"""NHS Payments to General Practice as a year's actuals: columns to lines, practices to their
CCG by ODS code, what was left out reported with its total, a re-import replacing the year."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.io.csv_text import MAX_ROWS
from pcbudget.io.payments_actuals import import_payments_actuals

from ..test_cli import run
from .payments_files import practice, write_payments


def _file(tmp_path: Path, year: str = "2019/20") -> Path:
    rows = [
        practice("C82001", "U11111", "City PCN", sub_icb="04C"),  # Leicester City's ODS code
        practice("C82002", "U11111", "City PCN", sub_icb="04C"),
        practice("C82003", "U22222", "East PCN", sub_icb="03W"),  # East Leics and Rutland
        practice("Y99999", "U33333", "Far PCN", sub_icb="99X"),  # not in this book
    ]
    return write_payments(tmp_path / f"nhspaymentsgp-{year[2:4]}-{year[5:]}-csv.csv", year, rows)


def test_payments_become_the_years_actuals(sample_path: Path, tmp_path: Path) -> None:
    path = _file(tmp_path)
    with open_book(sample_path) as book:
        done = import_payments_actuals(book, path)
    assert done.year == "2019/20"
    assert any("attached to their CCG" in n for n in done.notes)
    assert any("outside the book were left out" in n for n in done.notes)
    assert any(n.startswith("Not imported: Deductions") for n in done.notes)
    _, out, _ = run("summary", sample_path, "--org", "LC", "--view", "actual", "--format", "csv")
    rows = {(r["section"], r["line"]): r for r in csv.DictReader(io.StringIO(out))}
    # Two Leicester City practices of £400,000.10 global sum each, hand-added.
    assert rows[("co_commissioning", "core_contract")]["2019/20"] == "800000.20"
    assert rows[("pcn", "pcn_participation")]["2019/20"] == "15780.24"
    assert rows[("co_commissioning", "core_contract")]["2020/21"] == ""
    # The same file again replaces the year: nothing is counted twice.
    with open_book(sample_path) as book:
        import_payments_actuals(book, path)
    _, out, _ = run("summary", sample_path, "--org", "LLR", "--view", "actual", "--format", "csv")
    rows = {(r["section"], r["line"]): r for r in csv.DictReader(io.StringIO(out))}
    assert rows[("co_commissioning", "core_contract")]["2019/20"] == "1200000.30"


@pytest.mark.parametrize("year", ["2019/20", "2020/21", "2021/22", "2022/23"])
def test_the_cli_reads_each_years_payments_layout_as_actuals(
    sample_path: Path, tmp_path: Path, year: str
) -> None:
    # Each layout: BOM, headers with line breaks, and in 2022/23 the PCN columns mislabelled.
    code, out, _ = run("import-actuals", sample_path, _file(tmp_path, year))
    assert code == 0 and f"for {year}" in out and "in M12" in out
    _, out, _ = run("summary", sample_path, "--org", "LC", "--view", "actual", "--format", "csv")
    rows = {(r["section"], r["line"]): r for r in csv.DictReader(io.StringIO(out))}
    assert rows[("co_commissioning", "core_contract")][year] == "800000.20"


def test_a_bad_amount_refuses_the_whole_file(sample_path: Path, tmp_path: Path) -> None:
    path = _file(tmp_path)
    text = path.read_text(encoding="utf-8").replace("400000.10", "four hundred", 1)
    path.write_text(text, encoding="utf-8")
    with open_book(sample_path) as book, pytest.raises(BookError, match="row 2: Global Sum"):
        import_payments_actuals(book, path)
    with open_book(sample_path, write=False) as book:
        assert book.conn.execute("SELECT count(*) FROM actuals").fetchone()[0] == 0


def test_a_file_that_is_not_text_or_too_long_is_refused_in_one_line(
    sample_path: Path, tmp_path: Path
) -> None:
    path = _file(tmp_path)
    raw = path.read_bytes()
    third = raw.index(b"C82002")
    path.write_bytes(raw[:third] + b"\x00" + raw[third:])
    code, out, err = run("import-actuals", sample_path, path)
    assert code == 2 and out == ""
    assert (
        err.startswith(f"pcbudget: Row 3 of {path.name} holds a NUL byte") and err.count("\n") == 1
    )
    path.write_text("Practice Code,Global Sum\n" + "A81001,1\n" * (MAX_ROWS + 1))
    with open_book(sample_path) as book, pytest.raises(BookError, match="more than 100,000 rows"):
        import_payments_actuals(book, path)
    with open_book(sample_path, write=False) as book:
        assert book.conn.execute("SELECT count(*) FROM actuals").fetchone()[0] == 0


def test_a_windows_1252_payments_file_still_reads(sample_path: Path, tmp_path: Path) -> None:
    path = _file(tmp_path)
    text = path.read_text(encoding="utf-8-sig").replace("Practice C82001", "Practice Caf\u00e9")
    path.write_bytes(text.encode("cp1252"))
    with open_book(sample_path) as book:
        assert import_payments_actuals(book, path).year == "2019/20"


def test_payments_leave_the_ledgers_other_lines_alone(sample_path: Path, tmp_path: Path) -> None:
    """A payments file covers practice payments, not out of hours: the ledger's out-of-hours
    actuals for the year survive it, while its core contract months are replaced."""
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "year,period,org,line,amount\n"
        "2019/20,M1,LC,out_of_hours,4000000\n2019/20,M1,LC,core_contract,3000000\n"
    )
    _, _, err = run("import-actuals", sample_path, ledger)
    with open_book(sample_path) as book:
        import_payments_actuals(book, _file(tmp_path))
    _, out, _ = run("summary", sample_path, "--org", "LC", "--view", "actual", "--format", "csv")
    rows = {(r["section"], r["line"]): r for r in csv.DictReader(io.StringIO(out))}
    assert rows[("out_of_hours", "out_of_hours")]["2019/20"] == "4000000.00", err
    assert rows[("co_commissioning", "core_contract")]["2019/20"] == "800000.20"  # replaced


def test_the_lists_of_a_payments_file_set_practice_populations(tmp_path: Path) -> None:
    from pcbudget.book.create import NewOrg, add_orgs
    from pcbudget.io.rate_catalogue import new_blank_book

    book = new_blank_book(
        tmp_path / "icb.pcbook",
        years=["2022/23", "2023/24"],
        name="ICB",
        root_code="QHM",
        root_name="ICB",
        rates="national",
    )
    with book.transaction():
        add_orgs(book, [NewOrg("C82001", "Surgery", "practice", "QHM")])
    book.close()
    path = _file(tmp_path, "2022/23")
    code, out, err = run("import-populations", tmp_path / "icb.pcbook", path)
    assert code == 0, err
    assert "lists (Last Known Figure) of 1 practices set for 2022/23" in out
    assert "3 practices in the file are not in this book" in out
    with open_book(tmp_path / "icb.pcbook", write=False) as book:
        rows = dict(
            book.conn.execute(
                "SELECT measure, value FROM populations WHERE year_idx = 0 ORDER BY measure"
            ).fetchall()
        )
    assert rows == {"registered": 4123.5, "weighted": 4480.25}  # the contractor weighted list
