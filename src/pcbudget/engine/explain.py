"""How a cell was worked out, in words, for tooltips and reports.

"£1.761 x 1,093,587 weighted x 12/12" for a per-head cell, the uplift applied, or what the
balancing line balanced against; rolled-up cells say how many organisations they sum.
"""

from __future__ import annotations

from ..book.money import format_money
from ..book.schema import MEASURES
from .cell_status import CALCULATED, ENTERED_CELL, NOT_HELD, OVERRIDDEN
from .compute import Results
from .population import KNOWN, PROJECTED, SUMMED
from .rollup import members
from .snapshot import ALLOCATION_SHARE, BALANCE, PER_HEAD, RATED, UPLIFT

STATUS_WORDS = {
    NOT_HELD: "rolled up",
    CALCULATED: "calculated",
    ENTERED_CELL: "entered",
    OVERRIDDEN: "overridden",
}


#: Rate confidences a finance lead must be told about where the figure shows.
FLAGGED = ("assumed", "provisional", "uncertain", "not per head")


def rate_caveat(res: Results, line: int, year: int) -> str | None:
    """'Rate assumed: <source>' where a per-head cell rests on a rate that is not confirmed."""
    snap = res.snapshot
    if snap.basis[line] not in RATED:
        return None
    row = snap.rate_rows.get((line, year))
    if row is None:
        return None  # no rate: the formula shows £0
    confidence, source = row[3] or "", row[2] or ""
    if confidence in FLAGGED:
        return f"Rate {confidence}: {source}"
    return None


def _money(pence: int) -> str:
    return "£" + format_money(int(pence), decimals=2)


def _formula(res: Results, org: int, line: int, year: int) -> str:
    snap = res.snapshot
    basis = snap.basis[line]
    if basis == PER_HEAD:
        m = int(snap.measure[line])
        pop = res.pop[org, m, year]
        pop_text = "no population" if pop != pop else f"{pop:,.0f}"
        row = snap.rate_rows.get((line, year))
        rate = row[0] if row else "0"
        return f"£{rate} x {pop_text} {MEASURES[m]} x {snap.months[line, year]:g}/12"
    if basis == ALLOCATION_SHARE:
        t = int(snap.year_type[line, year])
        row = snap.rate_rows.get((line, year))
        share = f"{float(row[0]) * 100:g}%" if row else "no share set (0%)"
        of = _money(int(res.alloc_rolled[org, t, year]))
        code = snap.structure.budget_types[t].code
        return f"{share} of the {code} allocation {of} x {snap.months[line, year]:g}/12"
    if basis == UPLIFT and year > 0:
        if snap.open.size and not snap.open[org, year - 1]:
            return "closed the year before: nothing to grow from (type this year's amount)"
        prev = int(res.own[org, line, year - 1])
        return f"{_money(prev)} x (1 + {snap.uplift[line, year] * 100:.2f}%)"
    if basis == BALANCE:
        t = int(snap.year_type[line, year])
        code = snap.structure.budget_types[t].code
        alloc = int(res.alloc_rolled[org, t, year])
        left = int(res.own[org, line, year])
        word = "reserve (left to commit)" if left >= 0 else "QIPP required (savings to find)"
        return f"{code} allocation {_money(alloc)} less every other {code} line: {word}"
    return "entered"


def explain_cell(res: Results, org: int, line: int, year: int) -> str:
    """A few lines saying what a cell is and how it was worked out."""
    snap = res.snapshot
    status = int(res.status_at(org)[line, year])
    value = int(res.rolled[org, line, year])
    parts = [f"{STATUS_WORDS[status].capitalize()}: {_money(value)}"]
    if status == NOT_HELD and snap.open.size and not snap.open[org, year]:
        parts.append("Closed this year: it holds nothing and counts in no total.")
    elif status == NOT_HELD:
        under = members(snap, org, year)  # that year's tree: a practice counts where it is then
        is_open = snap.open[under, year] if snap.open.size else True
        holders = int((snap.holds[under, line] & is_open).sum())
        kind = snap.structure.lines[line].level
        parts.append(f"Sum of {holders} {kind}{'s' if holders != 1 else ''}.")
        if snap.basis[line] == PER_HEAD:
            parts.append(_formula(res, org, line, year))
    elif status == OVERRIDDEN:
        parts.append(
            f"Calculated would be {_money(res.calc_at(org, line, year))}: "
            + _formula(res, org, line, year)
        )
    elif status == CALCULATED:
        parts.append(_formula(res, org, line, year))
    if status in (CALCULATED, NOT_HELD):
        caveat = rate_caveat(res, line, year)
        if caveat:
            parts.append(caveat)
    note = snap.notes.get((org, line, year))
    if note:
        parts.append(f"Note: {note}")
    return "\n".join(parts)


def explain_population(res: Results, org: int, measure: int, year: int) -> str:
    """Where a population figure comes from."""
    status = int(res.pop_status[org, measure, year])
    if status == KNOWN:
        return "Known (entered or imported)."
    if status == PROJECTED:
        return f"Projected with growth of {res.snapshot.growth[org, measure] * 100:.2f}% a year."
    if status == SUMMED:
        return "Sum of its organisations."
    return "No population: per-head lines are nil."
