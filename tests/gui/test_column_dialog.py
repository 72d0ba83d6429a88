"""Import Populations asks which column fills which measure: pre-set as the importer reads the
file, a sentence under each saying what the column is, OK imports the choice, Cancel nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from pcbudget.book import open_book
from pcbudget.gui import file_actions, new_book_dialog
from pcbudget.gui.app import App
from pcbudget.gui.column_dialog import ColumnDialog
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.new_book_dialog import NewBookDialog
from pcbudget.gui.session import Session

from ..helpers import icb_book
from ..io.test_population_columns import write_allocation


@pytest.fixture
def icb_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    book = icb_book(tmp_path / "icb.pcbook", ["2024/25"], [])
    path = book.path
    book.close()
    win = MainWindow(Session(open_book(path)))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _registered_none_weighted(seen: dict[str, str]):  # type: ignore[no-untyped-def]
    """A stand-in for the user: note what the dialog offered, read registered from Patients and
    leave weighted unset, then press Import."""

    def choose(dialog: ColumnDialog) -> QDialog.DialogCode:
        seen.update({m: combo.currentText() for m, combo in dialog.combos.items()})
        seen["weighted note"] = dialog.notes["weighted"].text()
        dialog.combos["registered"].setCurrentText("Patients")
        dialog.combos["weighted"].setCurrentText("none")
        seen["registered note"] = dialog.notes["registered"].text()
        return QDialog.DialogCode.Accepted

    return choose


def _shown(win: MainWindow, measure: str, code: str) -> tuple[str, str]:
    """What the Populations tab shows for an organisation's 2024/25 figure, and its status."""
    model = win.population_model
    model.set_measure(measure)
    s = win.session.structure
    row = next(i for i, o in enumerate(model.rows) if s.orgs[o].code == code)
    index = model.index(row, 0)
    return index.data(), index.data(Qt.ItemDataRole.UserRole)


def _log_rows(win: MainWindow) -> int:
    return int(win.session.book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0])


def test_the_chosen_columns_fill_the_populations(
    qtbot, icb_window: MainWindow, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    alloc = write_allocation(tmp_path / "alloc.csv")
    monkeypatch.setattr(file_actions, "ask_open_file", lambda *_a: str(alloc))
    seen: dict[str, str] = {}
    monkeypatch.setattr(ColumnDialog, "exec", _registered_none_weighted(seen))
    thread = icb_window.file_actions.ask_import_populations()
    assert thread is not None
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    # offered as the importer would read the file, with what each column is
    assert (seen["registered"], seen["weighted"]) == ("pop 2024/25", "Final PMC WP")
    assert "need-weighted population for primary medical care" in seen["weighted note"]
    assert "not the contractor (Carr-Hill) weighted list" in seen["weighted note"]
    assert seen["registered note"].startswith("Patients is the registered list")
    title, report = messages[-1]
    assert title == "Import populations"
    assert "The registered list from column 'Patients' (chosen)" in report
    assert "No weighted list imported (column chosen: none)." in report
    assert _shown(icb_window, "registered", "A81002") == ("15,790", "known")
    assert _shown(icb_window, "weighted", "A81002") == ("", "missing")


def test_cancel_imports_nothing(
    icb_window: MainWindow, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    alloc = write_allocation(tmp_path / "alloc.csv")
    monkeypatch.setattr(file_actions, "ask_open_file", lambda *_a: str(alloc))
    monkeypatch.setattr(ColumnDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    before = _log_rows(icb_window)
    assert icb_window.file_actions.ask_import_populations() is None
    assert _log_rows(icb_window) == before
    assert not messages
    codes = {o.code for o in icb_window.session.structure.orgs}
    assert "A81001" not in codes


def test_a_plain_csv_has_nothing_to_choose(
    qtbot, icb_window: MainWindow, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "plain.csv"
    plain.write_text("org_code,measure,year,value\nQHM,registered,2024/25,1200000\n")
    monkeypatch.setattr(file_actions, "ask_open_file", lambda *_a: str(plain))

    def never(_dialog: ColumnDialog) -> QDialog.DialogCode:
        raise AssertionError("a file with one column per measure needs no chooser")

    monkeypatch.setattr(ColumnDialog, "exec", never)
    thread = icb_window.file_actions.ask_import_populations()
    assert thread is not None
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    assert "set 1 registered" in messages[-1][1]


def test_the_new_book_dialog_asks_once_the_file_is_picked(
    qtbot, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    alloc = write_allocation(tmp_path / "alloc.csv")
    monkeypatch.setattr(new_book_dialog, "ask_open_file", lambda *_a: str(alloc))
    seen: dict[str, str] = {}
    monkeypatch.setattr(ColumnDialog, "exec", _registered_none_weighted(seen))
    app = App()
    dialog = NewBookDialog()
    qtbot.addWidget(dialog)
    dialog.code.setText("QHM")
    dialog.first_year.setCurrentText("2024/25")
    dialog.target.edit.setText(str(tmp_path / "QHM.pcbook"))
    dialog.populations.choose()
    assert dialog.populations.path() == alloc
    assert dialog.columns_note.text() == "Registered list from Patients; no weighted list."
    chosen = {"registered": "Patients", "weighted": "none", "adjusted": "none"}
    assert dialog.plan().columns == chosen | {"care_home_beds": "none", "qof_points": "none"}
    # Cancel on a second pick keeps the first file and its choice
    monkeypatch.setattr(ColumnDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    dialog.populations.choose()
    assert (dialog.plan().columns or {})["registered"] == "Patients"
    opened: list[MainWindow] = []
    thread = new_book_dialog.build_book(app, dialog.plan(), dialog, opened.append)
    qtbot.waitUntil(lambda: thread.isFinished() and bool(opened), timeout=30000)
    win = opened[0]
    qtbot.addWidget(win)
    assert _shown(win, "registered", "A81004") == ("8,020", "known")
    assert _shown(win, "weighted", "A81004") == ("", "missing")
    assert "No weighted list imported (column chosen: none)." in messages[-1][1]
    win.close()


def test_a_file_that_does_not_say_its_year_is_asked_for_it(
    qtbot, icb_window: MainWindow, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    """No 'pop YYYY/YY' column and no year in its name: the app asks, as --year does."""
    plain = tmp_path / "practice lists.csv"
    plain.write_text(
        "Practice Code,Practice Name,Population,Final PMC WP\nA81001,Surgery,10000,11000.5\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(file_actions, "ask_open_file", lambda *_a: str(plain))
    monkeypatch.setattr(ColumnDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    asked: list[list[str]] = []

    def answer(_parent, _title, _label, years, *_a):  # type: ignore[no-untyped-def]
        asked.append(list(years))
        return "2024/25", True

    monkeypatch.setattr(file_actions.QInputDialog, "getItem", answer)
    thread = icb_window.file_actions.ask_import_populations()
    assert thread is not None and asked == [["2024/25"]]
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    assert _shown(icb_window, "registered", "A81001") == ("10,000", "known")


def test_cancelling_the_year_imports_nothing(
    icb_window: MainWindow, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "lists.csv"
    plain.write_text("Practice Code,Population\nA81001,10000\n", encoding="utf-8")
    monkeypatch.setattr(file_actions, "ask_open_file", lambda *_a: str(plain))
    monkeypatch.setattr(ColumnDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(file_actions.QInputDialog, "getItem", lambda *_a: ("", False))
    before = _log_rows(icb_window)
    assert icb_window.file_actions.ask_import_populations() is None
    assert _log_rows(icb_window) == before
