"""View > Reconciliation lists the published LLR figures beside the book's own."""

from __future__ import annotations

from pcbudget.gui.main_window import MainWindow


def test_the_reconciliation_view_lists_every_published_figure(window: MainWindow) -> None:
    dialog = window.show_reconciliation()
    table = dialog.table
    figures = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert "Total Other Primary Care" in figures and table.rowCount() == 130
    assert dialog.summary.text().startswith("130 of 130")
    dialog.close()
