"""The change log and the undo list name left-shift parameters as the grids do, not by the
book's keys ('op_first.marginal_share') and fractions."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pcbudget.book.leftshift_params import set_leftshift
from pcbudget.engine.leftshift_labels import param_label, readable
from pcbudget.gui.main_window import MainWindow

from .test_leftshift_keys import click, type_then


def column(model, name: str) -> int:  # type: ignore[no-untyped-def]
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return heads.index(name)


def test_log_and_undo_list_show_the_grid_labels(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.scenario_actions.new("Labels")
    window.tabs.setCurrentWidget(window.leftshift)
    view, pods = window.leftshift.pod_view, window.leftshift.pod_model
    row = pods.rows.index("op_first")
    assert pods.headerData(row, Qt.Orientation.Vertical) == "Outpatient first"
    click(qtbot, view, row, 3)  # Share of cost released
    type_then(qtbot, view, "50%", Qt.Key.Key_Return)
    undo = window.undo_view.model()
    newest = undo.index(undo.rowCount() - 1, 0).data()
    assert newest == "Left shift LLR: Outpatient first: share of cost released 50%"
    window.tabs.setCurrentWidget(window.changelog)
    log = window.changelog.model
    what, new = column(log, "What"), column(log, "New")
    rows = [(log.index(r, what).data(), log.index(r, new).data()) for r in range(log.rowCount())]
    assert ("Left shift LLR: Outpatient first: share of cost released", "50%") in rows
    shown = " ".join(f"{w} {n}" for w, n in rows) + " " + newest
    assert "op_first" not in shown and "marginal_share" not in shown


def test_steps_named_by_the_book_read_as_labels(window: MainWindow) -> None:
    """Steps recorded before (or by the command line) still read in the grid's words."""
    set_leftshift(window.session.book, "Cautious left shift", "LLR", {"phasing.2020/21": "20%"})
    window.session.reload()
    undo = window.undo_view.model()
    assert undo.index(undo.rowCount() - 1, 0).data() == "Left shift LLR: Phasing 2020/21"
    assert readable("x op_follow_up.reduction, reinvest_share") == (
        "x Outpatient follow-up: reduction target, Reinvested share of net saving"
    )
    assert param_label("new_pod.baseline") == "New pod: baseline activity"


def test_what_a_scenario_changes_reads_as_the_grid(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Scenario > What This Scenario Changes… names left-shift parameters and values as the
    grids do ('Outpatient first: share of cost released', '30%'), never 'op_first.marginal_share'
    and 0.3."""
    from pcbudget.gui import scenario_actions

    shown: list[scenario_actions.DifferencesDialog] = []
    monkeypatch.setattr(scenario_actions.DifferencesDialog, "exec", lambda self: shown.append(self))
    window.scenario_choice.setCurrentText("Cautious left shift")
    window.scenario_actions.actions["diff"].trigger()
    table = shown[0].table
    qtbot.addWidget(shown[0])
    rows = {
        table.item(r, 1).text(): table.item(r, 3).text()
        for r in range(table.rowCount())
        if table.item(r, 0).text() == "left shift"
    }
    assert rows["LLR Outpatient first: share of cost released"] == "30%"
    assert rows["LLR Outpatient first: reduction target"] == "15.50%"
    assert rows["LLR Outpatient first: acute £ per unit"] == "£160.00"
    assert rows["LLR Method"] == "bottom_up"
    every = " ".join(f"{k} {v}" for k, v in rows.items())
    assert "op_first" not in every and "marginal_share" not in every and "0.155" not in every
