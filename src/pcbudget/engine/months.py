"""The budget year by month: the annual plan phased M1-M12 in whole pence, actuals, forecast
outturn and the plan/actual/forecast/variance views by year that `summary --view` prints.

Phasing spreads a cell by cumulative share, each month's pence the difference of rounded
cumulative amounts, so the months always sum to the year. Forecast outturn = actuals to the
last closed month plus, for the months left, the phased plan ('phased') or the year-to-date
average ('run_rate'), chosen per line. An organisation's line with no actual in the year has
not been reported and is forecast at its plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..book.actuals import MonthInputs
from ..book.money import round_half_away
from .compute import Results
from .rollup import roll_in_year, rollup
from .snapshot import BALANCE
from .summary import SummaryRow, summary_rows

VIEWS = ("plan", "actual", "forecast", "variance")


def spread(annual: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(...) pence by (..., n) weights (or (n,)) into (..., n) pence summing to `annual`."""
    n = np.shape(weights)[-1]
    w = np.broadcast_to(np.asarray(weights, dtype=np.float64), (*annual.shape, n))
    total = w.sum(axis=-1, keepdims=True)
    share = np.divide(np.cumsum(w, axis=-1), total, out=np.zeros_like(w), where=total > 0)
    share[..., -1] = np.where(total[..., 0] > 0, 1.0, 0.0)
    cum = round_half_away(annual[..., None] * share)
    out = np.diff(cum, axis=-1, prepend=0)
    # A line with no weight at all (last year's shape of a line with no actuals) goes evenly.
    flat = total[..., 0] == 0
    if flat.any():
        out[flat] = spread(annual[flat], np.ones(n))
    return out


@dataclass(frozen=True)
class YearMonths:
    """One year by month, each (O, L, 12) int64 pence, rolled up the organisation tree."""

    year: int
    closed: int
    plan: np.ndarray
    actual: np.ndarray
    forecast: np.ndarray
    run_rate: np.ndarray  # (L,) bool: lines forecast at the year-to-date run rate

    @property
    def has_actuals(self) -> bool:
        return self.closed > 0


def phase(res: Results, inputs: MonthInputs) -> YearMonths:
    """The year's plan phased, its actuals and its forecast, for every organisation and line."""
    snap = res.snapshot
    y, closed = inputs.year, inputs.closed
    own = res.own[:, :, y]
    n_line = own.shape[1]
    weights = np.ones((*own.shape, 12))
    run_rate = np.zeros(n_line, dtype=bool)
    for li, (profile, method) in inputs.profiles.items():
        run_rate[li] = method == "run_rate"
        if profile == "actuals":
            weights[:, li] = (
                np.clip(inputs.last_year[:, li], 0, None) if inputs.last_year is not None else 0
            )
        elif profile != "even":
            weights[:, li] = np.array([float(w) for w in profile.split(",")])
    plan = spread(own, weights)
    actual = np.where(inputs.actual_set, inputs.actual, 0)
    actual[:, :, closed:] = 0  # a month after the closed one is not yet an actual
    forecast = plan.copy()
    if closed:
        # An organisation's line with no actual at all this year has not been reported: its
        # forecast stays the plan (the import names it) rather than counting it as unspent.
        reported = np.asarray(inputs.actual_set[:, :, :closed].any(axis=-1))
        forecast[:, :, :closed] = np.where(
            reported[:, :, None], actual[:, :, :closed], plan[:, :, :closed]
        )
        if run_rate.any() and closed < 12:
            ytd = forecast[:, run_rate, :closed].sum(axis=-1)
            rest = round_half_away(ytd * ((12 - closed) / closed))
            forecast[:, run_rate, closed:] = spread(rest, np.ones(12 - closed))
    return YearMonths(
        y,
        closed,
        roll_in_year(snap, plan, y),
        roll_in_year(snap, actual, y),
        roll_in_year(snap, forecast, y),
        run_rate,
    )


def view_values(res: Results, months: dict[int, YearMonths], view: str) -> np.ndarray:
    """(O, L, Y) rolled pence of a view: the plan; actuals (years with any); the forecast
    outturn (the plan where a year has no actuals); forecast (or actual) less plan."""
    if view not in VIEWS:
        raise ValueError(view)
    plan = res.rolled
    if view == "plan":
        return plan
    if view == "variance":
        return view_values(res, months, "forecast") - plan
    out = plan.copy() if view == "forecast" else np.zeros_like(plan)
    for y, ym in months.items():
        if not ym.has_actuals:
            continue
        out[:, :, y] = (ym.actual if view == "actual" else ym.forecast).sum(axis=-1)
    if view == "forecast":
        _rebalance(res, out)
    return out


def _rebalance(res: Results, rolled: np.ndarray) -> None:
    """A balancing line (Reserve/QIPP) forecasts what the allocation leaves once every other
    line of its type is forecast: it is not spent, so it has no actual of its own."""
    snap = res.snapshot
    years = np.arange(rolled.shape[2])
    others = snap.basis != BALANCE
    for b in np.flatnonzero(snap.basis == BALANCE):
        in_subtree = rollup(snap.holds[:, b].astype(np.int64), snap.subtree_end) > 0
        t = snap.year_type[b]
        same = others[:, None] & (snap.year_type == t[None, :])  # (L, Y)
        spend = (rolled * same[None]).sum(axis=1)  # (O, Y)
        left = res.alloc_rolled[:, t, years] - spend
        rolled[:, b] = np.where(in_subtree[:, None], left, 0)


def view_rows(res: Results, org: int, months: dict[int, YearMonths], view: str) -> list[SummaryRow]:
    """`summary` rows for a view; variance rows are the forecast's less the plan's, so the
    allocation's variance is nil and headroom's is what committed spend moved."""
    if view != "variance":
        return summary_rows(res, org, view_values(res, months, view))
    plan = summary_rows(res, org)
    forecast = summary_rows(res, org, view_values(res, months, "forecast"))
    return [
        SummaryRow(f.section, f.line, f.name, f.budget_type, f.pence - p.pence, f.kind)
        for f, p in zip(forecast, plan, strict=True)
    ]
