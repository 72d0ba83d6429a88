"""The budget window as a finance lead uses it: choose an organisation, type, paste, undo."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from pcbudget.gui.app import App
from pcbudget.gui.budget_model import BudgetModel
from pcbudget.gui.main_window import MainWindow


def row_of(model: BudgetModel, line: str, section: str | None = None) -> int:
    return next(
        i
        for i, r in enumerate(model.rows)
        if r.line == line and (section is None or r.section == section)
    )


def shown(model: BudgetModel, row: int, col: int) -> str:
    return model.index(row, col).data()


def type_into(qtbot, window: MainWindow, row: int, col: int, text: str) -> None:  # type: ignore[no-untyped-def]
    grid = window.grid
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(row, col))
    qtbot.keyClicks(grid, text[0])  # the first key opens the editor, the rest go to it
    for ch in text[1:]:
        qtbot.keyClicks(QApplication.focusWidget(), ch)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()  # Qt commits the editor on Enter through a queued call


def test_opening_the_sample_shows_the_llr_budget(window: MainWindow) -> None:
    model = window.budget_model
    assert "Leicester, Leicestershire & Rutland" in window.windowTitle()
    assert shown(model, row_of(model, "core_contract"), 0) == "103,716,813"
    assert shown(model, row_of(model, "reserve_qipp"), 0) == "(1,573,742)"
    assert (
        model.index(row_of(model, "reserve_qipp"), 0).data(Qt.ItemDataRole.ForegroundRole)
        is not None
    )
    assert window.saved_label.text() == "All changes saved"
    assert window.path_label.text().endswith("llr.pcbook")


def test_typing_a_value_updates_totals_headroom_and_chart(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("WL")
    model = window.budget_model
    total_row = row_of(model, "total", "all")
    before_total = shown(model, total_row, 1)
    before_chart = window.chart.series["prescribing"][1]
    type_into(qtbot, window, row_of(model, "prescribing"), 1, "60m")
    assert shown(model, row_of(model, "prescribing"), 1) == "60,000,000"
    assert shown(model, total_row, 1) != before_total
    assert window.chart.series["prescribing"][1] == 60_000_000 != before_chart
    # Headroom is the allocation less committed spend: the reserve is not spend, so
    # overriding it leaves headroom as it was while the type's total moves off the allocation.
    headroom, spend = row_of(model, "CC", "headroom"), row_of(model, "CC", "budget_type")
    before_headroom, before_spend = shown(model, headroom, 2), shown(model, spend, 2)
    assert before_headroom == shown(model, row_of(model, "reserve_qipp"), 2)
    type_into(qtbot, window, row_of(model, "reserve_qipp"), 2, "(2,500,000)")
    assert shown(model, headroom, 2) == before_headroom
    assert shown(model, spend, 2) != before_spend
    assert model.index(headroom, 2).data(Qt.ItemDataRole.UserRole) == "total"
    assert window.grid.currentIndex().row() == row_of(model, "reserve_qipp") + 1  # Enter moved down


def test_a_bad_value_is_refused_at_the_cell(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    model = window.budget_model
    row = row_of(model, "premises")
    window.navigator.select("LC")
    before, depth = shown(model, row, 1), window.undo_view.history.position
    type_into(qtbot, window, row, 1, "lots")
    assert shown(model, row, 1) == before
    assert "not an amount" in window.grid.last_message
    assert window.undo_view.history.position == depth


def test_totals_cannot_be_typed_into(window: MainWindow) -> None:
    model = window.budget_model
    for key in (("pcn", "total"), ("all", "total"), ("headroom", "CC")):
        row = row_of(model, key[1], key[0])
        assert not model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEditable
    # At LLR the CCG-held lines are rolled up: not typed into either.
    assert not model.flags(model.index(row_of(model, "premises"), 0)) & Qt.ItemFlag.ItemIsEditable


def test_paste_a_3x4_block_as_one_undo_step(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("ELR")
    model, grid = window.budget_model, window.grid
    top = row_of(model, "core_contract")
    before = window.session.model.results.rolled.copy()
    block = (
        "\r\n".join("\t".join(f"{(r + 1) * 1000 + c}" for c in range(4)) for r in range(3)) + "\r\n"
    )
    QGuiApplication.clipboard().setText(block)
    grid.setFocus()
    grid.setCurrentIndex(model.index(top, 1))
    depth = window.undo_view.history.position
    qtbot.keySequence(grid, QKeySequence.StandardKey.Paste)
    assert window.undo_view.history.position == depth + 1
    for r in range(3):
        for c in range(4):
            assert shown(model, top + r, 1 + c) == f"{(r + 1) * 1000 + c:,}"
    window.undo_action.trigger()
    assert (window.session.model.results.rolled == before).all()


def test_a_paste_with_one_bad_value_changes_nothing(window: MainWindow) -> None:
    window.navigator.select("ELR")
    model, grid = window.budget_model, window.grid
    top = row_of(model, "core_contract")
    before = window.session.model.results.rolled.copy()
    grid.setCurrentIndex(model.index(top, 1))
    assert not grid.paste("1000\t2000\r\n3000\tabc\r\n")
    assert "Nothing was pasted" in grid.last_message and "abc" in grid.last_message
    assert (window.session.model.results.rolled == before).all()


def test_copy_gives_excel_tab_separated_numbers(window: MainWindow) -> None:
    model, grid = window.budget_model, window.grid
    row = row_of(model, "core_contract")
    grid.selectionModel().clearSelection()
    grid.setCurrentIndex(model.index(row, 0))
    grid.selectionModel().select(
        model.index(row + 1, 1), grid.selectionModel().SelectionFlag.Select
    )
    grid.copy_selection()
    lines = QGuiApplication.clipboard().text().split("\r\n")
    assert lines[0].split("\t")[0] == "103716813.00"
    assert len(lines[0].split("\t")) == 2


def test_undo_and_redo_return_to_identical_totals(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("LC")
    model = window.budget_model
    start = window.session.model.results.rolled.copy()
    type_into(qtbot, window, row_of(model, "qof"), 2, "5m")
    type_into(qtbot, window, row_of(model, "out_of_hours"), 3, "250k")
    edited = window.session.model.results.rolled.copy()
    assert not (edited == start).all()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert (window.session.model.results.rolled == start).all()
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert (window.session.model.results.rolled == edited).all()
    # And the book on disk agrees with the window.
    from pcbudget.engine import Model

    assert (Model(window.session.book).results.rolled == edited).all()


def test_delete_reverts_an_override_to_calculated(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("LC")
    model, grid = window.budget_model, window.grid
    row = row_of(model, "pcn_participation")
    assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == "overridden"
    grid.setFocus()
    grid.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == "calculated"
    calc = window.session.model.results
    assert shown(model, row, 0) != "690,404"
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "£1.761 x" in tip and "weighted x 12/12" in tip
    assert calc is window.session.model.results


def test_fill_right_with_growth(window: MainWindow) -> None:
    window.navigator.select("WL")
    model, grid = window.budget_model, window.grid
    row = row_of(model, "premises")
    grid.setCurrentIndex(model.index(row, 0))
    from decimal import Decimal

    assert grid.fill_right(Decimal("0.10"))
    values = [model.pence(row, c) for c in range(5)]
    assert values[1] == round(values[0] * 1.1) and values[4] == round(values[3] * 1.1)


def test_unit_toggle_shows_thousands(window: MainWindow) -> None:
    model = window.budget_model
    window.unit_actions[1].trigger()
    assert shown(model, row_of(model, "core_contract"), 0) == "103,716.8"


def test_a_locked_book_opens_read_only_naming_the_holder(
    qtbot, sample_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    lock = sample_path.with_name(sample_path.name + ".lock")
    lock.write_text(
        json.dumps(
            {"user": "carol", "host": "ICB-LAPTOP-3", "pid": 7, "at": "2026-11-22T08:30:00+00:00"}
        )
    )
    window = App().open(sample_path)
    assert window is not None
    qtbot.addWidget(window)
    assert window.read_only_label.text() == "Read-only"
    assert "[read-only]" in window.windowTitle()
    assert any("carol on ICB-LAPTOP-3" in text for _, text in messages)
    window.navigator.select("LC")
    model = window.budget_model
    assert not model.flags(model.index(row_of(model, "premises"), 1)) & Qt.ItemFlag.ItemIsEditable
    window.close()


def test_a_damaged_book_is_refused_in_a_dialog(tmp_path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.pcbook"
    bad.write_bytes(b"this is not a book at all" * 50)
    assert App().open(bad) is None
    assert messages and "not a pcbudget book" in messages[0][1]


def test_an_older_copy_of_a_book_opens_with_a_warning(
    qtbot, sample_path: Path, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from pcbudget.book import open_book
    from pcbudget.book.edits import set_amount

    older = tmp_path / "older.pcbook"
    shutil.copyfile(sample_path, older)  # a copy outside the app: the same book, one change behind
    with open_book(sample_path) as book:
        set_amount(book, "LC", "qof", "2020/21", 500_000_000)
    window = App().open(sample_path)
    assert window is not None and not messages  # the newest seen: no warning
    window.close()
    window = App().open(older)
    assert window is not None  # warned, not refused
    qtbot.addWidget(window)
    assert messages and messages[0][0] == "Check this book"
    assert "older.pcbook is open, but the change log does not hold change" in messages[0][1]
    window.close()


def test_every_grid_model_passes_qt_model_checks(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigator.select("ELR")
    for model in (
        window.budget_model,
        window.population_model,
        window.rate_model,
        window.allocation_model,
        window.line_model,
        window.changelog.model,
    ):
        qtmodeltester.check(model)


def test_the_chart_hover_and_png(window: MainWindow, tmp_path: Path) -> None:
    text = window.chart.hover_text(0)
    assert (
        "2019/20" in text and "Total: £339,189,444" in text and "Allocation: £146,685,000" in text
    )
    window.chart.save_png(str(tmp_path / "chart.png"))
    assert (tmp_path / "chart.png").stat().st_size > 1000
    window.chart.view.setCurrentIndex(2)
    assert np.all(window.chart.series["per_head"] > 0)


def test_an_edit_the_engine_refuses_is_taken_back(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.book import BookError

    window.navigator.select("LC")
    model = window.budget_model
    row = row_of(model, "premises")
    before = model.pence(row, 1)
    errors: list[str] = []
    window.session.errorRaised.connect(errors.append)

    def refuse(_change: object) -> None:
        raise BookError("LC premises 2020/21 is past the engine's range.")

    monkeypatch.setattr(window.session.model, "apply", refuse)
    assert not model.setData(model.index(row, 1), "8m", Qt.ItemDataRole.EditRole)
    assert errors and "The change was undone" in errors[-1]
    assert model.pence(row, 1) == before
    stored = window.session.book.conn.execute(
        "SELECT count(*) FROM amounts a JOIN lines l ON l.id = a.line_id"
        " WHERE l.code = 'premises' AND a.pence = 800000000"
    ).fetchone()[0]
    assert stored == 0  # the book does not keep a figure the app could not show
