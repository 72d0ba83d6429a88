"""Scenarios in the window: create one, set a left shift, compare it with the baseline."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from pcbudget.engine.compare import OrgRow
from pcbudget.gui.main_window import MainWindow


def test_create_a_scenario_set_an_outpatient_reduction_and_compare(
    window: MainWindow, messages
) -> None:  # type: ignore[no-untyped-def]
    window.scenario_actions.new("Shift outpatients")
    assert window.session.scenario == "Shift outpatients"
    assert window.scenario_choice.currentText() == "Shift outpatients"
    panel = window.leftshift
    pods = panel.pod_model
    row = pods.rows.index("op_first")
    col = {
        f: i
        for i, f in enumerate(
            [
                "baseline",
                "demand_growth",
                "acute_unit_cost",
                "marginal_share",
                "reduction",
                "share_to_primary_care",
                "primary_unit_cost",
            ]
        )
    }
    for field, value in (
        ("baseline", "300000"),
        ("acute_unit_cost", "160"),
        ("marginal_share", "50%"),
        ("reduction", "40%"),
        ("share_to_primary_care", "60%"),
        ("primary_unit_cost", "45"),
    ):
        assert pods.setData(pods.index(row, col[field]), value)
    years = panel.year_model
    for y in range(5):
        assert years.setData(years.index(0, y), f"{y * 25}%")
    assert pods.index(row, col["reduction"]).data() == "40%"
    investment = panel.result().totals["investment"]
    assert investment[4] == 300000 * 0.4 * 0.6 * 45  # no reinvestment set: primary care cost only
    assert panel.bridge_values["net"] > 0

    # The comparison shows baseline against the new scenario, with the variance.
    window.tabs.setCurrentWidget(window.compare)
    compare = window.compare
    assert compare.chosen() == ["baseline", "Shift outpatients"]
    model = compare.model
    total = next(i for i, r in enumerate(model.rows) if (r.section, r.line) == ("all", "total"))
    variance_2023 = model.index(total, 4 * 3 + 2).data()  # year 5: baseline, scenario, variance
    assert variance_2023.startswith("+3,240,000")
    compare.differing.setChecked(True)
    assert {r.section for r in model.rows} >= {"left_shift", "all"}
    assert all(r.differs() for r in model.rows)
    compare.measure.setCurrentText("Primary care investment (left shift)")
    curve = compare.curves[1]
    assert np.isclose(curve.yData[-1], 3240.0)  # £k
    assert compare.curves[0].yData.sum() == 0

    # Undo takes the parameters back out.
    for _ in range(11):
        window.undo_action.trigger()
    assert "op_first.reduction" not in window.leftshift.params


def test_bad_left_shift_input_is_refused_at_the_cell(window: MainWindow) -> None:
    window.scenario_actions.new("Bad inputs")
    pods = window.leftshift.pod_model
    refused: list[str] = []
    pods.editRefused.connect(lambda _i, msg: refused.append(msg))
    assert not pods.setData(pods.index(0, 4), "140%")
    assert refused and "out of range" in refused[0]


def test_the_baseline_has_no_left_shift_to_edit(window: MainWindow) -> None:
    pods = window.leftshift.pod_model
    assert not pods.flags(pods.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert "choose or create a scenario" in window.leftshift.title.text()


def test_what_differs_and_sample_scenarios(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pcbudget.gui import scenario_actions

    shown = []
    monkeypatch.setattr(scenario_actions.DifferencesDialog, "exec", lambda self: shown.append(self))
    window.scenario_choice.setCurrentText("Cautious left shift")
    assert window.session.scenario == "Cautious left shift"
    window.scenario_actions.what_differs()
    table = shown[0].table
    assert table.rowCount() == 25
    targets = [table.item(i, 1).text() for i in range(table.rowCount())]
    assert "LLR Outpatient first: reduction target" in targets
    rows = window.leftshift.run_sensitivity()
    assert len(rows) == 11 and rows[0][0] == 0.0


def test_sensitivity_and_compare_models_pass_qt_checks(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.scenario_choice.setCurrentText("Outpatients -40% by 2023/24")
    window.tabs.setCurrentWidget(window.compare)
    for model in (window.leftshift.pod_model, window.leftshift.year_model, window.compare.model):
        qtmodeltester.check(model)
    window.compare.by_org.setChecked(True)  # the organisation comparison, filled
    assert window.compare.org_model.rowCount() > 0
    for model in (window.compare.org_model, window.rates.table_model, window.undo_view.history):
        qtmodeltester.check(model)
    window.tabs.setCurrentIndex(0)
    window.view_switch.view.setCurrentText("Variance")  # the budget grid in another view
    qtmodeltester.check(window.budget_model)


def test_a_scenario_edit_is_marked_and_leaves_the_baseline(window: MainWindow) -> None:
    window.scenario_actions.new("Premises bid")
    window.navigator.select("LC")
    model = window.budget_model
    row = next(i for i, r in enumerate(model.rows) if r.line == "premises")
    assert model.setData(model.index(row, 2), "8m")
    index = model.index(row, 2)
    assert index.data(Qt.ItemDataRole.UserRole) == "overridden in scenario"
    assert "Set in scenario 'Premises bid'" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 1).data(Qt.ItemDataRole.UserRole) == "calculated"
    window.scenario_choice.setCurrentText("baseline")
    assert model.index(row, 2).data() == "7,364,613"
    assert model.index(row, 2).data(Qt.ItemDataRole.UserRole) == "calculated"


def test_compare_organisations_and_net_saving(window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.compare)
    compare = window.compare
    for i in range(compare.choices.count()):
        item = compare.choices.item(i)
        item.setCheckState(
            Qt.CheckState.Checked
            if item.text() in ("baseline", "Cautious left shift")
            else Qt.CheckState.Unchecked
        )
    compare.by_org.setChecked(True)
    model = compare.table.model()
    assert (
        model is compare.org_model and model.rowCount() == 3 * 3 * 2
    )  # CCGs x measures x scenarios
    first = [model.index(0, c).data() for c in range(4)]
    assert first[:3] == ["ELR", "baseline", "total"] and first[3] == "101,847,412"
    per_head = next(r for r in model.rows if r.org == "LC" and r.measure == "per_registered_head")
    assert 250 < per_head.values[0] < 300  # about £287 a registered patient
    compare.measure.setCurrentText("Net saving (left shift)")
    assert (
        compare.curves[0].yData.sum() == 0 and compare.curves[1].yData[1] < 0
    )  # cautious costs money


def test_a_comparison_year_without_a_figure_shows_a_dash_and_says_why(window: MainWindow) -> None:
    model = window.compare.org_model
    why = "LC-BS is not under LC in 2021/22"
    gaps = (None, None, why, None, None)
    model.set_rows([OrgRow("LC-BS", "baseline", "total", np.array([100, 200, 0, 0, 0]), gaps)])
    cols = {model.year_of(c): c for c in range(model.columnCount())}
    gap, figure = model.index(0, cols[2]), model.index(0, cols[1])
    assert model.data(gap) == "-" and model.data(gap, Qt.ItemDataRole.ToolTipRole) == why
    assert model.data(figure) == "2" and model.data(figure, Qt.ItemDataRole.ToolTipRole) is None
