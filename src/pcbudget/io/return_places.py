"""Where a return's input cells must still sit: beside their row's label, under their year and
in their organisation's rows, checked once per row and once per column rather than per cell.

A national return maps some 190,000 input cells over a few thousand rows and a handful of
year columns; reading the same label, heading and organisation for every cell of a row was
most of an import's time. A check that fails raises at once, so remembering only the rows and
columns that passed refuses exactly the cell the per-cell check refused.
"""

from __future__ import annotations

from ..book.errors import BookError
from .return_reader import Grid


class Places:
    """One sheet's checked rows and columns (see the module's docstring)."""

    def __init__(self, name: str, ws: Grid) -> None:
        self.name = name
        self.ws = ws
        # Column A names each row's organisation on a by-organisation sheet, the title (A1)
        # on a budget sheet.
        self._by_org = ws["A4"] == "Organisation"
        self._title_org = str(ws["A1"]).split(" ", 1)[0]
        self._rows: set[tuple[int, str, str, str]] = set()  # (row, kind, org, target) passed
        self._columns: set[tuple[str, str]] = set()  # (column letters, year) passed

    def check(
        self, ref: str, row: int, col: str, kind: str, org: str, target: str, year: str
    ) -> None:
        """The cell `ref` (at `row`, column letters `col`) must still be `org`'s `target` in
        `year`: a map changed to send a figure to another organisation is refused."""
        if (row, kind, org, target) not in self._rows:
            label = self.ws[f"B{row}"] if kind == "amount" else self.ws[f"D{row}"]
            named = str(self.ws[f"A{row}"]).split(" ", 1)[0] if self._by_org else self._title_org
            if label != target or named != org:
                raise self._moved(ref, org, target, year)
            self._rows.add((row, kind, org, target))
        if (col, year) not in self._columns:
            if str(self.ws[f"{col}4"]) != year:
                raise self._moved(ref, org, target, year)
            self._columns.add((col, year))

    def _moved(self, ref: str, org: str, target: str, year: str) -> BookError:
        return BookError(
            f"{self.name}: {self.ws.title}!{ref} should be {org} {target} {year}, "
            "but rows or columns have been moved "
            "or deleted. Export a fresh return; nothing was imported."
        )
