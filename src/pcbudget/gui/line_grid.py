"""One line across the organisations of a subtree (e.g. every practice in an ICB) by year:
the grid for checking and entering a line organisation by organisation, at national scale.

An organisation under the chosen one in some years only (a dated move or closure) shows a
figure in those years alone, so each year's column adds up to the chosen organisation's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from ..book import BookError
from ..book.edits import set_amounts
from ..engine.children import below, counted_under, year_parents
from ..engine.explain import explain_cell
from .grid_model import ALIGN_RIGHT, READ, WRITE, Index
from .session import Session
from .style import NEGATIVE, STATUS_TINT
from .year_grid import (
    ALIGN_ROLE,
    BACK_ROLE,
    FLAGS,
    FORE_ROLE,
    PENCE,
    TEXT_ROLE,
    KeptRowsGrid,
    ShownRow,
)

#: The status tints with the fully transparent ones (calculated, not held) left unpainted: the
#: same picture, and a fill fewer per cell while 6,500 rows scroll.
_PAINTED_TINT = {status: tint if tint.alpha() else None for status, tint in STATUS_TINT.items()}
#: Roles a view paints that this grid never sets (answered from the kept row, not `cell`).
_UNSET = tuple(
    int(r)
    for r in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.CheckStateRole,
    )
)


#: Every row's pence (with its total, counting only the years it is here), cell status, and
#: whether it holds the line.
Figures = tuple[np.ndarray, np.ndarray, np.ndarray]


class LineByOrgModel(KeptRowsGrid):
    """Rows: organisations in the chosen subtree that hold the line; columns: years and total.

    Each row is read and formatted once until the next change (`kept_row`), so scrolling the
    6,500 practices of a national book paints from plain strings."""

    trailing = "Total"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.org = 0
        self.line = 0
        self.codes: tuple[str | None, str | None] = (None, None)  # the organisation and line
        self.rows = np.zeros(0, dtype=np.int64)
        #: Years each row is not under the chosen organisation (a dated move or closure), by
        #: row, for rows that are elsewhere in some year; `counted` as a mask (None: all here).
        self.away: dict[int, tuple[bool, ...]] = {}
        self.counted: np.ndarray | None = None
        self._shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._figures: Figures | None = None
        self._rebuild()
        session.resultsChanged.connect(self._changed)

    def _rebuild(self) -> None:
        snap = self.session.model.snapshot
        orgs = below(snap, self.org)  # in any year: one may move under it after the first
        held = orgs[snap.holds[orgs, self.line]]
        self.rows = held if held.size else np.array([self.org])
        self.counted = counted_under(snap, self.org, self.rows)  # the tree's, once a scope
        away = ~self.counted if self.counted is not None else np.zeros((0, 0), dtype=bool)
        self.away = {int(r): tuple(away[r].tolist()) for r in np.flatnonzero(away.any(axis=1))}

    def set_scope(self, org_code: str | None = None, line_code: str | None = None) -> None:
        self.beginResetModel()
        s = self.session.structure
        org_code, line_code = org_code or self.codes[0], line_code or self.codes[1]
        if org_code is not None:
            try:
                self.org = self.session.org_index(org_code)
            except BookError:  # undone away after a structural change: the top instead
                org_code = s.root.code
                self.org = self.session.org_index(org_code)
        if line_code is not None:
            try:
                line = s.line(line_code)
            except BookError:
                line = s.lines[0]
            line_code, self.line = line.code, self.session.model.snapshot.line_index[line.id]
        self.codes = (org_code, line_code)
        self._rebuild()
        self.endResetModel()

    def _changed(self, change: object) -> None:
        if change is None or getattr(change, "structural", False):
            self.set_scope()  # the book reread, or organisations or lines changed: positions too
        else:
            self.all_changed()

    def row_header(self, section: int) -> str:
        org = self.session.structure.orgs[int(self.rows[section])]
        return f"{org.code}  {org.name}"

    def _forget(self) -> None:
        super()._forget()
        self._figures = None

    def figures(self) -> Figures:
        """Every row's pence (and total), cell status, whether it holds the line and the years
        it is elsewhere, read from the results at once per change: numpy does in one go what
        6,500 rows would each ask. A year a row is not under the chosen organisation has no
        figure here and is left out of its total."""
        if self._figures is None:
            res = self.session.model.results
            pence = res.rolled[self.rows, self.line]
            status = res.line_status(self.line, self.rows)
            held = res.snapshot.holds[self.rows, self.line]
            if self.counted is not None:
                pence = np.where(self.counted, pence, 0)
            self._figures = (np.column_stack([pence, pence.sum(axis=1)]), status, held)
        return self._figures

    def shown_row(self, row: int) -> ShownRow:
        pence_at, status_at, held_at = self.figures()
        pence: list[int] = pence_at[row].tolist()
        status = tuple(status_at[row].tolist())
        held = bool(held_at[row])
        # '-' with no tint or typing in a year the row is elsewhere (`elsewhere` says where)
        here = tuple(not a for a in self.away.get(row, ())) or (True,) * len(status)
        negative = tuple(p < 0 for p in pence)
        share = self._share
        return {
            **dict.fromkeys(_UNSET, share(("unset", len(pence)), (None,) * len(pence))),
            TEXT_ROLE: tuple(
                self.money(p) if h else "-" for p, h in zip(pence, (*here, True), strict=True)
            ),
            ALIGN_ROLE: share(("align", len(pence)), (ALIGN_RIGHT,) * len(pence)),
            FORE_ROLE: share(("fore", *negative), tuple(NEGATIVE if n else None for n in negative)),
            BACK_ROLE: share(
                ("back", *status, *here),
                (
                    *(_PAINTED_TINT[s] if h else None for s, h in zip(status, here, strict=True)),
                    None,
                ),
            ),
            FLAGS: share(
                ("flags", held, *here), (*(WRITE if held and h else READ for h in here), READ)
            ),
            PENCE: tuple(pence),
        }

    def _share(self, key: tuple[Any, ...], values: tuple[Any, ...]) -> tuple[Any, ...]:
        """One tuple for every row that paints alike (most rows share their tints and flags),
        so 6,500 kept rows add few objects for Python's garbage collector to walk mid-scroll."""
        return self._shared.setdefault(key, values)

    def pence(self, row: int, col: int) -> int:
        return int(self.kept_row(row)[PENCE][col])

    def cell(self, row: int, col: int, role: int) -> Any:
        away = self.away.get(row)
        if role == Qt.ItemDataRole.EditRole:
            if away is not None and col < len(away) and away[col]:
                return None  # no figure here that year
            return self.money_to_type(self.pence(row, col))
        if role == Qt.ItemDataRole.ToolTipRole:
            if away is not None:
                return self.elsewhere(row, col, away)
            if col < len(self.years):
                o = int(self.rows[row])
                return explain_cell(self.session.model.results, o, self.line, col)
        return None

    def elsewhere(self, row: int, col: int, away: tuple[bool, ...]) -> str | None:
        """Why a row partly under the chosen organisation has no figure in a year (where it is
        instead), what its total counts, or, in a year it is here, how the figure is made."""
        s, snap = self.session.structure, self.session.model.snapshot
        o = int(self.rows[row])
        chosen = s.orgs[self.org].code
        if col == len(away):
            here = [y for y, a in zip(self.years, away, strict=True) if not a]
            return f"Total of {', '.join(here)}: the years {s.orgs[o].code} is under {chosen}"
        if not away[col]:
            return explain_cell(self.session.model.results, o, self.line, col)
        year = self.years[col]
        if not snap.open[o, col]:
            return f"Closed in {year}: no figure"
        above = int(year_parents(snap, col)[o])
        if above < 0:
            return f"Not under {chosen} in {year}: counted elsewhere"
        parent = s.orgs[above]
        return f"Under {parent.code}  {parent.name} in {year}, not {chosen}: counted there"

    def can_type(self, row: int, col: int) -> bool:
        return self.kept_row(row)[FLAGS][col] == WRITE  # held, and a year (not the total)

    def type_into(self, index: Index, text: str) -> bool:
        if not self.editable(index):
            return False
        try:
            pence = self.typed_money(text)
        except BookError as exc:
            return self.refuse(index, str(exc))
        s = self.session.structure
        org, line, year = (
            s.orgs[int(self.rows[index.row()])].code,
            s.lines[self.line].code,
            self.years[index.column()],
        )
        scen = self.session.scenario
        return self.session.run(
            f"Edit {org} {line} {year}",
            lambda: set_amounts(
                self.session.book, [(org, line, year, pence)], scenario=scen, structure=s
            ),
        )
