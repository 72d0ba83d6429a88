"""A figure worked out on a rate carried forward is tinted and says so, in the grid and return."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt

from pcbudget.book import open_book, set_population
from pcbudget.book.create import NewOrg, add_orgs
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session
from pcbudget.gui.style import ASSUMED_TINT
from pcbudget.io.excel_return import export_return
from pcbudget.io.rate_catalogue import new_blank_book

from .test_budget_window import row_of


def _book(tmp_path: Path) -> Path:
    path = tmp_path / "icb.pcbook"
    book = new_blank_book(
        path,
        years=["2025/26", "2026/27", "2027/28"],
        name="ICB",
        root_code="QHM",
        root_name="ICB",
        rates="national",
    )
    with book.transaction():
        add_orgs(
            book, [NewOrg("P1", "A PCN", "pcn", "QHM"), NewOrg("X", "Surgery", "practice", "P1")]
        )
    set_population(book, "X", "weighted", "2025/26", 30000)
    book.close()
    return path


def test_an_assumed_rate_is_tinted_and_explained(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Session(open_book(_book(tmp_path))))
    qtbot.addWidget(window)
    window.navigator.select("P1")
    model = window.budget_model
    row = row_of(model, "pcn_participation")
    confirmed, assumed = model.index(row, 0), model.index(row, 2)
    assert assumed.data(Qt.ItemDataRole.BackgroundRole) == ASSUMED_TINT
    assert "Rate assumed: 2025/26 rate carried forward" in assumed.data(Qt.ItemDataRole.ToolTipRole)
    assert confirmed.data(Qt.ItemDataRole.BackgroundRole) != ASSUMED_TINT
    provisional = model.index(row_of(model, "arrs"), 1)
    assert "Rate provisional" in provisional.data(Qt.ItemDataRole.ToolTipRole)
    window.close()


def test_the_return_notes_an_assumed_rate_on_its_cell(tmp_path: Path) -> None:
    path = _book(tmp_path)
    out = tmp_path / "r.xlsx"
    with open_book(path, write=False) as book:
        export_return(book, out, scenarios=["baseline"])
    ws = openpyxl.load_workbook(out)["Summary"]
    row = next(r for r in ws.iter_rows() if r[1].value == "pcn_participation")
    notes = [c.comment.text if c.comment else "" for c in row[4:7]]
    assert "Rate assumed" not in notes[0] and "Rate assumed" in notes[2]
    pcn = openpyxl.load_workbook(out)["P1"]  # the PCN's own sheet, where the line is held
    core = next(r for r in pcn.iter_rows() if r[1].value == "core_pcn")
    assert "No registered population" in core[4].comment.text  # a 0 that says why


def test_a_cell_with_no_population_says_so_not_zero(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(
        Session(open_book(_book(tmp_path)))
    )  # the practice has a weighted list only
    qtbot.addWidget(window)
    window.navigator.select("P1")
    model = window.budget_model
    core = model.index(row_of(model, "core_pcn"), 0)  # paid per registered patient
    assert core.data() == "no population"
    assert model.index(row_of(model, "core_pcn"), 3).data() == "no population"  # its total too
    assert "No registered population for P1 in 2025/26" in core.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row_of(model, "arrs"), 0).data() != "no population"  # weighted: known
    window.close()
