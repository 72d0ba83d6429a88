"""Where a known population figure came from: the note stored with it (file and date)."""

from __future__ import annotations

from .store import Book


def population_sources(book: Book, chain: list[int], measure: str) -> dict[tuple[int, int], str]:
    """(org id, year index) -> the note of the figure the scenario `chain` (baseline first)
    sees for `measure`, read in one query so a grid can answer every hover from it."""
    marks = ",".join("?" for _ in chain)
    rank = {sid: i for i, sid in enumerate(chain)}
    rows = book.conn.execute(
        f"SELECT scenario_id, org_id, year_idx, note FROM populations"
        f" WHERE scenario_id IN ({marks}) AND measure = ?",
        (*chain, measure),
    ).fetchall()
    seen: dict[tuple[int, int], tuple[int, str]] = {}
    for sid, org_id, year_idx, note in rows:
        key = (int(org_id), int(year_idx))
        if key not in seen or rank[sid] > seen[key][0]:  # the latest layer wins
            seen[key] = (rank[sid], str(note) if note else "")
    return {key: note for key, (_rank, note) in seen.items() if note}
