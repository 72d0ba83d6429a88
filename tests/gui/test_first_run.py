"""First run, help, and one running copy per user."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from pcbudget.gui.app import App
from pcbudget.gui.help_dialogs import AboutDialog, GuideDialog
from pcbudget.gui.single_instance import InstanceServer, hand_over
from pcbudget.gui.start_page import StartPage


def test_the_start_page_opens_the_sample(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = App()
    page = StartPage(app)
    qtbot.addWidget(page)
    assert page.recent.count() == 0  # nothing opened yet: no recent books
    page.sample.click()
    assert len(app.windows) == 1
    window = app.windows[0]
    qtbot.addWidget(window)
    assert "Leicester" in window.windowTitle()
    assert app.recent() and app.recent()[0].endswith("LLR sample 2019-24.pcbook")
    window.close()


def test_the_user_guide_renders_with_its_pictures(qtbot) -> None:  # type: ignore[no-untyped-def]
    guide = GuideDialog()
    qtbot.addWidget(guide)
    text = guide.browser.toPlainText()
    assert "Import populations" in text and "Take edits back" in text
    assert "screenshots/budget.png" in guide.browser.toHtml()
    about = AboutDialog()
    qtbot.addWidget(about)


def test_a_second_launch_hands_its_book_to_the_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    name = f"pcbudget-test-{tmp_path.name}"
    server = InstanceServer(name, opened.append)
    assert server.listening
    assert hand_over(name, str(tmp_path / "book.pcbook"))
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert opened == [str(tmp_path / "book.pcbook")]
    assert not hand_over(f"{name}-nobody", "x", timeout_ms=100)
    QCoreApplication.processEvents()
