"""Reading a scenario's stored figures for the engine: one query per table, checked, as records.

A stored figure the engine cannot use (text where a number belongs, out of the bounds typing
applies) is refused here, where the SQL is, with the figure named (`bounds.refuse_stored`).
"""

from __future__ import annotations

import sqlite3

import numpy as np

from .bounds import GROWTH, MAX_PENCE, MONTHS, POPULATION, RATE, UPLIFT, Bound, refuse_stored
from .errors import BookError
from .inputs import TABLES, BookInputs
from .schema import MEASURES
from .structure import Scenario, Structure, load_structure, positions

_MEASURE = {name: i for i, name in enumerate(MEASURES)}


class _OutOfRange(Exception):
    """A stored figure outside its bound: `refuse_stored` finds and names it."""


def read_inputs(
    conn: sqlite3.Connection,
    scenario: str | None = None,
    structure: Structure | None = None,
    *,
    scenario_only: bool = False,
) -> BookInputs:
    """`scenario`'s stored figures, baseline first; only its own layers with `scenario_only`
    (to overlay on a baseline already computed)."""
    s = structure or load_structure(conn)
    scen = s.scenario(scenario)
    chain = tuple(s.scenario_chain(scen))
    layers = chain[1:] if scenario_only else chain
    try:
        inputs = _read(conn, s, scen, chain, layers)
        _check_ranges(inputs)
    except (ValueError, TypeError, OverflowError, _OutOfRange):  # text, 1e308, out of range
        raise refuse_stored(conn) from None
    _check_leftshift(inputs)
    return inputs


def _layered(conn: sqlite3.Connection, sql: str, layers: tuple[int, ...]) -> list[tuple]:
    """Rows of `sql` (first column scenario_id) for the layers, baseline first, so later wins."""
    if not layers:
        return []
    marks = ",".join("?" for _ in layers)
    rows = conn.execute(sql.format(chain=marks), layers).fetchall()
    if len(layers) > 1:
        rank = {sid: i for i, sid in enumerate(layers)}
        rows.sort(key=lambda r: rank[r[0]])
    return rows


def _layered_numbers(
    conn: sqlite3.Connection, sql: str, layers: tuple[int, ...], width: int
) -> np.ndarray:
    """As `_layered`, as an int64 array read a block at a time: a national book's 80,000
    amounts never sit in memory as Python tuples all at once."""
    if not layers:
        return np.zeros((0, width), dtype=np.int64)
    cursor = conn.execute(sql.format(chain=",".join("?" for _ in layers)), layers)
    blocks = []
    while rows := cursor.fetchmany(8192):
        blocks.append(np.array(rows, dtype=np.int64).reshape(-1, width))
    out = np.concatenate(blocks) if blocks else np.zeros((0, width), dtype=np.int64)
    if len(layers) > 1:  # baseline first, so a later layer wins
        rank = np.zeros(max(layers) + 1, dtype=np.int64)
        rank[list(layers)] = np.arange(len(layers))
        out = out[np.argsort(rank[out[:, 0]], kind="stable")]
    return out


def _read(
    conn: sqlite3.Connection,
    s: Structure,
    scen: Scenario,
    chain: tuple[int, ...],
    layers: tuple[int, ...],
) -> BookInputs:
    org_index = {o.id: i for i, o in enumerate(s.orgs)}
    line_index = {ln.id: i for i, ln in enumerate(s.lines)}
    type_index = {t.code: i for i, t in enumerate(s.budget_types)}
    tables: set[str] = set()

    amounts = _layered_numbers(
        conn,
        "SELECT scenario_id, org_id, line_id, year_idx, pence IS NULL, coalesce(pence, 0)"
        " FROM amounts WHERE scenario_id IN ({chain})",
        layers,
        6,
    )
    if amounts.size:
        tables.add("amounts")
    notes = tuple(
        (org_index[org_id], line_index[line_id], int(y), str(note))
        for _, org_id, line_id, y, note in _layered(
            conn,
            "SELECT scenario_id, org_id, line_id, year_idx, note FROM amounts"
            " WHERE note IS NOT NULL AND scenario_id IN ({chain})",
            layers,
        )
    )
    rates = tuple(
        (line_index[line_id], int(y), str(rate), float(rate), float(months), source, confidence)
        for _, line_id, y, rate, months, source, confidence in _layered(
            conn,
            "SELECT scenario_id, line_id, year_idx, rate, months, source, confidence FROM rates"
            " WHERE scenario_id IN ({chain})",
            layers,
        )
    )
    uplifts = tuple(
        (line_index[line_id], int(y), float(pct))
        for _, line_id, y, pct in _layered(
            conn,
            "SELECT scenario_id, line_id, year_idx, pct FROM uplifts"
            " WHERE scenario_id IN ({chain})",
            layers,
        )
    )
    pops = _layered(
        conn,
        "SELECT scenario_id, org_id, measure, year_idx, value FROM populations"
        " WHERE scenario_id IN ({chain})",
        layers,
    )
    growth = tuple(
        (org_index[org_id] if org_id != 0 else -1, _MEASURE[measure], float(pct))
        for _, org_id, measure, pct in _layered(
            conn,
            "SELECT scenario_id, org_id, measure, pct FROM growth WHERE scenario_id IN ({chain})",
            layers,
        )
    )
    allocations = tuple(
        (org_index[org_id], type_index[btype], int(y), int(np.int64(pence)))
        for _, org_id, btype, y, pence in _layered(
            conn,
            "SELECT scenario_id, org_id, budget_type, year_idx, pence FROM allocations"
            " WHERE scenario_id IN ({chain})",
            layers,
        )
    )
    leftshift = tuple(
        (org_index[org_id], str(key), str(value), note)
        for _, org_id, key, value, note in _layered(
            conn,
            "SELECT scenario_id, org_id, key, value, note FROM leftshift"
            " WHERE scenario_id IN ({chain})",
            layers,
        )
    )
    for name, found in (
        ("amounts", notes),
        ("rates", rates),
        ("uplifts", uplifts),
        ("populations", pops),
        ("growth", growth),
        ("allocations", allocations),
        ("leftshift", leftshift),
    ):
        if found:
            tables.add(name)
    assert tables <= set(TABLES)
    return BookInputs(
        structure=s,
        scenario=scen,
        chain=chain,
        layers=layers,
        amount_layer=amounts[:, 0].copy(),
        amount_org=positions(org_index, amounts[:, 1]),
        amount_line=positions(line_index, amounts[:, 2]),
        amount_year=amounts[:, 3].copy(),
        amount_pence=amounts[:, 5].copy(),
        amount_set=amounts[:, 4] == 0,
        notes=notes,
        rates=rates,
        uplifts=uplifts,
        population_layer=np.array([r[0] for r in pops], dtype=np.int64),
        population_org=positions(org_index, np.array([r[1] for r in pops], dtype=np.int64)),
        population_measure=np.array([_MEASURE[r[2]] for r in pops], dtype=np.int64),
        population_year=np.array([r[3] for r in pops], dtype=np.int64),
        population_value=np.array([r[4] for r in pops], dtype=np.float64),
        growth=growth,
        allocations=allocations,
        leftshift=leftshift,
        tables=frozenset(tables),
    )


def _outside(values: np.ndarray | list[float], bound: Bound) -> bool:
    """Any value out of the bound, NaN included (both comparisons are false for NaN)."""
    arr = np.asarray(values, dtype=np.float64)
    return not bool(((arr >= float(bound.low)) & (arr <= float(bound.high))).all())


def _check_ranges(inputs: BookInputs) -> None:
    """Refuse inputs outside the bounds typing applies (`read_inputs` names the figure)."""
    pence = [inputs.amount_pence, np.array([a[3] for a in inputs.allocations], dtype=np.int64)]
    if (
        any(int(np.abs(p).max(initial=0)) > MAX_PENCE for p in pence)
        or any(int(p.min(initial=0)) < -MAX_PENCE for p in pence)  # abs(int64 min) wraps
        or _outside(inputs.population_value, POPULATION)
        or _outside([r[3] for r in inputs.rates], RATE)
        or _outside([r[4] for r in inputs.rates], MONTHS)
        or _outside([u[2] for u in inputs.uplifts], UPLIFT)
        or _outside([g[2] for g in inputs.growth], GROWTH)
    ):
        raise _OutOfRange


def _check_leftshift(inputs: BookInputs) -> None:
    """A left-shift parameter the checks made when it is typed would refuse, named."""
    from .leftshift_params import normalise  # it builds on the book's writes

    for o, key, value, _ in inputs.leftshift:
        try:
            normalise(key, value, inputs.structure)
        except BookError as exc:
            raise BookError(
                f"This book cannot be calculated: the left-shift parameter {key} of "
                f"{inputs.structure.orgs[o].code} is {value!r} ({exc}). pcbudget check lists "
                "every such figure."
            ) from None
