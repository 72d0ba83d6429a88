"""The budget says which lines cannot be worked out, and the banner goes once a list arrives."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book.edits import set_population
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session

from ..engine.test_gaps import NO_PCN_LISTS
from ..helpers import book_from_text


def test_the_banner_names_lines_without_a_population(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(book_from_text(tmp_path / "b.pcbook", NO_PCN_LISTS)))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    banner = win.gap_banner
    assert banner.isVisible()
    assert "part (part), 2024/25 to 2026/27: no weighted population at any pcn" in banner.text()
    win.session.run(
        "Population", lambda: set_population(win.session.book, "A1", "weighted", "2024/25", 5000)
    )
    assert "part (part)" not in banner.text()
    assert "cd (cd)" in banner.text()
    win.close()


def test_the_sample_shows_no_banner(window: MainWindow) -> None:
    assert not window.gap_banner.isVisible()
