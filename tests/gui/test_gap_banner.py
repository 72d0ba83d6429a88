"""The budget says which lines cannot be worked out, and the banner goes once a list arrives."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book.edits import set_population
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session

from ..engine.test_gaps import NO_B1_LISTS, NO_PCN_LISTS
from ..helpers import book_from_text, icb_book


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


def test_a_file_without_pcns_is_said_and_the_practice_level_offered(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.book import open_book

    from ..io.test_population_tree import WEIGHTED_2025, blank, write_file
    from ..test_cli import run

    blank(tmp_path / "icb.pcbook").close()
    pops = write_file(tmp_path / "pops.csv", WEIGHTED_2025)  # 2025/26: no PCN codes at all
    code, out, _ = run("import-populations", tmp_path / "icb.pcbook", pops)
    assert code == 0
    assert "no population" in out and "level arrs," in out  # the import says so, and the remedy
    win = MainWindow(Session(open_book(tmp_path / "icb.pcbook")))
    qtbot.addWidget(win)
    win.show()
    banner = win.gap_banner
    assert banner.isVisible() and "hold these PCN lines at practice level" in banner.text()
    assert "arrs" in banner.pcn_lines
    banner.linkActivated.emit("practice")  # the user takes the offer
    assert win.session.structure.line("arrs").level == "practice"
    assert not banner.isVisible() or "arrs" not in banner.pcn_lines
    win.undo_action.trigger()  # one undoable step
    assert win.session.structure.line("arrs").level == "pcn"
    win.close()


def test_the_banner_offers_an_adjusted_population_estimate(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.book import open_book

    book = icb_book(
        tmp_path / "icb.pcbook",
        ["2025/26"],
        [("U11111", "PCN", "pcn", "QHM"), ("A1", "Surgery", "practice", "U11111")],
    )
    set_population(book, "A1", "weighted", "2025/26", 31000)
    set_population(book, "A1", "registered", "2025/26", 30000)
    book.close()
    win = MainWindow(Session(open_book(tmp_path / "icb.pcbook")))
    qtbot.addWidget(win)
    win.show()
    banner = win.gap_banner
    assert banner.needs_adjusted and "estimate it from the weighted list" in banner.text()
    banner.linkActivated.emit("adjusted")
    assert not banner.needs_adjusted  # enhanced access and the rest can be worked out now
    win.close()


def test_the_banner_names_the_gaps_under_the_organisation_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(book_from_text(tmp_path / "b.pcbook", NO_B1_LISTS)))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    banner = win.gap_banner
    assert not banner.isVisible()  # the book as a whole has lists: its total has a figure
    win.navigator.select("B")  # B shown, as a user chooses it in the tree
    assert banner.isVisible() and banner.org_code == "B"
    assert (
        "part (part), 2024/25 to 2026/27: no weighted population at any pcn in B" in banner.text()
    )
    assert "practice level" not in banner.text() and banner.pcn_lines == []  # not for one CCG
    win.session.run(
        "Population", lambda: set_population(win.session.book, "B1", "weighted", "2024/25", 3000)
    )
    assert "part (part)" not in banner.text() and "cd (cd)" in banner.text()
    win.navigator.select("A")
    assert not banner.isVisible()
    win.close()
