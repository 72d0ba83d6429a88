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


def test_a_population_file_that_does_not_say_its_year_is_asked_for_it(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.gui.column_dialog import ColumnDialog
    from pcbudget.io.new_book import build_new_book

    from ..io.test_nhs_populations import AGNOSTIC

    monkeypatch.setattr(ColumnDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    yearless = write_csv(tmp_path / "practices.csv", AGNOSTIC)
    dialog = NewBookDialog()
    qtbot.addWidget(dialog)
    dialog.code.setText("QHM")
    dialog.first_year.setCurrentText("2025/26")
    dialog.target.edit.setText(str(tmp_path / "QHM.pcbook"))
    dialog.populations.edit.setText(str(yearless))
    dialog._accept()  # typed, not picked: the year row appears and the build waits for it
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "practices.csv does not say which year" in dialog.error.text()
    assert [dialog.population_year.itemText(i) for i in range(5)][:2] == ["2025/26", "2026/27"]
    dialog.population_year.setCurrentText("2026/27")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    plan = dialog.plan()
    assert plan.population_year == "2026/27"
    report = build_new_book(plan)
    assert any("2026/27" in line for line in report.lines)
    from pcbudget.book import open_book

    book = open_book(plan.path)
    years = {y for (y,) in book.conn.execute("SELECT DISTINCT year_idx FROM populations")}
    book.close()
    assert years == {1}  # the practices' figures are 2026/27's, the year given

    dated = write_csv(tmp_path / "dated.csv", SUFFIXED)  # says 'pop 2024/25': not asked
    again = NewBookDialog()
    qtbot.addWidget(again)
    assert again._choose_columns(dated)
    assert again.plan().population_year is None
