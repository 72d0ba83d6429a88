"""Render the main window offscreen to docs/screenshots/, as the README and user guide show it.

Run: .venv/bin/python scripts/screenshots.py   (uses a temporary copy of the LLR sample)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import Qt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    from PySide6.QtCore import QSettings, QStandardPaths

    from pcbudget.book import open_book
    from pcbudget.book.money import parse_money
    from pcbudget.gui.app import application
    from pcbudget.gui.main_window import MainWindow
    from pcbudget.gui.session import Session

    QStandardPaths.setTestModeEnabled(True)
    app = application()
    QSettings().clear()
    folder = Path(tempfile.mkdtemp())
    path = folder / "LLR sample.pcbook"
    shutil.copyfile(ROOT / "sample_budgets" / "llr-2019-24.pcbook", path)
    window = MainWindow(Session(open_book(path)))
    window.resize(1500, 900)
    window.show()
    window.navigator.select("LC")
    model = window.budget_model
    row = next(i for i, r in enumerate(model.rows) if r.line == "premises")
    model.setData(model.index(row, 1), "£7.1m")
    model.setData(model.index(row, 2), "7,350,000")
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    tabs = {window.tabs.tabText(i): i for i in range(window.tabs.count())}
    shots = {"budget": "Budget", "populations": "Populations", "change-log": "Change log"}
    for name, tab in shots.items():
        window.tabs.setCurrentIndex(tabs[tab])
        app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
        print(OUT / f"{name}.png")
    window.tabs.setCurrentIndex(tabs["Budget"])
    window.grid.scrollToBottom()
    app.processEvents()
    window.grab().save(str(OUT / "headroom.png"))
    dialog = window.show_reconciliation()
    dialog.resize(1100, 420)
    app.processEvents()
    dialog.grab().save(str(OUT / "reconciliation.png"))
    dialog.close()
    print(OUT / "headroom.png", OUT / "reconciliation.png")
    ledger = folder / "ledger.csv"
    amounts = {"core_contract": 3_050_000, "premises": 520_000, "qof": 330_000}
    ledger.write_text(
        "year,period,org,line,amount\n"
        + "".join(
            f"2019/20,M{m},{org},{line},{base + (m * 7919 + len(org) * 104_729) % 400_000}\n"
            for m in range(1, 7)
            for org in ("LC", "ELR", "WL")
            for line, base in amounts.items()
        )
    )
    window.months.ask_import(str(ledger))
    window.navigator.select("LLR")
    window.tabs.setCurrentWidget(window.months)
    window.months.line.setCurrentIndex(window.months.line.findData("core_contract"))
    app.processEvents()
    window.grab().save(str(OUT / "months.png"))
    window.navigator.select("LC")
    window.tabs.setCurrentIndex(tabs["Budget"])
    window.view_switch.view.setCurrentText("Variance")
    window.grid.scrollToTop()
    app.processEvents()
    window.grab().save(str(OUT / "variance.png"))
    window.view_switch.view.setCurrentText("Plan")
    print(OUT / "months.png", OUT / "variance.png")
    printed_sheet(window, folder, "Plan v actual", OUT / "plan-v-actual.png")
    window.navigator.select("LLR")
    window.scenario_choice.setCurrentText("Outpatients -40% by 2023/24")
    window.tabs.setCurrentIndex(tabs["Left shift"])
    window.leftshift.run_sensitivity()
    app.processEvents()
    window.grab().save(str(OUT / "left-shift.png"))
    window.tabs.setCurrentIndex(tabs["Compare"])
    for i in range(window.compare.choices.count()):
        window.compare.choices.item(i).setCheckState(Qt.CheckState.Checked)
    window.compare.differing.setChecked(True)
    window.compare.measure.setCurrentText("Total spend")
    app.processEvents()
    window.grab().save(str(OUT / "compare.png"))
    print(OUT / "left-shift.png", OUT / "compare.png")
    window.close()
    icb_round(app, folder)
    column_chooser(app, folder)
    shutil.rmtree(folder, ignore_errors=True)
    del parse_money
    sys.exit(0)


def icb_round(app, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """A new ICB book from a synthetic NHS England population file in the real 2025/26 layout
    (no PCN codes): the New ICB Book dialog, the missing-population banner, tree editing."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from pcbudget.book import open_book
    from pcbudget.gui.main_window import MainWindow
    from pcbudget.gui.new_book_dialog import NewBookDialog
    from pcbudget.gui.session import Session
    from pcbudget.io.new_book import build_new_book

    sys.path.insert(0, str(ROOT))
    from tests.io.test_population_tree import WEIGHTED_2025, write_file

    pops = write_file(folder / "gp-reg-pat-prac-2025-26.csv", WEIGHTED_2025)
    dialog = NewBookDialog()
    dialog.code.setText("QHM")
    dialog.name.setText("NHS North East and North Cumbria ICB")
    dialog.first_year.setCurrentText("2025/26")
    dialog.populations.edit.setText(str(pops))
    dialog.target.edit.setText(str(folder / "North East 2025-26.pcbook"))
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "new-icb-book.png"))
    plan = dialog.plan()
    dialog.close()
    build_new_book(plan)
    window = MainWindow(Session(open_book(plan.path)))
    window.resize(1500, 900)
    window.show()
    window.navigator.tree.expandAll()
    app.processEvents()
    window.grab().save(str(OUT / "icb-banner.png"))
    tree = window.navigator.tree
    index = tree.model().index(0, 0)
    while tree.model().rowCount(index):
        index = tree.model().index(0, 0, index)  # the first practice, deepest in the tree
    parent = index.parent()
    rect = tree.visualRect(parent)
    shot = window.grab()
    menu = window.structure_actions.menu_for(str(parent.data(Qt.ItemDataRole.UserRole + 1)))
    menu.adjustSize()
    where = tree.viewport().mapTo(window, rect.center() + QPoint(20, 6))
    painter = QPainter(shot)
    painter.drawPixmap(where, menu.grab())
    painter.end()
    shot.save(str(OUT / "tree-menu.png"))
    print(OUT / "new-icb-book.png", OUT / "icb-banner.png", OUT / "tree-menu.png")
    window.close()


def column_chooser(app, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Import Populations' column chooser over a synthetic allocation file in NHS England's
    2024/25 layout, as the importer would read it."""
    from pcbudget.gui.column_dialog import ColumnDialog
    from pcbudget.io.population_import import column_choices

    sys.path.insert(0, str(ROOT))
    from tests.io.test_population_columns import write_allocation

    choices = column_choices(write_allocation(folder / "gp-weighted-populations-2024-25.csv"))
    assert choices is not None
    dialog = ColumnDialog(choices)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "population-columns.png"))
    dialog.close()
    print(OUT / "population-columns.png")


def printed_sheet(window, folder: Path, sheet: str, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The return's `sheet` as LibreOffice prints it (first page), for the guide."""
    import subprocess

    from pcbudget.io.excel_return import export_return

    book = window.session.book
    workbook = folder / "return.xlsx"
    export_return(book, workbook)
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    for ws in wb.worksheets:  # print only the one sheet
        if ws.title != sheet:
            ws.sheet_state = "hidden"
    wb.active = wb.sheetnames.index(sheet)
    wb.save(workbook)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-singlefile",
            str(folder / "return.pdf"),
            str(out.with_suffix("")),
        ],
        check=True,
    )
    print(out)


if __name__ == "__main__":
    main()
