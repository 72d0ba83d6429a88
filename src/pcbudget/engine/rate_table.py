"""Every line's basis, rate, months, budget type, source and confidence by year: one table for
`pcbudget rates` and the app, so a finance lead can check each figure against its source."""

from __future__ import annotations

from dataclasses import dataclass

from ..book.schema import RATED_BASES
from .snapshot import Snapshot

#: How each basis reads in a table; per-head lines name what they are paid on.
_PER = {
    "registered": "per registered patient",
    "weighted": "per weighted patient",
    "adjusted": "per adjusted patient",
    "care_home_beds": "per care home bed",
    "qof_points": "per QOF point",
}


@dataclass(frozen=True)
class RateRow:
    """One line in one year: the amount per unit is rate x months / 12."""

    line: str
    year: str
    basis: str
    rate: str  # the decimal text as published or typed; '' where the line has no rate
    months: str
    budget_type: str
    source: str
    confidence: str


def basis_text(basis: str, measure: str | None) -> str:
    """How a line's basis reads: what a per-head line is paid on, 'share of allocation'."""
    if basis == "allocation_share":
        return "share of allocation"
    return _PER.get(measure or "", basis) if basis == "per_head" else basis


def rate_table(snap: Snapshot) -> list[RateRow]:
    """Rows in book order of lines, then years, for the snapshot's scenario."""
    s = snap.structure
    rows: list[RateRow] = []
    for li, line in enumerate(s.lines):
        rated = line.basis in RATED_BASES  # the same every year
        why = "no rate this year: nil" if rated else ""
        for y, year in enumerate(s.years):
            btype = s.type_in(line, y)
            found = snap.rate_rows.get((li, y)) if rated else None
            rate, months, source, confidence = found or ("", None, why, "")
            rows.append(
                RateRow(
                    line.code,
                    year,
                    basis_text(line.basis, line.measure),
                    str(rate),
                    "" if months is None else f"{float(months):g}",
                    btype,
                    source or "",
                    confidence or "",
                )
            )
    return rows
