"""Reopening a book puts the window back: organisation, scenario, tab and size."""

from __future__ import annotations

from pathlib import Path

from pcbudget.book import open_book
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session


def open_window(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(Session(open_book(path)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_book_reopens_where_it_was_left(qtbot, sample_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = open_window(qtbot, sample_path)
    first.navigator.select("WL")
    first.scenario_choice.setCurrentText("Cautious left shift")
    first.tabs.setCurrentWidget(first.leftshift)
    first.resize(1000, 650)
    first.close()
    # Another book does not inherit that state.
    other = sample_path.with_name("other.pcbook")
    other.write_bytes(sample_path.read_bytes())
    fresh = open_window(qtbot, other)
    assert (fresh.org_code, fresh.session.scenario) == ("LLR", "baseline")
    assert fresh.tabs.currentIndex() == 0
    fresh.close()
    again = open_window(qtbot, sample_path)
    assert again.org_code == "WL" and again.org_label.text().startswith("WL")
    assert again.session.scenario == "Cautious left shift"
    assert again.scenario_choice.currentText() == "Cautious left shift"
    assert again.tabs.currentWidget() is again.leftshift
    # Qt fits a restored window to the screen (offscreen: 800 wide), so check the height.
    assert again.height() == 650 != fresh.height()
    again.close()
