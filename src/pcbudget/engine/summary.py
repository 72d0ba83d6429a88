"""An organisation's budget as rows: lines in book order, section totals, budget types,
allocation, headroom and the grand total (the `summary` contract, and later the grid's rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compute import Results
from .rollup import members
from .snapshot import BALANCE


@dataclass(frozen=True)
class SummaryRow:
    section: str
    line: str
    name: str
    budget_type: str
    pence: np.ndarray  # (Y,) int64, the row's own read-only copy
    kind: str  # 'line', 'section_total', 'budget_type', 'allocation', 'headroom', 'total'

    def __post_init__(self) -> None:
        # A row handed out must not change when the engine recalculates after a later edit.
        own = np.array(self.pence, dtype=np.int64)
        own.flags.writeable = False
        object.__setattr__(self, "pence", own)


def lines_shown(res: Results, org: int) -> np.ndarray:
    """Indices of the lines an organisation shows: held by it or by anyone in its subtree, in
    any year's tree (a PCN a practice joins from 2027/28 shows the practice's lines)."""
    snap = res.snapshot
    held = snap.holds[org : snap.subtree_end[org]].any(axis=0)
    for year in snap.year_trees:
        held |= snap.holds[members(snap, org, year)].any(axis=0)
    return np.flatnonzero(held)


def summary_rows(res: Results, org: int, rolled: np.ndarray | None = None) -> list[SummaryRow]:
    """The rows of `pcbudget summary` for organisation index `org`; `rolled` (O, L, Y) gives
    other figures than the plan (actuals, forecast) with the same totals worked out."""
    snap = res.snapshot
    s = snap.structure
    shown = lines_shown(res, org)
    values = (res.rolled if rolled is None else rolled)[org]
    rows: list[SummaryRow] = []
    for sec_idx, section in enumerate(s.sections):
        in_section = shown[snap.line_section[shown] == sec_idx]
        if in_section.size == 0:
            continue
        for li in in_section:
            line = s.lines[li]
            rows.append(
                SummaryRow(section.code, line.code, line.name, line.budget_type, values[li], "line")
            )
        rows.append(
            SummaryRow(
                section.code,
                "total",
                f"Subtotal: {section.name}",
                "",
                values[in_section].sum(axis=0),
                "section_total",
            )
        )
    for t_idx, btype in enumerate(s.budget_types):
        in_type = snap.year_type[shown] == t_idx  # (shown, Y): a line's type is per year
        present = res.alloc_present[org, t_idx].any()
        if not in_type.any() and not present:
            continue
        counted = np.where(in_type, values[shown], 0)
        spend = counted.sum(axis=0)
        committed = counted[snap.basis[shown] != BALANCE].sum(axis=0)
        rows.append(
            SummaryRow(
                "budget_type", btype.code, f"Total {btype.name}", btype.code, spend, "budget_type"
            )
        )
        if present:
            alloc = res.alloc_rolled[org, t_idx]
            rows.append(
                SummaryRow(
                    "allocation",
                    btype.code,
                    f"Allocation: {btype.name}",
                    btype.code,
                    alloc,
                    "allocation",
                )
            )
            rows.append(
                SummaryRow(
                    "headroom",
                    btype.code,
                    f"Headroom: {btype.name} less committed spend",
                    btype.code,
                    alloc - committed,
                    "headroom",
                )
            )
    rows.append(SummaryRow("all", "total", "Total", "", values[shown].sum(axis=0), "total"))
    return rows
