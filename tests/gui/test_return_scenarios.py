"""Export and import name the scenario and let the user choose it; a cell the book changed
since the export is shown as a conflict, unticked, and applied only when ticked."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from pcbudget.book.edits import set_amount
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.return_dialogs import CONFLICT_TINT, ExportDialog, ReturnDialog

OTHER = "Outpatients -40% by 2023/24"


def _cell(window: MainWindow, line: str) -> str:
    row = next(i for i, r in enumerate(window.budget_model.rows) if r.line == line)
    return str(window.budget_model.index(row, 0).data())


def test_export_asks_which_scenario_and_names_it(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[ExportDialog] = []

    def answer(dialog: ExportDialog) -> QDialog.DialogCode:
        asked.append(dialog)
        assert dialog.scenario_box.currentText() == window.session.scenario == "baseline"
        dialog.scenario_box.setCurrentText(OTHER)
        return QDialog.DialogCode.Accepted

    offered: list[str] = []

    def save(_parent, _title, start, *_a, **_k):  # type: ignore[no-untyped-def]
        offered.append(Path(start).name)
        return str(tmp_path / "other.xlsx"), ""

    monkeypatch.setattr(ExportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    window.file_actions.export_action.trigger()
    assert asked and offered == ["llr - Outpatients -40% by 2023-24.xlsx"]  # no / in a name
    qtbot.waitUntil(
        lambda: "Exported other.xlsx" in window.statusBar().currentMessage(), timeout=30000
    )
    assert f"(scenario {OTHER})" in window.statusBar().currentMessage()
    wb = openpyxl.load_workbook(tmp_path / "other.xlsx")
    assert wb["_pcbudget"]["G3"].value == OTHER  # the input cells are that scenario's


def test_the_compare_ticks_are_offered_not_imposed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(["baseline", OTHER, "Top"], "baseline", ["baseline", OTHER], "LLR")
    qtbot.addWidget(dialog)
    assert dialog.scenarios() == ["baseline", OTHER]
    dialog.scenario_box.setCurrentText(OTHER)  # the return is for the other one now
    assert dialog.scenarios() == [OTHER]
    assert dialog.others.item(1).isHidden()  # not compared with itself


def test_import_shows_a_conflict_unticked_and_applies_only_what_is_ticked(
    qtbot, window: MainWindow, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "return.xlsx"
    thread = window.file_actions.export(str(out), ["baseline"])
    qtbot.waitUntil(lambda: out.exists() and thread.isFinished(), timeout=30000)
    set_amount(window.session.book, "LC", "core_contract", "2019/20", 3_850_000_000)
    window.session.reload()
    wb = openpyxl.load_workbook(out)
    wb["LC"]["E5"] = 39_000_000  # changed in the book too: a conflict
    wb["LC"]["E6"] = 1_600_000
    wb.save(tmp_path / "edited.xlsx")
    shown: list[tuple[list[str], list[bool], str]] = []

    def look(dialog: ReturnDialog) -> bool:
        rows = [dialog.table.item(i, 3).text() for i in range(dialog.table.rowCount())]
        ticks = [t.checkState() == Qt.CheckState.Checked for t in dialog.ticks]
        conflict = rows.index("Core Contract")
        assert dialog.table.item(conflict, 5).text() == "38,321,247.00"  # book at export
        assert dialog.table.item(conflict, 6).text() == "38,500,000.00"  # book now
        assert dialog.table.item(conflict, 7).text() == "39,000,000.00"  # the return
        assert dialog.table.item(conflict, 1).background().color() == CONFLICT_TINT
        shown.append((rows, ticks, dialog.scenario_box.currentText()))
        return True

    thread = window.file_actions.import_return(str(tmp_path / "edited.xlsx"), confirm=look)
    qtbot.waitUntil(lambda: thread.isFinished() and bool(shown), timeout=30000)
    rows, ticks, scenario = shown[0]
    assert scenario == "baseline"
    assert dict(zip(rows, ticks, strict=True)) == {
        "Core Contract": False,
        "Dispensing/Prescribing Drs": True,
    }
    window.navigator.select("LC")
    qtbot.waitUntil(lambda: _cell(window, "dispensing_prescribing") == "1,600,000", timeout=5000)
    assert _cell(window, "core_contract") == "38,500,000"  # the book's newer figure stands

    def tick_all(dialog: ReturnDialog) -> bool:
        for t in dialog.ticks:
            t.setCheckState(Qt.CheckState.Checked)
        return True

    thread = window.file_actions.import_return(str(tmp_path / "edited.xlsx"), confirm=tick_all)
    qtbot.waitUntil(lambda: _cell(window, "core_contract") == "39,000,000", timeout=30000)


def test_import_can_go_into_another_scenario(
    qtbot, window: MainWindow, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "return.xlsx"
    thread = window.file_actions.export(str(out), ["baseline"])
    qtbot.waitUntil(lambda: out.exists() and thread.isFinished(), timeout=30000)
    wb = openpyxl.load_workbook(out)
    wb["LC"]["E6"] = 1_600_000
    wb.save(out)
    seen: list[str] = []

    def into_other(dialog: ReturnDialog) -> bool:
        seen.append(dialog.scenario_box.currentText())
        if dialog.scenario_box.currentText() == "baseline":
            dialog.scenario_box.setCurrentText(OTHER)  # read again against the other
        return True

    thread = window.file_actions.import_return(str(out), confirm=into_other)
    qtbot.waitUntil(lambda: seen == ["baseline", OTHER], timeout=30000)
    history = window.undo_view.history
    qtbot.waitUntil(
        lambda: bool(history.steps) and "into Outpatients" in history.steps[-1].label, timeout=5000
    )
    assert window.session.scenario == "baseline"  # the window stays where it was
