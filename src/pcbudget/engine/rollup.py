"""Roll-ups: each organisation's figure plus its descendants', and the book's shape the
calculation works them out from, kept while that shape stays the same (`Plan`).

Organisations run depth-first, so a subtree is a contiguous run and its total one difference of
a cumulative sum along the organisations (exact in int64, even past a wrap). A year whose tree
differs from the first year's (an organisation moved or closed from it) is rolled up again
along its own depth-first order: gathered into that order, summed the same way, put back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .snapshot import BALANCE, BASIS, Snapshot


def rollup(
    values: np.ndarray,
    subtree_end: np.ndarray,
    out: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """Each organisation's value plus its descendants' (a subtree is a contiguous slice).

    One cumulative sum down the depth-first order: rolled[i] = csum[end_i - 1] - csum[i - 1].
    `out` and `scratch` (same shape as `values`) let a caller reuse its buffers.
    """
    csum = np.cumsum(values, axis=0, out=scratch)
    result = np.take(csum, subtree_end - 1, axis=0, out=out)
    result[1:] -= csum[:-1]
    return result


@dataclass(frozen=True)
class Plan:
    """What a calculation needs from the book's shape: line groups and the roll-up's parents."""

    made_from: tuple[np.ndarray, ...]  # the snapshot arrays it was worked out from
    groups: dict[int, np.ndarray]  # basis -> its lines
    parents: np.ndarray  # organisations with children, each subtree [p, last + 1)
    last: np.ndarray  # the last organisation of each parent's subtree
    type_lines: np.ndarray  # (T, L, Y) bool: a non-balancing line's amount counts against type t
    #: Years whose tree differs from the first year's: (year, its depth-first order, its runs).
    years: tuple[tuple[int, np.ndarray, np.ndarray], ...] = ()
    #: (year, organisations closed that year) for each year in which any is closed.
    closed: tuple[tuple[int, np.ndarray], ...] = ()


def plan_of(snap: Snapshot) -> Plan:
    """The plan for `snap`, reused while its shape arrays are the same objects."""
    made_from = (snap.basis, snap.subtree_end, snap.year_type, snap.open)
    cached = getattr(snap, "_plan", None)
    if cached is not None and all(a is b for a, b in zip(cached.made_from, made_from, strict=True)):
        return cached
    groups = {basis: np.flatnonzero(snap.basis == basis) for basis in range(len(BASIS))}
    parents = np.flatnonzero(snap.subtree_end > np.arange(1, snap.subtree_end.size + 1))
    n_type = snap.alloc.shape[1]
    others = (snap.basis != BALANCE)[:, None]
    type_lines = np.stack([(snap.year_type == t) & others for t in range(n_type)])
    years = tuple((y, tree.order, tree.end) for y, tree in sorted(snap.year_trees.items()))
    closed: tuple[tuple[int, np.ndarray], ...] = ()
    if snap.open.size and not snap.open.all():
        shut = ~snap.open
        closed = tuple((int(y), np.flatnonzero(shut[:, y])) for y in np.flatnonzero(shut.any(0)))
    plan = Plan(
        made_from, groups, parents, snap.subtree_end[parents] - 1, type_lines, years, closed
    )
    object.__setattr__(snap, "_plan", plan)
    return plan


def roll_year(values: np.ndarray, order: np.ndarray, end: np.ndarray) -> np.ndarray:
    """`rollup` along the last axis (organisations) by one year's own depth-first order:
    gathered into that order, rolled up, put back."""
    totals = rollup(np.moveaxis(values[..., order], -1, 0), end)
    out = np.empty_like(values)
    out[..., order] = np.moveaxis(totals, 0, -1)
    return out


def roll_in_year(snap: Snapshot, values: np.ndarray, year: int) -> np.ndarray:
    """`rollup` of (O, ...) `values` along year index `year`'s tree: the book's depth-first
    order, or that year's own where it differs (a move or a closure)."""
    tree = snap.year_trees.get(year)
    if tree is None:
        return rollup(values, snap.subtree_end)
    return roll_year(values.T, tree.order, tree.end).T


def members(snap: Snapshot, org: int, year: int) -> np.ndarray:
    """Positions of `org` and every organisation under it in year index `year`'s tree."""
    tree = snap.year_trees.get(year)
    if tree is None:
        return np.arange(org, int(snap.subtree_end[org]))
    k = int(np.flatnonzero(tree.order == org)[0])
    return tree.order[k : tree.end[k]]


def _reroll_years(values: np.ndarray, out: np.ndarray, plan: Plan) -> None:
    """Redo the years whose tree differs, from `values` into `out`, both (O, ..., Y)."""
    for y, order, end in plan.years:
        out.T[y] = roll_year(values.T[y], order, end)


def lines_at(lines: np.ndarray) -> slice | np.ndarray:
    """Sorted positions (lines, measures) as an index: a slice (a view, no copy) when they
    are adjacent."""
    if lines.size and lines[-1] - lines[0] == lines.size - 1:
        return slice(int(lines[0]), int(lines[-1]) + 1)
    return lines


class Bounds(NamedTuple):
    """Parents whose total differs from their own amount, and where their subtrees lie in a
    cumulative sum `csum` along the holders: each total is csum[high] - csum[low], but for
    the first `first` parents (no holder before theirs), whose total is csum[high] alone."""

    parents: np.ndarray
    high: np.ndarray
    low: np.ndarray  # the parents after the first `first`
    first: int


def bounds(plan: Plan, holders: np.ndarray | None) -> Bounds:
    """The parents with a holder strictly below (every parent when `holders` is None, which
    stands for every organisation) and their subtrees' bounds in a cumulative sum along the
    holders."""
    parents, ends = plan.parents, plan.last + 1
    if holders is None:
        low, high = parents, ends
    else:
        low, high = np.searchsorted(holders, parents), np.searchsorted(holders, ends)
        holds_too = np.take(holders, low, mode="clip") == parents if holders.size else False
        some = np.flatnonzero(high - low > holds_too)  # a holder strictly below
        parents, low, high = parents[some], low[some], high[some]
    first = int(np.count_nonzero(low == 0))  # a prefix: `low` rises with the parents
    return Bounds(parents, high - 1, low[first:] - 1, first)


def totals(csum: np.ndarray, where: Bounds) -> np.ndarray:
    """(..., parents) subtree totals from a cumulative sum (..., holders) along the holders."""
    out = np.take(csum, where.high, axis=-1)  # quicker than indexing with an array
    out[..., where.first :] -= np.take(csum, where.low, axis=-1)
    return out


def roll(
    values: np.ndarray,
    plan: Plan,
    *,
    holders: np.ndarray | None = None,
) -> np.ndarray:
    """`rollup` of any (O, ...) array, worked along the organisations' axis.

    Figures are nil but at `holders` (sorted positions; None: anywhere), so a leaf is its own
    total, and so is any organisation with nothing held below it; the parents with something
    below take a difference of a cumulative sum along the holders (`bounds`). Years with a tree
    of their own are redone along it."""
    out = np.empty_like(values)  # the same layout as `values`
    by_org = values.T if holders is None else values.T[..., holders]
    where = bounds(plan, holders)
    np.copyto(out, values)
    out.T[..., where.parents] = totals(np.cumsum(by_org, axis=-1), where)
    if plan.years:
        _reroll_years(values, out, plan)
    return out
