"""Scenarios side by side: each one's summary, and its variance against the first.

The baseline is loaded and computed once; each scenario is its layers overlaid on it, with
only the lines it touches recalculated, so ten scenarios of a national book compare quickly.
"""

from __future__ import annotations

import copy
import sqlite3
from dataclasses import dataclass

import numpy as np

from ..book.schema import MEASURES
from .compute import Results, compute, recompute
from .snapshot import Snapshot, load_snapshot, overlay_scenario
from .summary import summary_rows


@dataclass(frozen=True)
class CompareRow:
    section: str
    line: str
    name: str
    kind: str
    values: np.ndarray  # (S, Y) pence, one row per scenario in the order asked

    def variance(self) -> np.ndarray:
        """(S-1, Y) pence: each later scenario less the first."""
        return self.values[1:] - self.values[0]

    def differs(self) -> bool:
        return bool(np.any(self.values != self.values[0]))


def scenario_results(conn: sqlite3.Connection, names: list[str]) -> dict[str, Results]:
    """Computed results for each named scenario, sharing one baseline load."""
    base_snap = load_snapshot(conn, None)
    base = compute(base_snap)
    out: dict[str, Results] = {}
    for name in names:
        scen = base_snap.structure.scenario(name)
        if scen.id == 0:
            out[scen.name] = base
            continue
        snap, touched = overlay_scenario(base_snap, conn, scen.name)
        out[scen.name] = _recomputed(base, snap, touched)
    return out


def _recomputed(base: Results, snap: Snapshot, touched) -> Results:
    res = copy.copy(base)
    res.snapshot = snap
    for name in ("pop", "pop_status", "calc", "own", "rolled", "alloc_rolled", "alloc_present"):
        setattr(res, name, getattr(base, name).copy())
    res.scratch = np.empty_like(base.scratch)
    lines = np.array(sorted(touched.lines), dtype=np.int64) if touched.lines else None
    if lines is None and not touched.populations and not touched.allocations:
        return res  # the scenario overrides nothing yet: it equals its parent
    recompute(
        res,
        lines=lines,
        populations_changed=touched.populations,
        allocations_changed=touched.allocations,
    )
    return res


def compare(results: dict[str, Results], org: int) -> list[CompareRow]:
    """Rows in the first scenario's order, with every scenario's values by year."""
    names = list(results)
    tables = [summary_rows(results[n], org) for n in names]
    keys: list[tuple[str, str]] = []
    info: dict[tuple[str, str], tuple[str, str]] = {}
    for table in tables:
        for r in table:
            if (r.section, r.line) not in info:
                keys.append((r.section, r.line))
                info[(r.section, r.line)] = (r.name, r.kind)
    n_year = len(next(iter(results.values())).snapshot.structure.years)
    out = []
    for key in keys:
        values = np.zeros((len(names), n_year), dtype=np.int64)
        for i, table in enumerate(tables):
            for r in table:
                if (r.section, r.line) == key:
                    values[i] = r.pence
        out.append(CompareRow(key[0], key[1], info[key][0], info[key][1], values))
    # A line that appears only in some scenarios (left shift) goes before the totals.
    return _totals_last(out)


def _totals_last(rows: list[CompareRow]) -> list[CompareRow]:
    body = [r for r in rows if r.section not in ("budget_type", "allocation", "headroom", "all")]
    tail = [r for r in rows if r.section in ("budget_type", "allocation", "headroom", "all")]
    return body + tail


def per_head(results: Results, org: int, measure: str) -> np.ndarray:
    """Total spend per head of `measure` (Y,) in pounds; nil where there is no population."""
    total = results.rolled[org].sum(axis=0) / 100
    pop = results.pop[org, MEASURES.index(measure)]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(np.where(pop > 0, total / pop, 0.0))
