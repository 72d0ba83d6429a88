"""Your own book is never refused to you: a book open here, or in your other running pcbudget,
is brought to the front where it is, and a second launch hands over to the running copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from pcbudget.gui import app as app_mod
from pcbudget.gui import single_instance
from pcbudget.gui.app import App
from pcbudget.gui.single_instance import COME_FORWARD, InstanceServer, hand_over, server_name

#: Another pcbudget of this user's, holding the book open until told to close it.
HOLDER = textwrap.dedent(
    """
    import sys
    from pcbudget.book import open_book
    book = open_book(sys.argv[1])
    print("W" if not book.read_only else "R", flush=True)
    sys.stdin.readline()
    book.close()
    """
)


@pytest.fixture
def other_pcbudget(sample_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(sample_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "W"
    yield proc
    proc.communicate("quit\n", timeout=60)


@pytest.fixture
def app(qtbot) -> Iterator[App]:  # type: ignore[no-untyped-def]
    running = App()
    yield running
    for window in running.windows:
        window.close()


def test_opening_the_same_book_twice_gives_one_window(
    qtbot, app: App, sample_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    first = app.open(sample_path)
    assert first is not None
    qtbot.addWidget(first)
    other_spelling = sample_path.parent / "." / sample_path.name
    assert app.open(other_spelling) is first
    assert app.windows == [first]
    assert not first.session.read_only  # not refused to itself as "open for editing by you"
    assert messages == []


def test_a_closed_window_does_not_stand_in_for_its_book(qtbot, app: App, sample_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = app.open(sample_path)
    assert first is not None
    qtbot.addWidget(first)
    first.close()
    again = app.open(sample_path)
    assert again is not None and again is not first
    qtbot.addWidget(again)
    assert not again.session.read_only  # closing let go of the lock


def test_a_hand_over_brings_the_books_window_to_the_front(
    qtbot, app: App, sample_path: Path, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.pcbook"
    shutil.copyfile(sample_path, other)
    name = f"pcbudget-test-{tmp_path.name}"
    server = InstanceServer(name, app.open, app.come_forward)
    assert server.listening
    mine = app.open(sample_path)
    second = app.open(other)
    assert mine is not None and second is not None
    qtbot.addWidget(mine)
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is second)
    assert hand_over(name, str(sample_path))  # as a second launch on the same book does
    qtbot.waitUntil(lambda: QApplication.activeWindow() is mine)
    assert app.windows == [mine, second] and messages == []
    assert hand_over(name, str(other))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is second)
    mine.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is mine)
    assert hand_over(f"{name}-{os.getpid()}", COME_FORWARD)  # a bare launch
    qtbot.waitUntil(lambda: QApplication.activeWindow() is second)  # the newest window


def test_a_book_your_other_pcbudget_holds_is_handed_to_it(
    qtbot, app: App, sample_path: Path, other_pcbudget: subprocess.Popen[str], messages
) -> None:  # type: ignore[no-untyped-def]
    received: list[str] = []
    # The other pcbudget's own listener (its name ends in its process id).
    there = InstanceServer(
        server_name(QApplication.applicationName(), other_pcbudget.pid), received.append
    )
    assert there.servers
    assert app.open(sample_path) is None  # no second, read-only window here
    qtbot.waitUntil(lambda: received == [str(sample_path.resolve())])
    assert app.windows == [] and messages == []
    assert app.handed_over is not None and "your other pcbudget window" in app.handed_over


def test_a_book_held_by_your_pcbudget_that_does_not_listen_opens_read_only_saying_so(
    qtbot, app: App, sample_path: Path, other_pcbudget: subprocess.Popen[str], messages
) -> None:  # type: ignore[no-untyped-def]
    window = app.open(sample_path)  # the holder is a command, say: nothing to hand over to
    assert window is not None
    qtbot.addWidget(window)
    assert window.session.read_only
    ((_, text),) = messages
    assert f"already open in your other pcbudget window (process {other_pcbudget.pid}" in text


def test_make_run_twice_hands_the_sample_to_the_running_copy(
    qtbot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`make run` is `pcbudget open --sample`: with no path, it still hands over."""
    name = f"pcbudget-test-{tmp_path.name}"
    received: list[str] = []
    running = InstanceServer(name, received.append, lambda: received.append(COME_FORWARD))
    assert running.listening
    monkeypatch.setattr(single_instance, "server_name", lambda _app, pid=None: name)
    monkeypatch.setattr(app_mod, "application", lambda argv=None: QApplication.instance())
    monkeypatch.setattr(app_mod, "working_sample", lambda: sample_path)
    assert app_mod.run(None, sample=True) == 0
    qtbot.waitUntil(lambda: received == [str(sample_path.resolve())])
    assert "already running" in capsys.readouterr().out
    assert app_mod.run(None) == 0  # no book: the running copy comes to the front
    qtbot.waitUntil(lambda: received[-1] == COME_FORWARD)
