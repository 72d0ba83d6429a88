"""What a scenario changes: its overrides against its parent and against the baseline."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BookError
from .operations import CELL_KINDS, KINDS
from .operations import describe as _describe
from .store import Book
from .structure import load_structure

_TABLES = {name: kind for name, kind in KINDS.items() if name in CELL_KINDS}


@dataclass(frozen=True)
class Difference:
    """One assumption a scenario sets differently."""

    assumption: str  # e.g. 'amount', 'rate', 'left shift'
    target: str  # 'LC core_contract 2020/21'
    baseline: str
    scenario: str
    layer: str  # the scenario that sets it


def _label(book: Book, kind: str, key: tuple) -> str:
    s = load_structure(book.conn)
    orgs = {o.id: o.code for o in s.orgs}
    lines = {ln.id: ln.code for ln in s.lines}
    year = lambda i: s.years[i]  # noqa: E731
    if kind == "amount":
        return f"{orgs[key[0]]} {lines[key[1]]} {year(key[2])}"
    if kind in ("rate", "uplift"):
        return f"{lines[key[0]]} {year(key[1])}"
    if kind == "population":
        return f"{orgs[key[0]]} {key[1]} {year(key[2])}"
    if kind == "growth":
        return f"{orgs.get(key[0], 'book-wide')} {key[1]}"
    if kind == "allocation":
        return f"{orgs[key[0]]} {key[1]} {year(key[2])}"
    return str(key)


def differences(book: Book, scenario: str, *, against: str = "parent") -> list[Difference]:
    """Every override of `scenario` (its own, or with against='baseline' its whole chain)."""
    s = load_structure(book.conn)
    scen = s.scenario(scenario)
    if scen.id == 0:
        raise BookError("The baseline is what scenarios differ from.")
    chain = s.scenario_chain(scen)
    layers = [scen.id] if against == "parent" else chain[1:]
    names = {x.id: x.name for x in s.scenarios}
    out: dict[tuple, Difference] = {}
    for kind_name, kind in _TABLES.items():
        cols = ", ".join((*kind.keys, *kind.values))
        for layer in layers:
            for row in book.conn.execute(
                f"SELECT {cols} FROM {kind.table} WHERE scenario_id = ?", (layer,)
            ):
                key = tuple(row[: len(kind.keys)])
                value = tuple(row[len(kind.keys) :])
                base = book.conn.execute(
                    f"SELECT {', '.join(kind.values)} FROM {kind.table} WHERE scenario_id = 0 AND "
                    + " AND ".join(f"{k} = ?" for k in kind.keys),
                    key,
                ).fetchone()
                out[(kind_name, key)] = Difference(
                    kind_name,
                    _label(book, kind_name, key),
                    _describe(kind_name, tuple(base) if base else None),
                    _describe(kind_name, value),
                    names[layer],
                )
    orgs = {o.id: o.code for o in s.orgs}
    for layer in layers:
        for org_id, key, value in book.conn.execute(
            "SELECT org_id, key, value FROM leftshift WHERE scenario_id = ?", (layer,)
        ):
            out[("leftshift", (org_id, key))] = Difference(
                "left shift", f"{orgs[org_id]} {key}", "(none)", value, names[layer]
            )
    return list(out.values())
