"""Names have one bound wherever they enter a book: a 1,000,000-character line name once made the
app use 15 GB and crash. Every path is refused past it, and `check` names a stored one."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book
from pcbudget.book.bounds import MAX_NAME
from pcbudget.book.operations import Operation, Write, apply
from pcbudget.cli import main

LONG = "x" * (MAX_NAME + 1)
HUGE = "y" * 1_000_000


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", [LONG, HUGE], ids=["201", "1000000"])
@pytest.mark.parametrize(
    "command",
    [
        ("org", "{book}", "add", "A99999", "{name}", "--kind", "practice", "--parent", "LC"),
        ("org", "{book}", "rename", "LC", "{name}"),
        ("line", "{book}", "add", "local_x", "{name}", "--section", "pcn", "--budget-type", "CC"),
        ("scenario", "{book}", "new", "{name}"),
        ("scenario", "{book}", "copy", "Cautious left shift", "{name}"),
        ("scenario", "{book}", "rename", "Cautious left shift", "{name}"),
        ("version", "{book}", "{name}"),
    ],
    ids=lambda c: "-".join(c[:3:2]) if c[0] != "version" else "version",
)
def test_every_command_refuses_a_name_past_the_bound(
    sample_path: Path, command: tuple[str, ...], name: str
) -> None:
    before = digest(sample_path)
    args = [a.format(book=sample_path, name=name) for a in command]
    code, _, err = run(*args)
    assert code == 2, err
    assert f"the most is {MAX_NAME}" in err and len(err) < 300
    assert digest(sample_path) == before


@pytest.mark.parametrize("option", ["--name", "--org-name"])
def test_a_new_book_refuses_a_name_past_the_bound(tmp_path: Path, option: str) -> None:
    path = tmp_path / "new.pcbook"
    code, _, err = run("new", path, "--first-year", "2024/25", option, HUGE)
    assert code == 2 and f"the most is {MAX_NAME}" in err and len(err) < 300
    assert not path.exists()


def test_a_name_at_the_bound_is_kept_whole(sample_path: Path) -> None:
    name = "z" * MAX_NAME
    assert run("org", sample_path, "rename", "LC", name)[0] == 0
    line = ("line", sample_path, "add", "local_z", name, "--section", "pcn")
    assert run(*line, "--budget-type", "CC")[0] == 0
    book = open_book(sample_path, write=False)
    try:
        sql = "SELECT name FROM orgs UNION SELECT name FROM lines"
        names = {r[0] for r in book.conn.execute(sql)}
    finally:
        book.close()
    assert name in names


def test_the_write_path_itself_refuses_a_long_name(sample_path: Path) -> None:
    """Code that writes rows directly, as importers do, meets the bound too."""
    book = open_book(sample_path)
    try:
        row = book.conn.execute(
            "SELECT id, code, name, kind, parent_id, sort, note FROM orgs WHERE code = 'LC'"
        ).fetchone()
        org_id, code, _name, *rest = row
        for kind, key, new in (
            ("org", (org_id,), (code, HUGE, *rest)),
            ("scenario", (99,), (HUGE, 0, "")),
            ("version", (99,), (HUGE, 1, "2026-01-01", "me", None)),
        ):
            with pytest.raises(BookError, match=f"the most is {MAX_NAME}"):
                apply(book, Operation("crafted", "baseline", 0, (Write(kind, key, code, new),)))
        assert book.conn.execute("SELECT max(length(name)) FROM orgs").fetchone()[0] < 200
    finally:
        book.close()


def test_check_names_a_stored_name_past_the_bound(sample_path: Path) -> None:
    conn = sqlite3.connect(sample_path)
    conn.execute("UPDATE orgs SET name = ? WHERE code = 'LC'", (HUGE,))
    conn.execute("UPDATE lines SET name = ? WHERE code = 'premises'", (LONG,))
    conn.commit()
    conn.close()
    code, out, err = run("check", sample_path)
    assert code != 0
    text = out + err
    assert "organisation LC: its name is 1,000,000 characters" in text
    assert f"line premises: its name is {MAX_NAME + 1} characters" in text
    assert HUGE not in text
