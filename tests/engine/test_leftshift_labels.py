"""Left-shift parameters and results in the users' words, from the core, so the Excel return
reads as the grids do without importing the GUI."""

from __future__ import annotations

from pcbudget.engine.leftshift import RESULT_ROWS
from pcbudget.engine.leftshift_labels import (
    measure_label,
    param_label,
    reading_order,
    show_value,
    value_kind,
)


def test_every_measure_has_a_label_not_its_key() -> None:
    labels = [measure_label(m) for m in RESULT_ROWS]
    assert labels[0] == "Activity shifted (attendances)"
    assert all("_" not in label for label in labels) and len(set(labels)) == len(labels)


def test_values_read_as_percentages_pounds_counts() -> None:
    kinds = {
        "op_first.marginal_share": "percent",
        "op_first.demand_growth": "percent",
        "phasing.2020/21": "percent",
        "reinvest_share": "percent",
        "top_down.share": "percent",
        "op_first.acute_unit_cost": "money",
        "top_down.base": "pounds",
        "op_first.baseline": "count",
        "top_down.years": "count",
        "mode": "text",
    }
    assert {k: value_kind(k) for k in kinds} == kinds
    assert show_value("top_down.base", "1600000000") == "£1,600,000,000"
    assert show_value("op_first.acute_unit_cost", "160") == "£160.00"


def test_parameters_in_reading_order() -> None:
    keys = [
        "reinvest_share",
        "phasing.2020/21",
        "op_follow_up.baseline",
        "op_first.reduction",
        "mode",
        "double_running.2020/21",
        "op_first.baseline",
        "new_pod.baseline",
    ]
    assert reading_order(keys) == [
        "mode",
        "op_first.baseline",
        "op_first.reduction",
        "op_follow_up.baseline",
        "new_pod.baseline",
        "reinvest_share",
        "phasing.2020/21",
        "double_running.2020/21",
    ]
    assert param_label("op_first.reduction") == "Outpatient first: reduction target"
