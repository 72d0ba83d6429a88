"""A population file none of whose rows can be used is refused, with the rows' reasons, and
changes nothing: `new` leaves no book, an import into a book leaves it as it was."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.io.population_import import import_population_file

from ..test_cli import run
from .test_population_tree import WEIGHTED_2025, blank, write_file

Row = list[str]


def altered(path: Path, change: Callable[[Row], Row]) -> Path:
    """NHS England's 2025/26 layout (a header with line breaks, no PCN codes), every data
    row changed by `change`."""
    write_file(path, WEIGHTED_2025)
    header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert "\n" in header[1] and all(row[4] == "" for row in rows)  # as NHS England's files
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *(change(list(row)) for row in rows)])
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    return path


def negative(row: Row) -> Row:
    row[12], row[13] = f"-{row[12]}", f"-{row[13]}"
    return row


def no_code(row: Row) -> Row:
    row[0] = ""
    return row


def not_a_code(row: Row) -> Row:
    row[0] = f"#{row[0]}"
    return row


def test_new_with_every_list_negative_makes_no_book(tmp_path: Path) -> None:
    pops = altered(tmp_path / "pop.csv", negative)
    target = tmp_path / "b.pcbook"
    code, out, err = run(
        "new", target, "--first-year", "2025/26", "--years", "5", "--rates", "national",
        "--populations", pops,
    )  # fmt: skip
    assert code == 2 and "Created" not in out and "Traceback" not in err
    assert err.startswith("pcbudget: Nothing was imported from pop.csv: all 4 of its rows were")
    assert "Row 2: registered: '-4000.0' is negative, and a population cannot be; row 3:" in err
    assert "(and 1 more row refused)." in err and err.rstrip().endswith("b.pcbook was not created.")
    assert not list(tmp_path.glob("b.pcbook*"))  # no book, journal or lock left


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (no_code, "Row 2: no practice code; row 3: no practice code; row 4"),
        (not_a_code, "Row 2: practice code '#A81001' cannot be an organisation code; row 3"),
        (negative, "Row 2: registered: '-4000.0' is negative"),
    ],
    ids=["blank codes", "unknown codes", "negative lists"],
)
def test_importing_a_wholly_refused_file_changes_nothing(
    tmp_path: Path, change: Callable[[Row], Row], why: str
) -> None:
    blank(tmp_path / "e.pcbook").close()
    pops = altered(tmp_path / "pop.csv", change)
    with open_book(tmp_path / "e.pcbook", write=False) as book:
        before = book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
        orgs = book.conn.execute("SELECT count(*) FROM orgs").fetchone()[0]
    code, out, err = run("import-populations", tmp_path / "e.pcbook", pops)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "Nothing was imported from pop.csv: all 4 of its rows were refused. " + why in err
    with open_book(tmp_path / "e.pcbook") as book:
        assert book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == before
        assert book.conn.execute("SELECT count(*) FROM orgs").fetchone()[0] == orgs
        with pytest.raises(BookError, match="all 4 of its rows were refused"):
            import_population_file(book, pops)  # the app's import, through the same core


def test_a_file_with_one_good_row_imports_it_and_lists_the_rest(tmp_path: Path) -> None:
    pops = altered(tmp_path / "pop.csv", lambda row: row if row[0] == "A81002" else no_code(row))
    with blank(tmp_path / "e.pcbook") as book:
        report = import_population_file(book, pops)
    assert report.values_set == 2 and [r for r, _ in report.skipped] == [2, 4, 5]


def test_a_file_with_only_its_header_says_so(tmp_path: Path) -> None:
    pops = altered(tmp_path / "pop.csv", lambda row: [])  # blank rows are no rows
    with blank(tmp_path / "e.pcbook") as book, pytest.raises(BookError) as refused:
        import_population_file(book, pops)
    assert str(refused.value) == (
        "pop.csv has a header but no practices below it: nothing was imported."
    )
    code, _out, err = run("new", tmp_path / "n.pcbook", "--populations", pops)
    assert code == 2 and err.endswith("nothing was imported. n.pcbook was not created.\n")
    assert not list(tmp_path.glob("n.pcbook*"))
