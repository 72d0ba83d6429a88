"""Every book the app makes, and every copy it writes, is a book of its own: a return exported
from one is refused by another; a book made before identities gets one with its first change."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from pcbudget.book import open_book
from pcbudget.book.anchor import seen
from pcbudget.book.copies import write_copy
from pcbudget.book.identity import book_identity
from pcbudget.io.resources import sample_book
from pcbudget.io.return_map import MAP_HEADER, MAP_SHEET

from ..helpers import SAMPLE
from ..test_cli import run


def identity(path: Path) -> str:
    with open_book(path, write=False) as book:
        return book.meta("identity")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_books_made_from_the_sample_each_have_their_own_identity(tmp_path: Path) -> None:
    alice, bob = tmp_path / "alice.pcbook", tmp_path / "bob.pcbook"
    assert run("new", alice, "--sample", "llr")[0] == 0
    assert run("new", bob, "--sample", "llr")[0] == 0
    made = [tmp_path / "one.pcbook", tmp_path / "two.pcbook"]
    for path in made:
        write_copy(sample_book(), path)  # New from the Sample, and the app's working sample
    blank = [tmp_path / "b1.pcbook", tmp_path / "b2.pcbook"]
    for path in blank:  # made in the same second
        assert run("new", path)[0] == 0
    ids = [identity(p) for p in (alice, bob, *made, *blank)]
    assert all(ids) and len(set(ids)) == len(ids)
    assert identity(Path(sample_book())) == ""  # the shipped file: each copy gets its own


def test_a_return_from_another_copy_of_the_sample_is_refused(tmp_path: Path) -> None:
    alice, bob = tmp_path / "alice.pcbook", tmp_path / "bob.pcbook"
    assert run("new", alice, "--sample", "llr")[0] == 0
    assert run("new", bob, "--sample", "llr")[0] == 0
    ret = tmp_path / "alice.xlsx"
    assert run("export", alice, ret)[0] == 0
    before = digest(bob)
    code, out, err = run("import-return", bob, ret, "--apply")
    assert code == 2 and out == ""
    assert err == (
        "pcbudget: alice.xlsx was exported from another book: import it into the book it came "
        "from.\n"
    )
    assert digest(bob) == before
    assert run("import-return", alice, ret)[0] == 0


def test_a_saved_copy_has_its_own_identity_and_refuses_the_originals_return(
    sample_path: Path, tmp_path: Path
) -> None:
    ret, copy = tmp_path / "r.xlsx", tmp_path / "copy.pcbook"
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    assert run("export", sample_path, ret)[0] == 0
    with open_book(sample_path) as book:
        write_copy(book.conn, copy, own=book.path)
    assert identity(copy) not in ("", identity(sample_path))
    assert run("import-return", copy, ret)[0] == 2
    _, out, _ = run("history", copy, "--limit", "1")
    assert "book identity" in out and "a copy saved as copy.pcbook" in out


def test_a_book_without_an_identity_gets_one_with_its_first_change_only(tmp_path: Path) -> None:
    sample_path = tmp_path / "llr.pcbook"
    shutil.copyfile(SAMPLE, sample_path)  # copied outside the app: no identity of its own
    before = digest(sample_path)
    for args in (("summary", sample_path), ("check", sample_path), ("history", sample_path)):
        assert run(*args)[0] == 0
    assert run("set", sample_path, "LC", "nothing", "2020/21", "1")[0] == 2  # refused
    with open_book(sample_path):
        pass  # opened for writing, nothing written
    assert digest(sample_path) == before and identity(sample_path) == ""
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    own = identity(sample_path)
    assert own
    _, out, _ = run("history", sample_path)
    assert "book identity: - -> " + own in out
    assert run("set", sample_path, "LC", "qof", "2020/21", "£6m")[0] == 0
    assert identity(sample_path) == own  # given once


def test_a_return_carries_the_books_newest_hash_beside_its_identity(
    sample_path: Path, tmp_path: Path
) -> None:
    ret = tmp_path / "r.xlsx"
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    assert run("export", sample_path, ret)[0] == 0
    with open_book(sample_path, write=False) as book:
        newest = book.conn.execute("SELECT hash FROM change_log ORDER BY id DESC").fetchone()[0]
        own = book_identity(book.conn)
    key = load_workbook(ret)[MAP_SHEET]
    assert [c.value for c in key[1][:4]] == ["book", own, "chain", newest]
    assert tuple(c.value for c in key[2][: len(MAP_HEADER)]) == MAP_HEADER


def test_the_newest_change_seen_is_noted_on_closing_after_a_write_and_on_export(
    sample_path: Path, tmp_path: Path, data_folder: Path
) -> None:
    with open_book(sample_path, write=False) as book:
        assert seen(book.conn) is not None  # the app noted the copy it made
    shutil.rmtree(data_folder)
    with open_book(sample_path) as book:
        pass
    assert not data_folder.exists()  # nothing written, nothing noted
    assert run("export", sample_path, tmp_path / "r.xlsx")[0] == 0
    with open_book(sample_path, write=False) as book:
        first = seen(book.conn)
        assert first is not None and first.row == 2  # created, then given its own identity
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    with open_book(sample_path, write=False) as book:
        noted = seen(book.conn)
        newest = book.conn.execute("SELECT max(id), hash FROM change_log").fetchone()
        assert noted is not None and (noted.row, noted.hash) == tuple(newest)
        assert noted.file == "llr.pcbook"


def test_a_data_folder_that_cannot_be_written_never_stops_a_save(
    sample_path: Path, data_folder: Path
) -> None:
    shutil.rmtree(data_folder)
    data_folder.write_text("a file where the folder should be")
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    assert run("check", sample_path)[0] == 0


def test_an_identity_from_the_book_is_never_a_path(sample_path: Path, data_folder: Path) -> None:
    conn = sqlite3.connect(sample_path)
    conn.execute("UPDATE meta SET value = '../../outside' WHERE key = 'identity'")
    conn.commit()
    conn.close()
    assert run("set", sample_path, "LC", "qof", "2020/21", "£5m")[0] == 0
    assert {p.parent for p in data_folder.rglob("*.json")} == {data_folder / "anchors"}
    assert not (data_folder.parent / "outside.json").exists()
