"""New ICB Book from the start page: one dialog, a progress bar, then the book's window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from pcbudget.gui.app import App
from pcbudget.gui.new_book_dialog import NewBookDialog
from pcbudget.gui.start_page import StartPage

from ..io.test_nhs_populations import SUFFIXED, write_csv


def test_the_dialog_says_what_is_missing_before_building(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = NewBookDialog()
    qtbot.addWidget(dialog)
    assert dialog.problem() == "Give the ICB's ODS code."
    dialog.code.setText("qhm")
    assert dialog.problem() == "Choose where to save the book."
    (tmp_path / "QHM.pcbook").write_bytes(b"taken")
    dialog.target.edit.setText(str(tmp_path / "QHM.pcbook"))
    assert dialog.problem() == "QHM.pcbook already exists: choose a new name."
    dialog.target.edit.setText(str(tmp_path / "New.pcbook"))
    assert dialog.problem() is None
    plan = dialog.plan()
    assert (plan.code, plan.first_year, plan.years, plan.populations) == ("QHM", "2026/27", 5, None)


def test_the_start_page_builds_an_icb_book_from_nhs_files(
    qtbot, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    pops = write_csv(tmp_path / "pops.csv", SUFFIXED)
    target = tmp_path / "North East.pcbook"

    def fill(dialog: NewBookDialog) -> QDialog.DialogCode:
        dialog.code.setText("QHM")
        dialog.name.setText("North East ICB")
        dialog.first_year.setCurrentText("2024/25")
        dialog.populations.edit.setText(str(pops))
        dialog.target.edit.setText(str(target))
        assert dialog.problem() is None
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewBookDialog, "exec", fill)
    app = App()
    page = StartPage(app)
    qtbot.addWidget(page)
    page.show()
    page.new_book.click()
    qtbot.waitUntil(lambda: len(app.windows) == 1, timeout=30000)
    window = app.windows[0]
    qtbot.addWidget(window)
    assert window.session.structure.root.code == "QHM"
    assert window.session.structure.org("A81001").kind == "practice"
    assert not page.isVisible()  # the start page closes once the book is open
    assert messages and messages[-1][0] == "New ICB book"  # what was read, said once
    window.close()
