"""The Populations tab says where a known figure came from: its file (or source) and date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from pcbudget.book import Book
from pcbudget.io.measure_csv import import_measures

from ..helpers import icb_book


def _icb(tmp_path: Path) -> Book:
    return icb_book(tmp_path / "icb.pcbook", ["2025/26"], [("U12345", "A PCN", "pcn", "QHM")])


def test_the_populations_tab_says_where_a_figure_came_from(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    icb = _icb(tmp_path)
    from pcbudget.book import open_book
    from pcbudget.gui.main_window import MainWindow
    from pcbudget.gui.session import Session

    path = tmp_path / "adjusted.csv"
    path.write_text("org_code,measure,year,value,source\nU12345,adjusted,2025/26,31000,PCN file\n")
    import_measures(icb, path, today=dt.date(2026, 11, 23))
    book_path = icb.path
    icb.close()
    window = MainWindow(Session(open_book(book_path)))
    qtbot.addWidget(window)
    model = window.population_model
    model.set_measure("adjusted")
    s = window.session.structure
    row = next(i for i, o in enumerate(model.rows) if s.orgs[o].code == "U12345")
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Source: PCN file, imported 2026-11-23" in tip
    window.close()
