"""The charts of the Left shift, Compare and Months tabs are made when their tab first shows;
what was changed before then is what they show."""

from __future__ import annotations

import numpy as np

from pcbudget.gui.main_window import MainWindow


def test_a_left_shift_set_before_its_tab_opens_is_charted_when_it_does(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    window.scenario_choice.setCurrentText("Outpatients -40% by 2023/24")
    panel = window.leftshift
    before = panel.result().totals["cumulative_net"]
    assert panel.set_values({"op_first.reduction": "50%"})
    assert not np.allclose(panel.result().totals["cumulative_net"], before)
    assert not panel.charts_built  # the Budget tab is showing: nothing drawn yet
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.bridge.isVisible())
    totals = panel.result().totals  # with the reduction just set
    gross, primary, double = (
        totals[k].sum() for k in ("gross_saving", "primary_cost", "double_running")
    )
    bars = np.array([gross, -primary, -double, gross - primary - double]) / 1000
    assert bars[3] > 0
    assert np.allclose(panel.bridge_bars.opts["height"], bars)
    assert np.allclose(panel.cumulative_line.yData, totals["cumulative_net"] / 1000)
    assert panel.cumulative.getAxis("bottom").years == window.session.structure.years


def test_compare_and_months_charts_follow_a_scenario_chosen_before_they_open(
    window: MainWindow,
) -> None:
    window.scenario_choice.setCurrentText("Cautious left shift")
    assert window.compare.chart_slot.chart is None and window.months.chart_slot.chart is None
    window.tabs.setCurrentWidget(window.compare)
    assert [c.name() for c in window.compare.curves] == ["baseline", "Cautious left shift"]
    window.tabs.setCurrentWidget(window.months)
    assert window.months.chart_slot.chart is not None
    assert [c.name() for c in window.months.chart_slot.chart.listDataItems()][:2] == [
        "Plan",
        "Forecast",
    ]
