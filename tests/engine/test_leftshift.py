"""Left shift against hand-worked figures (shared/domain/reference.md, "Left shift")."""

from __future__ import annotations

import numpy as np
import pytest

from pcbudget.engine.leftshift import compute_leftshift, sensitivity

YEARS = ["2024/25", "2025/26", "2026/27"]
BASE = {
    "op_first.baseline": "1000",
    "op_first.demand_growth": "0.1",
    "op_first.acute_unit_cost": "200",
    "op_first.marginal_share": "0.5",
    "op_first.reduction": "0.5",
    "op_first.share_to_primary_care": "0.8",
    "op_first.primary_unit_cost": "50",
    "phasing.2024/25": "0",
    "phasing.2025/26": "0.5",
    "phasing.2026/27": "1",
    "double_running.2025/26": "0.1",
    "reinvest_share": "0.25",
}


def test_bottom_up_by_hand() -> None:
    r = compute_leftshift(BASE, YEARS).totals
    # 2026/27: activity 1000 x 1.1^2 = 1210; shifted = 1210 x 0.5 x 1 = 605
    assert r["activity_shifted"][2] == pytest.approx(605)
    assert r["gross_saving"][2] == pytest.approx(605 * 200 * 0.5)  # 60,500
    assert r["primary_cost"][2] == pytest.approx(605 * 0.8 * 50)  # 24,200
    assert r["double_running"][2] == 0
    assert r["net_saving"][2] == pytest.approx(36_300)
    assert r["reinvestment"][2] == pytest.approx(36_300 * 0.25)
    assert r["investment"][2] == pytest.approx(24_200 + 9_075)
    # 2025/26: shifted 1100 x 0.5 x 0.5 = 275; double running 275 x 200 x 0.1 = 5,500
    assert r["double_running"][1] == pytest.approx(5_500)
    assert r["net_saving"][1] == pytest.approx(275 * 100 - 275 * 40 - 5_500)  # 11,000
    assert r["cumulative_net"].tolist() == pytest.approx([0, 11_000, 47_300])


def test_when_primary_care_costs_more_than_the_saving_nothing_is_reinvested() -> None:
    dear = {**BASE, "op_first.primary_unit_cost": "500", "op_first.marginal_share": "0.2"}
    r = compute_leftshift(dear, YEARS).totals
    assert (r["net_saving"][1:] < 0).all()
    assert (r["reinvestment"] == 0).all()
    assert r["investment"].tolist() == pytest.approx(r["primary_cost"].tolist())
    assert r["cumulative_net"][2] == pytest.approx(r["net_saving"].sum())


def test_zero_phasing_shifts_nothing() -> None:
    still = {k: v for k, v in BASE.items() if not k.startswith("phasing")}
    r = compute_leftshift(still, YEARS).totals
    assert all(not np.any(v) for v in r.values())


def test_several_points_of_delivery_add_up() -> None:
    two = {
        **BASE,
        **{
            k.replace("op_first", "ae_minor"): v
            for k, v in BASE.items()
            if k.startswith("op_first")
        },
    }
    one = compute_leftshift(BASE, YEARS)
    both = compute_leftshift(two, YEARS)
    assert both.pods == ["op_first", "ae_minor"]
    assert both.totals["gross_saving"].tolist() == pytest.approx(
        (2 * one.totals["gross_saving"]).tolist()
    )


def test_top_down_reaches_the_share_linearly() -> None:
    london = {
        "mode": "top_down",
        "top_down.base": "15500000000",
        "top_down.share": "0.02",
        "top_down.years": "5",
    }
    r = compute_leftshift(
        london, ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    )
    inv = r.totals["investment"]
    assert inv[0] == pytest.approx(15.5e9 * 0.004)  # 0.40% in the first year
    assert inv[4] == pytest.approx(310e6)  # £310m at 2.00%
    assert inv[5] == pytest.approx(310e6)  # held after year five


def test_sensitivity_to_reduction_is_monotonic_here() -> None:
    rows = sensitivity(BASE, YEARS, "op_first.reduction", [0.1, 0.3, 0.5])
    nets = [net for _, net, _ in rows]
    assert nets == sorted(nets) and rows[0][0] == 0.1
    half = sensitivity(BASE, YEARS, "phasing", [0.0, 1.0])
    assert half[0][1] == 0 and half[1][1] == pytest.approx(
        compute_leftshift(BASE, YEARS).totals["net_saving"].sum()
    )
