"""A writer killed with SIGKILL mid-stream leaves a sound book holding every edit it reported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pcbudget.book import open_book
from pcbudget.book.check import check_book
from pcbudget.engine import Model

WRITER = textwrap.dedent(
    """
    import sys
    from pcbudget.book import open_book, set_amount
    book = open_book(sys.argv[1])
    assert not book.read_only
    years = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    n = 0
    while True:
        n += 1
        set_amount(book, "LC", "premises", years[n % 5], n * 100, note=f"edit {n}")
        print(n, flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_stream_loses_nothing_reported(sample_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(sample_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    reported = 0
    deadline = time.monotonic() + 60
    while reported < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        reported = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert reported >= 150, "the writer did not get going"

    book = open_book(sample_path)  # the dead writer's lock is stale: taken over
    try:
        assert not book.read_only
        assert check_book(book) == []
        notes = {
            r[0] for r in book.conn.execute("SELECT note FROM change_log WHERE note LIKE 'edit %'")
        }
        assert {f"edit {n}" for n in range(1, reported + 1)} <= notes
        # The last reported edit's value is what the book holds for that year.
        model = Model(book)
        o = model.snapshot.org_index[model.structure.org("LC").id]
        li = model.snapshot.line_index[model.structure.line("premises").id]
        last = max(int(n.split()[1]) for n in notes)
        assert last in (reported, reported + 1)  # at most the edit in progress beyond
        assert int(model.results.own[o, li, last % 5]) == last * 100
    finally:
        book.close()
