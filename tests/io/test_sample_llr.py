"""The committed sample book is exactly what its text source builds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pcbudget.io.sample_llr import build_llr

from ..helpers import SAMPLE


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        lines = list(conn.iterdump())
        lines.append(f"application_id={conn.execute('PRAGMA application_id').fetchone()[0]}")
        lines.append(f"user_version={conn.execute('PRAGMA user_version').fetchone()[0]}")
        return lines
    finally:
        conn.close()


def test_rebuilding_the_sample_gives_the_committed_book(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import getpass
    import socket

    monkeypatch.setattr(socket, "gethostname", lambda: "ANOTHER-MACHINE")  # any machine builds it
    monkeypatch.setattr(getpass, "getuser", lambda: "someone-else")
    rebuilt = tmp_path / "llr.pcbook"
    build_llr(rebuilt, shipped=True).close()
    committed = dump(SAMPLE)
    fresh = dump(rebuilt)
    different = [a for a, b in zip(committed, fresh, strict=False) if a != b]
    assert len(committed) == len(fresh) and not different, (
        f"sample_budgets/ is stale: run `make sample` ({different[:3]})"
    )


def test_every_entered_figure_carries_its_source_note() -> None:
    conn = sqlite3.connect(SAMPLE)
    try:
        for table in ("amounts", "allocations", "populations", "uplifts", "growth"):
            missing = conn.execute(
                f"SELECT count(*) FROM {table} WHERE note IS NULL OR note = ''"
            ).fetchone()[0]
            assert missing == 0, table
        assert conn.execute("SELECT count(*) FROM rates WHERE source IS NULL").fetchone()[0] == 0
        assumed = conn.execute(
            "SELECT count(*) FROM amounts WHERE note LIKE '%assumption%'"
        ).fetchone()[0]
        assert assumed > 0
    finally:
        conn.close()


def test_the_pcn_list_sizes_of_appendix_3() -> None:
    conn = sqlite3.connect(SAMPLE)
    try:
        sums = dict(
            conn.execute(
                "SELECT p.code, sum(value) FROM populations JOIN orgs o ON o.id = org_id"
                " JOIN orgs p ON p.id = o.parent_id WHERE measure = 'registered' AND o.kind = 'pcn'"
                " GROUP BY p.code"
            ).fetchall()
        )
        count = conn.execute("SELECT count(*) FROM orgs WHERE kind = 'pcn'").fetchone()[0]
    finally:
        conn.close()
    assert sums == {"ELR": 336726, "WL": 397910, "LC": 416294}
    assert count == 25
