"""A live model of one book and scenario: snapshot plus results, kept current edit by edit.

The book reads the inputs (the model is handed anything with `inputs()`, an open `Book`); after
an edit the book returns a `Change`; `apply` patches the snapshot from the change's new rows and
recalculates only the lines it touches, so nothing is reloaded from disk.
"""

from __future__ import annotations

import numpy as np

from ..book.edits import Change
from ..book.structure import Structure
from .compute import Results, compute, recompute
from .snapshot import MEASURE, InputSource, Snapshot, load_snapshot, resolve_growth


class Model:
    """One scenario of an open book, computed."""

    def __init__(self, book: InputSource, scenario: str | None = None) -> None:
        self.book = book
        self.snapshot: Snapshot = load_snapshot(book, scenario)
        self.results: Results = compute(self.snapshot)

    @property
    def structure(self) -> Structure:
        return self.snapshot.structure

    def reload(self) -> None:
        """Read the book again (after another process changed it, or a structural change)."""
        self.snapshot = load_snapshot(self.book, self.snapshot.scenario.name)
        self.results = compute(self.snapshot)

    def apply(self, change: Change) -> None:
        """Bring the model up to date with a change made through the book."""
        snap = self.snapshot
        if change.scenario_id not in snap.chain or not change.cells:
            return  # another scenario's edit (this one does not see it), or nothing changed
        removed = any(c.new is None for c in change.cells)
        if change.scenario_id != snap.chain[-1] or (len(snap.chain) > 1 and removed):
            # A lower layer changed, or a removal uncovers one: re-reading is simplest and exact.
            self.reload()
            return
        lines: set[int] = set()
        pops = allocs = False
        for cell in change.cells:
            new = cell.new
            if cell.kind == "amount":
                org_id, line_id, y = cell.key
                o, li = snap.org_index[org_id], snap.line_index[line_id]
                is_set = new is not None and new[0] is not None
                snap.entered[o, li, y] = int(new[0]) if is_set and new is not None else 0
                snap.entered_set[o, li, y] = is_set
                snap.line_has_entries[li] |= is_set
                if change.scenario_id != 0:
                    snap.scenario_set[o, li, y] = new is not None
                lines.add(li)
            elif cell.kind == "rate":
                line_id, y = cell.key
                li = snap.line_index[line_id]
                snap.rate[li, y] = float(new[0]) if new else 0.0
                snap.months[li, y] = float(new[1]) if new else 12.0
                snap.rate_set[li, y] = new is not None
                if new is None:
                    snap.rate_rows.pop((li, y), None)
                else:
                    snap.rate_rows[(li, y)] = (str(new[0]), *new[1:])
                lines.add(li)
            elif cell.kind == "uplift":
                line_id, y = cell.key
                li = snap.line_index[line_id]
                snap.uplift[li, y] = float(new[0]) if new else 0.0
                lines.add(li)
            elif cell.kind == "population":
                org_id, measure, y = cell.key
                value = float(new[0]) if new else np.nan
                snap.known_pop[snap.org_index[org_id], MEASURE[measure], y] = value
                pops = True
            elif cell.kind == "growth":
                org_id, measure = cell.key
                m = MEASURE[measure]
                if org_id == 0:
                    snap.book_growth[m] = float(new[0]) if new else 0.0
                elif new is None:
                    snap.org_growth.pop((snap.org_index[org_id], m), None)
                else:
                    snap.org_growth[(snap.org_index[org_id], m)] = float(new[0])
                resolve_growth(snap)
                pops = True
            elif cell.kind == "allocation":
                org_id, btype, y = cell.key
                o, t = snap.org_index[org_id], snap.type_index[btype]
                snap.alloc[o, t, y] = int(new[0]) if new else 0
                snap.alloc_set[o, t, y] = new is not None
                allocs = True
        recompute(
            self.results,
            lines=np.array(sorted(lines), dtype=np.int64) if lines else None,
            populations_changed=pops,
            allocations_changed=allocs,
        )
