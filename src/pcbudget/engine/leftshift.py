"""Left shift: activity moved from hospitals into primary care, and what it saves and costs.

Bottom-up per point of delivery p and year t (shared/domain/reference.md, "Left shift"):
activity = baseline x (1 + growth)^t; shifted = activity x reduction x phasing[t];
gross saving = shifted x acute unit cost x marginal share (stranded fixed costs stay);
primary cost = shifted x share to primary care x primary unit cost;
double running = shifted x acute unit cost x double running share[t];
net = gross - primary cost - double running; reinvestment = max(0, sum net) x reinvest share;
investment = sum primary cost + reinvestment. Top-down: a share of a stated base reached
linearly over N years. Missing parameters count as nil.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..book.money import round_pence

#: The rows of a left-shift result, year by year (labels in engine.leftshift_labels).
RESULT_ROWS = (
    "activity_shifted",
    "gross_saving",
    "primary_cost",
    "double_running",
    "net_saving",
    "reinvestment",
    "investment",
    "cumulative_net",
)
FIELDS = (
    "baseline",
    "demand_growth",
    "acute_unit_cost",
    "marginal_share",
    "reduction",
    "share_to_primary_care",
    "primary_unit_cost",
)


@dataclass(frozen=True)
class LeftShiftResult:
    """Results by measure (Y,) in pounds (activity in attendances), and by point of delivery."""

    years: list[str]
    mode: str
    totals: dict[str, np.ndarray]
    pods: list[str]
    by_pod: dict[str, np.ndarray]  # measure -> (P, Y)

    def pence(self, measure: str) -> np.ndarray:
        """A money measure by year (Y,) as int64 pence, rounded by the book's one money rule."""
        if measure == "activity_shifted":
            raise ValueError("activity shifted is attendances, not money")
        return round_pence(self.totals[measure])


def pods_of(params: dict[str, str]) -> list[str]:
    """Points of delivery named in the parameters, in order of first mention."""
    seen: list[str] = []
    for key in params:
        head, _, tail = key.partition(".")
        if tail in FIELDS and head not in seen:
            seen.append(head)
    return seen


def _f(params: dict[str, str], key: str) -> float:
    return float(params.get(key, 0) or 0)


def compute_leftshift(params: dict[str, str], years: list[str]) -> LeftShiftResult:
    """The left-shift results of one organisation's parameters."""
    n_year = len(years)
    t = np.arange(n_year, dtype=float)
    mode = params.get("mode", "bottom_up")
    zeros = np.zeros(n_year)
    if mode == "top_down":
        span = max(1, int(_f(params, "top_down.years") or n_year))
        investment = (
            _f(params, "top_down.base")
            * _f(params, "top_down.share")
            * np.minimum((t + 1) / span, 1)
        )
        totals = {m: zeros.copy() for m in RESULT_ROWS}
        totals["investment"] = investment
        return LeftShiftResult(years, mode, totals, [], {})
    pods = pods_of(params)
    field = {f: np.array([_f(params, f"{p}.{f}") for p in pods])[:, None] for f in FIELDS}
    phasing = np.array([_f(params, f"phasing.{y}") for y in years])[None, :]
    double_share = np.array([_f(params, f"double_running.{y}") for y in years])[None, :]
    activity = field["baseline"] * (1 + field["demand_growth"]) ** t[None, :]
    shifted = activity * field["reduction"] * phasing
    gross = shifted * field["acute_unit_cost"] * field["marginal_share"]
    primary = shifted * field["share_to_primary_care"] * field["primary_unit_cost"]
    double = shifted * field["acute_unit_cost"] * double_share
    net = gross - primary - double
    reinvestment = np.maximum(0.0, net.sum(axis=0)) * _f(params, "reinvest_share")
    by_pod = {
        "activity_shifted": shifted,
        "gross_saving": gross,
        "primary_cost": primary,
        "double_running": double,
        "net_saving": net,
    }
    totals = {m: v.sum(axis=0) for m, v in by_pod.items()}
    totals["reinvestment"] = reinvestment
    totals["investment"] = totals["primary_cost"] + reinvestment
    totals["cumulative_net"] = np.cumsum(totals["net_saving"])
    return LeftShiftResult(years, mode, totals, pods, by_pod)


def sensitivity(
    params: dict[str, str], years: list[str], key: str, values: list[float]
) -> list[tuple[float, float, float]]:
    """(value, total net saving, total investment) over the years, as `key` takes each value.

    `key` may be a parameter ('op_first.reduction', 'reinvest_share'), or 'phasing' to scale
    every year's phasing by the value.
    """
    out = []
    for value in values:
        trial = dict(params)
        if key == "phasing":
            for y in years:
                trial[f"phasing.{y}"] = str(min(1.0, _f(params, f"phasing.{y}") * value))
        else:
            trial[key] = str(value)
        res = compute_leftshift(trial, years)
        out.append(
            (value, float(res.totals["net_saving"].sum()), float(res.totals["investment"].sum()))
        )
    return out
