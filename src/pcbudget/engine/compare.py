"""Scenarios side by side: each one's summary, and its variance against the first.

The baseline is loaded and computed once; each scenario is its layers overlaid on it, with
only the lines it touches recalculated, so ten scenarios of a national book compare quickly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..book.schema import MEASURES
from .children import children, year_parents
from .compute import Results, compute, recompute
from .snapshot import InputSource, Snapshot, Touched, load_snapshot, overlay_scenario
from .summary import SummaryRow, summary_rows


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


def scenario_results(
    source: InputSource, names: list[str], base: Results | None = None
) -> Iterator[tuple[str, Results]]:
    """Each named scenario's results in turn, all made from one baseline.

    `source` is an open book or its connection (it reads the inputs). Pass the baseline's
    results when they are at hand (the app has them) to skip loading it.
    Results are yielded one at a time so only one scenario's arrays live at once.
    """
    if base is None:
        base = compute(load_snapshot(source, None))
    for name in names:
        scen = base.snapshot.structure.scenario(name)
        if scen.id == 0:
            yield scen.name, base
            continue
        yield scen.name, _recomputed(base, *overlay_scenario(base.snapshot, source, scen.name))


def _recomputed(base: Results, snap: Snapshot, touched: Touched) -> Results:
    lines = np.array(sorted(touched.lines), dtype=np.int64) if touched.lines else None
    if lines is None and not touched.populations and not touched.allocations:
        res = copy.copy(base)  # the scenario overrides nothing yet: it equals its parent
        res.snapshot = snap
        return res
    res = copy.copy(base)
    res.snapshot = snap
    for name in ("own", "rolled"):
        setattr(res, name, getattr(base, name).copy(order="K"))  # keeps the layout
    recompute(
        res,
        lines=lines,
        populations_changed=touched.populations,
        allocations_changed=touched.allocations,
    )
    return res


def compare(
    source: InputSource, names: list[str], org: int, base: Results | None = None
) -> list[CompareRow]:
    """Rows in the first scenario's order, with every scenario's values by year."""
    tables = []
    for _, res in scenario_results(source, names, base):
        tables.append(summary_rows(res, org))
        del res  # before the next scenario is worked out, so only one is held at a time
    return compare_tables(tables)


def compare_tables(tables: list[list[SummaryRow]]) -> list[CompareRow]:
    """Scenarios' summary rows side by side, in the first one's order, totals last."""
    keys: list[tuple[str, str]] = []
    info: dict[tuple[str, str], tuple[str, str]] = {}
    for table in tables:
        for r in table:
            if (r.section, r.line) not in info:
                keys.append((r.section, r.line))
                info[(r.section, r.line)] = (r.name, r.kind)
    n_year = len(tables[0][0].pence)
    index = [{(r.section, r.line): r.pence for r in table} for table in tables]
    out = []
    for key in keys:
        values = np.zeros((len(tables), n_year), dtype=np.int64)
        for i, rows in enumerate(index):
            if key in rows:
                values[i] = rows[key]
        out.append(CompareRow(key[0], key[1], info[key][0], info[key][1], values))
    return _totals_last(out)


def _totals_last(rows: list[CompareRow]) -> list[CompareRow]:
    body = [r for r in rows if r.section not in ("budget_type", "allocation", "headroom", "all")]
    tail = [r for r in rows if r.section in ("budget_type", "allocation", "headroom", "all")]
    return body + tail


def per_head(results: Results, org: int, measure: str) -> np.ndarray:
    """Total spend per head of `measure` (Y,) in pounds; NaN where there is no population."""
    total = results.rolled[org].sum(axis=0) / 100
    pop = results.pop[org, MEASURES.index(measure)]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pop > 0, total / pop, np.nan)


def net_saving(res: Results, org: int) -> np.ndarray:
    """(Y,) int64 pence: the left-shift net system saving of every organisation in `org`'s subtree.

    Each organisation's saving is rounded to pence first, so the sum equals the rows it adds up.
    """
    from .leftshift import compute_leftshift

    snap = res.snapshot
    total = np.zeros(len(snap.structure.years), dtype=np.int64)
    for o, params in snap.leftshift.items():
        if org <= o < snap.subtree_end[org]:
            total += compute_leftshift(params, snap.structure.years).pence("net_saving")
    return total


@dataclass(frozen=True)
class OrgRow:
    org: str
    scenario: str
    measure: str  # 'total', 'per_registered_head', 'per_weighted_head'
    values: np.ndarray  # (Y,) int64 pence for 'total'; float pounds a head for the per-head rows
    #: Per year, why the row has no figure there (None where it has one): the organisation is
    #: not under the one compared that year, or has no population to divide by.
    gaps: tuple[str | None, ...] = ()

    def gap(self, year: int) -> str | None:
        return self.gaps[year] if self.gaps else None


def compare_orgs(
    source: InputSource, names: list[str], org: int, base: Results | None = None
) -> list[OrgRow]:
    """The organisations below `org` side by side under each scenario: £ and £ per head. An
    organisation under `org` in some years only (a dated move) has figures in those years
    alone, so each year's rows add up to `org`'s own."""
    rows: list[OrgRow] = []
    for name, res in scenario_results(source, names, base):
        snap = res.snapshot
        years, above = snap.structure.years, snap.structure.orgs[org].code
        kids = children(snap, org) or [org]
        parents = [year_parents(snap, y) for y in range(len(years))]
        for k in kids:
            code = snap.structure.orgs[k].code
            away: list[str | None] = [None] * len(years)
            if k != org:  # a child: a year it is elsewhere (or closed) is not org's
                there = [p[k] == org for p in parents]
                away = [
                    None if t else f"{code} is not under {above} in {y}"
                    for y, t in zip(years, there, strict=True)
                ]
            total = np.where([a is None for a in away], res.rolled[k].sum(axis=0), 0)
            rows.append(OrgRow(code, name, "total", total, _gaps(away)))
            for measure in ("registered", "weighted"):
                figures = per_head(res, k, measure)
                gaps = [
                    a or (f"{code} has no {measure} population in {y}" if np.isnan(v) else None)
                    for a, y, v in zip(away, years, figures, strict=True)
                ]
                rows.append(OrgRow(code, name, f"per_{measure}_head", figures, _gaps(gaps)))
        del res  # before the next scenario is worked out, so only one is held at a time
    rows.sort(key=lambda r: (r.org, r.measure != "total", r.measure, names.index(r.scenario)))
    return rows


def _gaps(gaps: list[str | None]) -> tuple[str | None, ...]:
    """A row's gaps, or none at all where every year has its figure."""
    return tuple(gaps) if any(gaps) else ()
