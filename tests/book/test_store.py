"""Opening books: anything that is not a sound book is refused clearly and left byte-identical."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pcbudget.book import BookError, open_book, schema, set_amount, store
from pcbudget.book import migrate as migrate_mod


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path: Path, match: str) -> None:
    before = digest(path)
    with pytest.raises(BookError, match=match):
        open_book(path)
    assert digest(path) == before
    assert not path.with_name(path.name + ".lock").exists()


def test_a_text_file_is_not_a_book(tmp_path: Path) -> None:
    path = tmp_path / "notes.pcbook"
    path.write_text("core contract 38,321,247\n" * 20)
    refused(path, "not a pcbudget book")


def test_another_programs_database_is_not_a_book(tmp_path: Path) -> None:
    path = tmp_path / "other.pcbook"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    refused(path, "another program")


def test_an_empty_file_is_not_a_book(tmp_path: Path) -> None:
    path = tmp_path / "empty.pcbook"
    path.write_bytes(b"")
    refused(path, "empty")


def test_a_truncated_book_is_damaged(sample_path: Path) -> None:
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 2])
    refused(sample_path, "truncated")


def test_a_book_from_a_newer_release_is_refused(sample_path: Path) -> None:
    conn = sqlite3.connect(sample_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 7}")
    conn.close()
    refused(sample_path, "newer pcbudget")


def test_a_book_with_a_scrambled_page_is_damaged(sample_path: Path) -> None:
    data = bytearray(sample_path.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xff" * 4096  # a table page, past the header
    sample_path.write_bytes(bytes(data))
    before = digest(sample_path)
    with pytest.raises(BookError, match="damaged"):
        book = open_book(sample_path, write=False)
        try:
            from pcbudget.book.check import check_book

            problems = check_book(book)
            if problems:
                raise BookError("damaged: " + problems[0])
        finally:
            book.close()
    assert digest(sample_path) == before


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="no book"):
        open_book(tmp_path / "nowhere.pcbook")


def test_a_second_writer_gets_the_book_read_only_with_the_holder_named(sample_path: Path) -> None:
    first = open_book(sample_path)
    try:
        second = open_book(sample_path)
        assert second.read_only
        # The holder is this user on this machine: the message says where the book is open.
        assert "already open in your other pcbudget window" in (second.read_only_reason or "")
        assert f"process {os.getpid()}" in (second.read_only_reason or "")
        with pytest.raises(BookError, match="read-only"):
            set_amount(second, "LC", "core_contract", "2019/20", 100)
        second.close()
        assert first.path.with_name(first.path.name + ".lock").exists()
    finally:
        first.close()
    assert not sample_path.with_name(sample_path.name + ".lock").exists()


def test_a_lock_left_by_a_dead_process_is_recovered(sample_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = sample_path.with_name(sample_path.name + ".lock")
    lock.write_text(
        json.dumps(
            {
                "user": "alice",
                "host": socket.gethostname(),
                "pid": int(dead.stdout),
                "at": "2026-01-01T09:00:00+00:00",
            }
        )
    )
    book = open_book(sample_path)
    try:
        assert not book.read_only
        assert json.loads(lock.read_text())["pid"] == os.getpid()
    finally:
        book.close()


def test_a_lock_from_another_machine_is_honoured(sample_path: Path) -> None:
    lock = sample_path.with_name(sample_path.name + ".lock")
    lock.write_text(
        json.dumps(
            {
                "user": "alice",
                "host": "FINANCE-PC-07",
                "pid": 4242,
                "at": "2026-11-20T09:14:00+00:00",
            }
        )
    )
    book = open_book(sample_path)
    try:
        assert book.read_only
        assert book.read_only_reason is not None
        assert "alice on FINANCE-PC-07 since 2026-11-20 09:14" in book.read_only_reason
    finally:
        book.close()
    assert lock.exists()  # not ours to remove


def test_an_older_book_is_backed_up_then_migrated(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = sample_path.read_bytes()

    def mark_migrated(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO meta VALUES ('migrated', 'yes')")

    new_version = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(store, "SCHEMA_VERSION", new_version)
    monkeypatch.setattr(migrate_mod, "SCHEMA_VERSION", new_version)
    monkeypatch.setitem(migrate_mod.MIGRATIONS, schema.SCHEMA_VERSION, mark_migrated)

    book = open_book(sample_path)
    try:
        assert book.meta("migrated") == "yes"
        assert book.conn.execute("PRAGMA user_version").fetchone()[0] == new_version
    finally:
        book.close()
    backups = list(sample_path.parent.glob("llr.schema*-backup*.pcbook"))
    assert len(backups) == 1 and backups[0].read_bytes() == original


def test_an_old_backup_is_never_overwritten(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = sample_path.with_name(f"llr.schema{schema.SCHEMA_VERSION}-backup.pcbook")
    stale.write_bytes(b"last year's backup")
    original = sample_path.read_bytes()
    new_version = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(store, "SCHEMA_VERSION", new_version)
    monkeypatch.setattr(migrate_mod, "SCHEMA_VERSION", new_version)
    monkeypatch.setitem(migrate_mod.MIGRATIONS, schema.SCHEMA_VERSION, lambda conn: None)
    open_book(sample_path).close()
    assert stale.read_bytes() == b"last year's backup"
    fresh = sample_path.with_name(f"llr.schema{schema.SCHEMA_VERSION}-backup-2.pcbook")
    assert fresh.read_bytes() == original


def test_reading_an_older_book_leaves_it_untouched(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(sample_path)
    new_version = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(store, "SCHEMA_VERSION", new_version)
    monkeypatch.setattr(migrate_mod, "SCHEMA_VERSION", new_version)
    monkeypatch.setitem(migrate_mod.MIGRATIONS, schema.SCHEMA_VERSION, lambda conn: None)
    book = open_book(sample_path, write=False)
    book.close()
    assert digest(sample_path) == before


BIG_COMMIT = """
import sys
from pcbudget.book import open_book
book = open_book(sys.argv[1])
book.conn.execute("PRAGMA cache_size = -200000")
book.conn.execute("BEGIN IMMEDIATE")
rows = ((f"k{i}", "x" * 400) for i in range(40000))
book.conn.executemany("INSERT INTO meta VALUES (?, ?)", rows)
print("commit", flush=True)
book.conn.execute("COMMIT")
print("done", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_kill_during_a_big_save_leaves_a_book_that_opens_whole(sample_path: Path) -> None:
    """Killed mid-commit, the book may be short with a hot journal: it must open, rolled back."""
    import random
    import shutil
    import signal
    import time

    from pcbudget.book.check import check_book

    pristine = sample_path.with_name("pristine.pcbook")
    shutil.copyfile(sample_path, pristine)
    rng = random.Random(4)
    for _ in range(12):
        for leftover in (
            sample_path.with_name("llr.pcbook-journal"),
            sample_path.with_name("llr.pcbook.lock"),
        ):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(pristine, sample_path)
        proc = subprocess.Popen(
            [sys.executable, "-c", BIG_COMMIT, str(sample_path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "commit"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        book = open_book(sample_path)
        try:
            assert not book.read_only
            added = book.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0]
            assert added in (0, 40000)  # all of the save or none of it
            # The save wrote no change-log rows, so check names its rows, and nothing else.
            problems = check_book(book)
            assert all(p.startswith("meta k") or "more rows" in p for p in problems)
            assert bool(problems) == bool(added)
        finally:
            book.close()
        assert not sample_path.with_name("llr.pcbook-journal").exists()


def test_a_folder_that_cannot_be_written_gives_a_read_only_book(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcbudget.book import lock as lock_mod

    def denied(self):  # type: ignore[no-untyped-def]
        raise PermissionError("read-only share")

    monkeypatch.setattr(lock_mod.BookLock, "acquire", denied)
    book = open_book(sample_path)
    try:
        assert book.read_only and "cannot be written" in (book.read_only_reason or "")
    finally:
        book.close()


def test_two_processes_cannot_both_take_over_a_stale_lock(sample_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = sample_path.with_name(sample_path.name + ".lock")
    lock.write_text(
        json.dumps({"user": "x", "host": socket.gethostname(), "pid": int(dead.stdout), "at": None})
    )
    script = (
        "import sys, time; from pcbudget.book import open_book\n"
        "b = open_book(sys.argv[1])\n"
        "print('W' if not b.read_only else 'R', flush=True)\n"
        "time.sleep(1.5)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(sample_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    results = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert results.count("W") == 1, results


def test_release_leaves_someone_elses_lock_alone(sample_path: Path) -> None:
    book = open_book(sample_path)
    lock = sample_path.with_name(sample_path.name + ".lock")
    lock.write_text(
        json.dumps({"user": "dave", "host": "OTHER", "pid": 9, "at": "2026-01-01T00:00:00+00:00"})
    )
    book.close()
    assert lock.exists()


def test_a_real_schema_1_book_migrates_to_the_current_schema(tmp_path: Path) -> None:
    """Schema 1 (no left-shift table nor basis) upgrades with a backup, figures intact."""
    import shutil

    from pcbudget.book.check import check_book
    from pcbudget.engine import Model

    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "llr-schema1.pcbook"
    path = tmp_path / "old.pcbook"
    shutil.copyfile(fixture, path)
    before = fixture.read_bytes()
    reader = open_book(path, write=False)  # reading migrates a temporary copy, not the file
    rolled = Model(reader).results.rolled.copy()
    reader.close()
    assert path.read_bytes() == before
    book = open_book(path)
    try:
        assert book.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert check_book(book) == []
        assert (Model(book).results.rolled == rolled).all()
        book.conn.execute("SELECT count(*) FROM leftshift").fetchone()
    finally:
        book.close()
    backups = list(tmp_path.glob("old.schema1-backup*.pcbook"))
    assert len(backups) == 1 and backups[0].read_bytes() == before


def test_reading_an_older_book_leaves_nothing_in_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read-only open of an older book once left a whole upgraded copy behind."""
    import shutil
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "llr-schema1.pcbook"
    path = tmp_path / "old.pcbook"
    shutil.copyfile(fixture, path)
    for _ in range(2):
        reader = open_book(path, write=False)
        assert list(temp.iterdir())  # the upgraded copy being read
        assert reader.conn.execute("SELECT count(*) FROM orgs").fetchone()[0] > 0
        reader.close()
        assert list(temp.iterdir()) == []
    reader = open_book(path, write=False)
    migrate_mod.remove_copies()  # what runs at exit, for a book never closed
    assert list(temp.iterdir()) == []
    reader.close()
