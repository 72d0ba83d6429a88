"""Where a known population figure came from: the note stored with it (file and date)."""

from __future__ import annotations

from .store import Book


def population_source(
    book: Book, chain: list[int], org_id: int, measure: str, year_idx: int
) -> str | None:
    """The note of the figure the scenario `chain` (baseline first) sees, if it has one."""
    marks = ",".join("?" for _ in chain)
    rows = book.conn.execute(
        f"SELECT scenario_id, note FROM populations WHERE scenario_id IN ({marks})"
        " AND org_id = ? AND measure = ? AND year_idx = ?",
        (*chain, org_id, measure, year_idx),
    ).fetchall()
    if not rows:
        return None
    order = {sid: i for i, sid in enumerate(chain)}
    _sid, note = max(rows, key=lambda r: order[r[0]])  # the latest layer wins
    return str(note) if note else None
