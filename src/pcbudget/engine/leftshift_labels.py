"""Left-shift parameters and results in the users' words, as the grids show them: 'Outpatient
first: share of cost released' and '50%', never the book's keys ('op_first.marginal_share') and
fractions. The change log, the undo list and the Excel return use these too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..book.leftshift_params import SHARES
from ..book.money import format_money, to_pence

LABELS = {
    "baseline": "Baseline\nactivity",
    "demand_growth": "Demand\ngrowth",
    "acute_unit_cost": "Acute\n£ per unit",
    "marginal_share": "Share of cost\nreleased",
    "reduction": "Reduction\ntarget",
    "share_to_primary_care": "Share to\nprimary care",
    "primary_unit_cost": "Primary care\n£ per unit",
}
PERCENT = SHARES | {"demand_growth"}
POD_NAMES = {
    "op_first": "Outpatient first",
    "op_follow_up": "Outpatient follow-up",
    "ae_minor": "A&E minor",
    "elective_daycase": "Elective day case",
    "non_elective": "Non-elective",
}
OTHER = {
    "mode": "Method",
    "reinvest_share": "Reinvested share of net saving",
    "top_down.base": "Top-down base",
    "top_down.share": "Top-down share of the base",
    "top_down.years": "Top-down years to reach it",
}
YEARLY = {"phasing": "Phasing", "double_running": "Double running"}
MODES = {"bottom_up": "Bottom-up", "top_down": "Top-down"}
MEASURE_LABELS = {
    "activity_shifted": "Activity shifted (attendances)",
    "gross_saving": "Gross saving",
    "primary_cost": "Primary care cost",
    "double_running": "Double running",
    "net_saving": "Net saving",
    "reinvestment": "Reinvestment",
    "investment": "Investment in primary care",
    "cumulative_net": "Cumulative net saving",
}
_KEY = re.compile(r"(?<![\w.])([a-z][a-z0-9_]*\.(?:[a-z_]+|\d{4}/\d{2})|reinvest_share)(?![\w/])")


def pod_name(pod: str) -> str:
    """A point of delivery as the grid's row heading."""
    return POD_NAMES.get(pod) or YEARLY.get(pod) or pod.replace("_", " ").capitalize()


def param_label(key: str) -> str:
    """'op_first.marginal_share' -> 'Outpatient first: share of cost released'; unknown keys as
    they are."""
    if key in OTHER:
        return OTHER[key]
    head, _, tail = key.partition(".")
    if head in YEARLY:
        return f"{YEARLY[head]} {tail}"
    if tail in LABELS:
        return f"{pod_name(head)}: {LABELS[tail].replace(chr(10), ' ').lower()}"
    return key


def readable(text: str) -> str:
    """Text with every left-shift key in it replaced by its label (for stored step names)."""
    return _KEY.sub(lambda m: param_label(m.group(1)), text)


def reading_order(keys: list[str]) -> list[str]:
    """Parameter keys as a reader takes them: the method, each point of delivery's fields in
    the grid's order, reinvestment and top-down, then phasing and double running by year."""
    fields = list(LABELS)
    pods = list(POD_NAMES)

    def rank(key: str) -> tuple[int, int, str, int, str]:
        head, _, tail = key.partition(".")
        if key == "mode":
            return (0, 0, "", 0, key)
        if tail in LABELS:  # pods the grid names first, then others by name
            at = pods.index(head) if head in pods else len(pods)
            return (1, at, head, fields.index(tail), key)
        if key in OTHER:
            return (2, list(OTHER).index(key), "", 0, key)
        if head in YEARLY:
            return (3, list(YEARLY).index(head), "", 0, key)
        return (4, 0, "", 0, key)

    return sorted(keys, key=rank)


def measure_label(measure: str) -> str:
    """'cumulative_net' -> 'Cumulative net saving'."""
    return MEASURE_LABELS.get(measure) or measure.replace("_", " ").capitalize()


def value_kind(key: str) -> str:
    """How a parameter's value reads: 'percent' (stored as a fraction), 'money' (a unit cost,
    to the penny), 'pounds' (a base, to the pound), 'count' or 'text'."""
    field = key.rpartition(".")[2]
    head = key.partition(".")[0]
    if key == "mode":
        return "text"
    if field in PERCENT or head in YEARLY or key in ("reinvest_share", "top_down.share"):
        return "percent"
    if key == "top_down.base":
        return "pounds"
    if field in ("acute_unit_cost", "primary_unit_cost"):
        return "money"
    return "count"


def show_value(key: str, value: str | None) -> str:
    """A parameter's stored text as the grid shows it: shares in %, costs in £."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value  # 'bottom_up', 'top_down'
    kind = value_kind(key)
    if kind == "percent":
        return f"{number * 100:.2f}%".replace(".00%", "%")
    if kind in ("money", "pounds"):
        return "£" + format_money(to_pence(number), decimals=0 if kind == "pounds" else 2)
    return f"{number:,f}".rstrip("0").rstrip(".") if "." in value else f"{int(value):,}"
