"""The tree as NHS England's population files give it: sub-ICB locations from LOCxx or, where that
is empty (2023/24-2025/26 files), from CCGxx/CCG; joined on codes; never a damaged tree."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pcbudget.book import Book, open_book
from pcbudget.book.organisations import add_code, add_org, move_org
from pcbudget.book.structure import load_structure
from pcbudget.book.undo_history import undo
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.rate_catalogue import new_blank_book

from ..test_cli import run

#: NHS England's 2025/26 layout: LOC22 left empty, the sub-ICB location code in CCG23; headers
#: with line breaks inside their quotes, as some published files have them.
WEIGHTED_2025 = [
    "Practice_Code",
    "GP_Practice\nName",
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
    "pop 2025/26",
    "Final PMC\r\n WP",
]
#: The year-agnostic style with an ICS column and both LOC and CCG: LOC where it is filled.
AGNOSTIC_ICS = [
    "Practice_Code",
    "GP_Practice_Name",
    "CCG",
    "PCN_Code",
    "LOC",
    "LOCname",
    "ICS",
    "ICSname",
    "Rcode",
    "Region",
    "Population",
    "Final PMC WP",
]
#: practice, sub-ICB, ICB, ICB name, region, registered, weighted
PRACTICES = [
    ("A81001", "16C", "QHM", "North East and North Cumbria", "Y63", 4000.0, 4400.0),
    ("A81002", "16C", "QHM", "North East and North Cumbria", "Y63", 6000.0, 5500.5),
    ("A82001", "01H", "QHM", "North East and North Cumbria", "Y63", 3000.0, 3100.0),
    ("B82001", "03Q", "QOQ", "Humber and North Yorkshire", "Y63", 9000.0, 9500.0),
]


def write_file(path: Path, headers: list[str], *, loc_for: tuple[str, ...] = ()) -> Path:
    """A population file of `PRACTICES`; LOC filled (with a code of its own) only for `loc_for`."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(headers)
    for code, sub_icb, icb, icb_name, region, registered, weighted in PRACTICES:
        loc = f"L{sub_icb}" if code in loc_for else ""
        values = {
            "practice_code": code,
            "gp_practice name": f"Practice {code}",
            "gp_practice_name": f"Practice {code}",
            "ccg23": sub_icb,
            "ccg": sub_icb,
            "former ccg": "00X",
            "loc22": loc,
            "loc": loc,
            "locname": f"Location {loc}" if loc else "",
            "icb23": icb,
            "ics": icb,
            "icb23name": icb_name,
            "icsname": icb_name,
            "r23": region,
            "rcode": region,
            "region23": "North East and Yorkshire",
            "region": "North East and Yorkshire",
            "pop 2025/26": registered,
            "population": registered,
            "final pmc wp": weighted,
        }
        out.writerow([values.get(" ".join(h.lower().split()), "") for h in headers])
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    return path


def blank(path: Path, root: str = "ENG", kind_name: str = "England") -> Book:
    return new_blank_book(
        path,
        years=["2025/26", "2026/27"],
        name=kind_name,
        root_code=root,
        root_name=kind_name,
        rates="national",
    )


def tree(book: Book) -> dict[str, tuple[str, str]]:
    """code -> (kind, parent code)."""
    s = load_structure(book.conn)
    by_id = {o.id: o.code for o in s.orgs}
    return {o.code: (o.kind, by_id.get(o.parent_id or -1, "")) for o in s.orgs}


def test_sub_icb_from_ccg23_where_loc_is_empty(tmp_path: Path) -> None:
    book = blank(tmp_path / "e.pcbook")
    report = import_populations(book, write_file(tmp_path / "p.csv", WEIGHTED_2025))
    assert report.year == "2025/26" and not report.skipped
    assert report.added == {"region": 1, "icb": 2, "sub_icb": 3, "pcn": 0, "practice": 4}
    t = tree(book)
    assert t["Y63"] == ("region", "ENG")
    assert t["QHM"] == ("icb", "Y63") and t["QOQ"] == ("icb", "Y63")
    assert t["16C"] == ("sub_icb", "QHM") and t["01H"] == ("sub_icb", "QHM")
    assert t["03Q"] == ("sub_icb", "QOQ")
    assert t["A81001"] == ("practice", "16C") and t["B82001"] == ("practice", "03Q")
    assert "00X" not in t  # 'Former CCG' is history, not the tree
    s = load_structure(book.conn)
    assert s.org("A81001").name == "Practice A81001"  # the header with a line break matched
    assert s.org("QHM").name == "North East and North Cumbria"
    assert s.org("16C").name == "Sub-ICB location 16C"  # the file names no sub-ICB locations
    weighted = book.conn.execute(
        "SELECT value FROM populations WHERE org_id = ? AND measure = 'weighted'",
        (s.org("A81002").id,),
    ).fetchone()[0]
    assert weighted == 5500.5


def test_loc_where_filled_else_ccg_and_ics_for_the_icb(tmp_path: Path) -> None:
    book = blank(tmp_path / "e.pcbook")
    path = write_file(tmp_path / "p.csv", AGNOSTIC_ICS, loc_for=("A81001", "A81002"))
    report = import_populations(book, path, year="2025/26")
    assert report.added["sub_icb"] == 3  # L16C (from LOC), 01H and 03Q (from CCG)
    t = tree(book)
    assert t["A81001"] == ("practice", "L16C") and t["A81002"] == ("practice", "L16C")
    assert t["A82001"] == ("practice", "01H")
    assert t["L16C"] == ("sub_icb", "QHM") and t["QHM"] == ("icb", "Y63")
    assert "16C" not in t
    assert load_structure(book.conn).org("L16C").name == "Location L16C"


def test_joined_on_codes_including_ods_aliases(tmp_path: Path) -> None:
    book = blank(tmp_path / "e.pcbook")
    add_org(book, "NENC", "North East ICB (our name)", "icb", "ENG")
    add_code(book, "NENC", "QHM")
    add_org(book, "TV", "Tees Valley", "sub_icb", "NENC")
    add_code(book, "TV", "16C")
    report = import_populations(book, write_file(tmp_path / "p.csv", WEIGHTED_2025))
    assert report.added == {"region": 1, "icb": 1, "sub_icb": 2, "pcn": 0, "practice": 4}
    assert report.moved == 0  # NENC stays where the book put it (Y63 comes with QOQ's rows)
    t = tree(book)
    assert t["NENC"] == ("icb", "ENG") and t["TV"] == ("sub_icb", "NENC")
    assert t["QOQ"] == ("icb", "Y63")
    assert t["A81001"] == ("practice", "TV") and t["01H"] == ("sub_icb", "NENC")
    s = load_structure(book.conn)
    assert s.org("NENC").name == "North East ICB (our name)"  # names never join or overwrite


def test_the_import_is_one_undo_step_and_again_changes_nothing(tmp_path: Path) -> None:
    book = blank(tmp_path / "e.pcbook")
    path = write_file(tmp_path / "p.csv", WEIGHTED_2025)
    import_populations(book, path)
    again = import_populations(book, path)
    assert sum(again.added.values()) == 0 and again.moved == 0 and again.values_changed == 0
    undo(book)  # the second import changed nothing, so it left no step: this undoes the first
    assert list(tree(book)) == ["ENG"]
    assert book.conn.execute("SELECT count(*) FROM populations").fetchone()[0] == 0


def test_a_practice_placed_in_a_pcn_stays_there(tmp_path: Path) -> None:
    # The 2025/26 files name no PCNs: importing one after a membership import keeps the PCNs.
    book = blank(tmp_path / "e.pcbook")
    path = write_file(tmp_path / "p.csv", WEIGHTED_2025)
    import_populations(book, path)
    add_org(book, "U12345", "Tees PCN", "pcn", "16C")
    move_org(book, "A81001", "U12345")
    report = import_populations(book, path)
    assert report.moved == 0
    assert tree(book)["A81001"] == ("practice", "U12345")


@pytest.mark.parametrize(
    ("root", "kind_name", "outside"),
    [("QHM", "ICB", ["B82001"]), ("Y63", "Region", []), ("16C", "Sub-ICB", ["A82001", "B82001"])],
)
def test_the_books_own_root_in_the_file_attaches_below_it(
    tmp_path: Path, root: str, kind_name: str, outside: list[str]
) -> None:
    path = tmp_path / "own.pcbook"
    blank(path, root, kind_name).close()
    pops = write_file(tmp_path / "p.csv", WEIGHTED_2025)
    code, out, err = run("import-populations", path, pops)
    assert code == 0, err
    for practice in outside:  # rows outside the book's own area are reported, not added
        assert f"{practice} is not in {root}, this book's area" in out
    book = open_book(path)
    t = tree(book)
    book.close()
    assert t[root][1] == ""  # still the top organisation
    assert t["A81001"] == ("practice", "16C")
    assert t["16C"][1] == ("" if root == "16C" else "QHM")
    if root != "16C":
        assert t["QHM"][1] == ("" if root == "QHM" else "Y63")
    assert ("Y63" in t) == (root == "Y63")  # nothing above the root is added
    assert not set(outside) & set(t)
    assert ("01H" in t) == (root != "16C") and ("QOQ" in t) == (root == "Y63")
    code, out, err = run("check", path)
    assert code == 0, out + err
    assert "OK" in out


def test_the_root_answering_to_an_ods_code_attaches_below_it(tmp_path: Path) -> None:
    path = tmp_path / "own.pcbook"
    book = blank(path, "NENC", "North East ICB")
    add_code(book, "NENC", "QHM")
    book.close()
    code, _, err = run("import-populations", path, write_file(tmp_path / "p.csv", WEIGHTED_2025))
    assert code == 0, err
    book = open_book(path)
    t = tree(book)
    book.close()
    assert t["16C"] == ("sub_icb", "NENC") and t["NENC"][1] == ""
    assert run("check", path)[0] == 0


def test_a_row_with_a_code_the_book_cannot_hold_adds_nothing(tmp_path: Path) -> None:
    book = blank(tmp_path / "e.pcbook")
    path = write_file(tmp_path / "p.csv", WEIGHTED_2025)
    text = path.read_text(encoding="utf-8-sig").replace("B82001", "B8 2001")
    path.write_text(text, encoding="utf-8")
    report = import_populations(book, path)
    assert report.skipped == [(5, "practice code 'B8 2001' cannot be an organisation code")]
    assert "QOQ" not in tree(book) and "03Q" not in tree(book)  # nothing half-added


def test_practice_files_roll_up_to_the_llr_ccgs_by_their_ods_codes(sample_path: Path) -> None:
    # The sample's CCGs LC, ELR and WL answer to 04C, 03W and 04V; the file's ICB (QK1) and
    # region (Y60) are above anything the book holds there, so they are not added.
    path = sample_path.parent / "llr-pops.csv"
    path.write_text(
        "Practice_Code,GP_Practice_Name,CCG,ICB,ICBname,Rcode,Region,Population,Final PMC WP\n"
        "C82001,City Practice,04C,QK1,LLR ICB,Y60,Midlands,5000,5200\n"
        "C82002,Rutland Practice,03W,QK1,LLR ICB,Y60,Midlands,4000,4100\n"
        "C82003,Loughborough Practice,04V,QK1,LLR ICB,Y60,Midlands,3000,3300\n",
        encoding="utf-8",
    )
    book = open_book(sample_path)
    report = import_populations(book, path, year="2023/24")
    assert report.added == {"region": 0, "icb": 0, "sub_icb": 0, "pcn": 0, "practice": 3}
    assert report.moved == 0
    t = tree(book)
    assert t["C82001"] == ("practice", "LC") and t["C82002"] == ("practice", "ELR")
    assert t["C82003"] == ("practice", "WL") and t["LC"][1] == "LLR"
    assert "QK1" not in t and "Y60" not in t
    book.close()
    assert run("check", sample_path)[0] == 0


def test_a_practice_code_the_book_holds_for_another_kind_is_skipped(tmp_path: Path) -> None:
    book = blank(tmp_path / "e.pcbook")
    add_org(book, "A81001", "Not a practice", "sub_icb", "ENG")
    report = import_populations(book, write_file(tmp_path / "p.csv", WEIGHTED_2025))
    assert report.skipped == [(2, "A81001 is a sub_icb in this book, not a practice")]
    assert book.conn.execute("SELECT count(*) FROM populations").fetchone()[0] == 6


def test_new_org_qhm_then_its_practices_from_the_command_line(tmp_path: Path) -> None:
    # The issue's own steps: the book's top organisation is the ICB whose file is imported.
    path = tmp_path / "qhm.pcbook"
    new = ("new", path, "--first-year", "2025/26", "--org", "QHM", "--org-name", "NENC ICB")
    assert run(*new, "--rates", "national")[0] == 0
    code, out, err = run("import-populations", path, write_file(tmp_path / "p.csv", WEIGHTED_2025))
    assert code == 0, err
    assert "Row 5: skipped: B82001 is not in QHM, this book's area" in out
    code, out, err = run("check", path)
    assert code == 0 and "OK" in out, out + err
    code, out, err = run("org", path, "list", "--format", "csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["QHM"]["parent"] == "" and rows["16C"]["parent"] == "QHM"
    assert rows["A81001"]["parent"] == "16C" and "Y63" not in rows
    assert run("summary", path, "--org", "16C", "--format", "csv")[0] == 0
