"""File menu: export a return, take edits back from it, import NHS England populations."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pcbudget.gui.main_window import MainWindow

from ..io.test_nhs_populations import SUFFIXED, write_csv


def test_export_then_import_a_return_as_one_undo_step(
    qtbot, window: MainWindow, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "return.xlsx"
    thread = window.file_actions.export(str(out), ["baseline"])
    qtbot.waitUntil(lambda: out.exists() and thread.isFinished(), timeout=30000)
    assert "Exported return.xlsx" in window.statusBar().currentMessage()
    wb = openpyxl.load_workbook(out)
    wb["LC"]["E5"] = 39_000_000
    wb.save(tmp_path / "edited.xlsx")
    seen = []
    depth = window.undo_view.history.position
    thread = window.file_actions.import_return(
        str(tmp_path / "edited.xlsx"),
        confirm=lambda dialog: seen.append(dialog.table.rowCount()) or True,
    )
    qtbot.waitUntil(lambda: thread.isFinished() and bool(seen), timeout=30000)
    qtbot.waitUntil(lambda: window.undo_view.history.position == depth + 1, timeout=5000)
    assert seen == [1]
    window.navigator.select("LC")
    row = next(i for i, r in enumerate(window.budget_model.rows) if r.line == "core_contract")
    assert window.budget_model.index(row, 0).data() == "39,000,000"
    window.undo_action.trigger()
    assert window.budget_model.index(row, 0).data() == "38,321,247"


def test_a_foreign_file_is_refused_in_a_dialog(
    qtbot, window: MainWindow, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    thread = window.file_actions.import_return(str(bad))
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    assert "not an Excel workbook" in messages[0][1]


def test_importing_populations_grows_the_tree(
    qtbot, window: MainWindow, tmp_path: Path, messages
) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.io.rate_catalogue import new_blank_book

    # The LLR sample has no year 2024/25: import into a blank book instead.
    book = new_blank_book(
        tmp_path / "b.pcbook",
        years=["2024/25"],
        name="b",
        root_code="ENG",
        root_name="England",
        rates="national",
    )
    book.close()
    from pcbudget.book import open_book
    from pcbudget.gui.session import Session

    win = MainWindow(Session(open_book(tmp_path / "b.pcbook")))
    qtbot.addWidget(win)
    win.show()
    thread = win.file_actions.import_populations(str(write_csv(tmp_path / "p.csv", SUFFIXED)))
    qtbot.waitUntil(lambda: thread.isFinished() and bool(messages), timeout=30000)
    assert "4 practice" in messages[0][1]
    tree = win.navigator.source
    assert tree.rowCount() == 1 and tree.rowCount(tree.index(0, 0)) == 1  # ENG > region
    win.navigator.select("QHM")
    assert win.org_label.text().startswith("QHM")
    win.close()


def test_save_a_copy_refuses_the_open_book_itself(window, messages) -> None:  # type: ignore[no-untyped-def]
    own = window.session.book.path
    assert not window.save_copy(str(own))
    assert messages and "this book itself" in messages[-1][1]


def test_a_read_only_book_offers_no_imports(qtbot, sample_path) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.book import open_book
    from pcbudget.gui.main_window import MainWindow
    from pcbudget.gui.session import Session

    window = MainWindow(Session(open_book(sample_path, write=False)))
    qtbot.addWidget(window)
    actions = window.file_actions
    assert not actions.populations_action.isEnabled()
    assert not actions.pcns_action.isEnabled()
    assert "read-only" in actions.populations_action.statusTip()
    window.session.book.close()
