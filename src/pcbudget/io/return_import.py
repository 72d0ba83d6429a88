"""Excel returns back in: what a colleague changed in the input cells, applied as one change.

The return's hidden `_pcbudget` sheet says which book and scenario it came from and what each
input cell held when exported; a cell that now holds something else is a change. Totals are
formulas and are ignored; a changed calculated cell becomes an override only when asked. A cell
the book has changed since the export as well is a conflict: it is shown with all three figures
(book at export, book now, return) and applied only when the user says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..book.anchor import holds_row
from ..book.edits import Change, Row, apply_rows
from ..book.errors import BookError
from ..book.money import parse_money, to_pence
from ..book.operations import CellChange
from ..book.store import Book
from ..book.structure import Structure, load_structure
from ..engine import Model
from .collector import collector_paused
from .excel_return import book_identity
from .return_map import CHAIN_LABEL, MAP_SHEET, MappedCell, mapped_cells
from .return_places import Places
from .return_reader import ReturnWorkbook


@dataclass(frozen=True)
class ReturnEdit:
    sheet: str
    cell: str
    kind: str  # 'amount' or 'allocation'
    org: str
    target: str  # line code or budget type
    year: str
    scenario: str
    old: int  # pence in the book now
    new: int  # pence in the workbook
    status: str  # 'entered', 'overridden', 'calculated' or 'formula' when exported
    exported: int | None = None  # pence in the book when the return was written

    @property
    def calculated(self) -> bool:
        """A figure pcbudget works out (a number or a formula in the return): an override."""
        return self.status in ("calculated", "formula")

    @property
    def conflict(self) -> bool:
        """The book changed this cell since the export: the return may undo someone's edit."""
        return self.exported is not None and self.exported != self.old


class ReturnEdits(list[ReturnEdit]):
    """The edits a return holds, with the scenario it was exported from and applies to."""

    def __init__(self, edits: list[ReturnEdit], exported_from: str, scenario: str) -> None:
        super().__init__(edits)
        self.exported_from = exported_from
        self.scenario = scenario

    @property
    def conflicts(self) -> list[ReturnEdit]:
        return [e for e in self if e.conflict]


@collector_paused()  # every cell read is kept until the edits are found: none is garbage
def read_return(book: Book, path: str | Path, *, scenario: str | None = None) -> ReturnEdits:
    """Input cells edited since export that the book does not hold yet.

    The edits apply to the scenario the return was exported from, or to `scenario` when given
    (compared with what that scenario holds now). Refuses a return from another book, a mangled
    layout and non-numbers, naming the cell.
    """
    target = Path(path)
    # Formulas as written, not their cached results: a pcbudget formula still in its cell is the
    # formula at work (never an override), and a formula typed into an input cell is refused.
    wb = ReturnWorkbook(target)
    try:
        return _read(book, target, wb, scenario)
    finally:
        wb.close()


def _read(book: Book, target: Path, wb: ReturnWorkbook, into: str | None) -> ReturnEdits:
    if MAP_SHEET not in wb.sheetnames:
        raise BookError(f"{target.name} is not a pcbudget return (it has no {MAP_SHEET} sheet).")
    key = wb.sheet(MAP_SHEET, formulas=False)  # only its values are read
    if key["A1"] != "book" or key["B1"] != book_identity(book):
        raise BookError(
            f"{target.name} was exported from another book: import it into the book it came from."
        )
    if key["C1"] == CHAIN_LABEL and key["D1"] and not holds_row(book.conn, str(key["D1"])):
        raise BookError(
            f"{target.name} was exported from a later state of this book than this file "
            "holds (an older copy or a backup?): its 'book at export' figures cannot be "
            "checked against it. Import it into the copy it came from."
        )
    cells = list(mapped_cells(target.name, key.rows))
    grids: dict[str, Places] = {}
    edits: list[ReturnEdit] = []
    model: Model | None = None  # the scenario applied to, computed when first needed
    structure = load_structure(book.conn)
    exported_from = _exported_scenario(target.name, cells, structure)
    applies_to = structure.scenario(into).name if into else exported_from
    mapped: set[tuple[str, str]] = set()
    for sheet, ref, kind, org, tgt, year, _scenario, pence, status, row, col in cells:
        if (sheet, ref) in mapped:
            raise BookError(
                f"{target.name}: the {MAP_SHEET} sheet names {sheet}!{ref} twice, so it has been "
                "changed and its cells cannot be trusted. Nothing was imported."
            )
        mapped.add((sheet, ref))
        if sheet not in grids:
            if sheet not in wb.sheetnames:
                raise BookError(f"{target.name}: sheet '{sheet}' is missing; nothing was imported.")
            grids[sheet] = Places(target.name, wb.sheet(sheet))
        places = grids[sheet]
        ws = places.ws
        places.check(ref, row, col, kind, str(org), tgt, year)
        value = ws.value(row, col)
        if ref in ws.formulas:
            if status == "formula":
                continue  # pcbudget's formula, still in place: the book works the figure out
            raise BookError(
                f"{target.name}: {sheet}!{ref} holds a formula "
                f"({_short(wb.formula_text(sheet, ref))}); an input cell "
                "takes a number. Type the figure itself. Nothing was imported."
            )
        if value is None and status == "formula":
            continue  # a formula cell emptied: nothing to take
        if value is None:
            raise BookError(
                f"{target.name}: {sheet}!{ref} is empty; enter 0 or an amount. "
                "Nothing was imported."
            )
        if isinstance(value, bool):
            raise BookError(f"{target.name}: {sheet}!{ref} holds TRUE/FALSE, not an amount.")
        try:
            new = to_pence(value) if isinstance(value, int | float) else parse_money(str(value))
        except BookError as exc:
            raise BookError(f"{target.name}: {sheet}!{ref}: {exc} Nothing was imported.") from exc
        if new != int(pence):  # the colleague changed it...
            model = model or Model(book, applies_to)
            now = _figure(model, kind, org, tgt, year)
            if new != now:  # ...and the book does not hold it already
                edits.append(
                    ReturnEdit(
                        sheet, ref, kind, org, tgt, year, applies_to, now, new, status, int(pence)
                    )
                )
    if model is not None and any(e.calculated for e in edits):
        edits = _not_reproduced(edits, model)
    return ReturnEdits(edits, exported_from, applies_to)


def _not_reproduced(edits: list[ReturnEdit], model: Model) -> list[ReturnEdit]:
    """Drop calculated cells that only followed the typed ones (a grown year, the reserve).

    The typed edits are applied to a throwaway model in memory; a changed calculated cell whose
    new figure is what the engine then gives is the formula doing its work, not an override.
    """
    s, snap = model.structure, model.snapshot
    scen = snap.scenario
    cells = []
    for e in edits:
        if e.calculated:
            continue
        org, y = s.org(e.org), s.year_index(e.year)
        key = (org.id, s.line(e.target).id, y) if e.kind == "amount" else (org.id, e.target, y)
        cells.append(CellChange(e.kind, key, "", None, (e.new, None)))
    if not cells:
        return edits
    model.apply(Change(scen.name, scen.id, tuple(cells), batch=0))
    kept = []
    for e in edits:
        if not e.calculated or _figure(model, e.kind, e.org, e.target, e.year) != e.new:
            kept.append(e)
    return kept


def _figure(model: Model, kind: str, org: str, target: str, year: str) -> int:
    """What the model holds for an exported input cell: a line's amount or an allocation."""
    s, snap = model.structure, model.snapshot
    o, y = snap.org_index[s.org(org).id], s.year_index(year)
    if kind == "amount":
        return int(model.results.own[o, snap.line_index[s.line(target).id], y])
    return int(snap.alloc[o, snap.type_index[target], y])


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _exported_scenario(name: str, cells: list[MappedCell], structure: Structure) -> str:
    """The one scenario whose inputs the return holds (refused if it names several or none)."""
    names = {c[6] for c in cells}
    if len(names) > 1:
        raise BookError(f"{name} holds several scenarios' inputs; nothing was imported.")
    if not names:
        return str(structure.scenario(None).name)
    exported = str(names.pop())
    try:
        return str(structure.scenario(exported).name)
    except BookError:
        raise BookError(
            f"{name} was exported from scenario '{exported}', which this book no longer has: "
            "choose the scenario to apply it to."
        ) from None


def apply_return(
    book: Book, edits: list[ReturnEdit], *, overrides: bool = False, force: bool = False
) -> Change | None:
    """Apply the edits as one logged, undoable change.

    Calculated cells are applied (as overrides) only with `overrides`, and cells the book has
    changed since the export (conflicts) only with `force`: without it the book's newer figure
    stands.
    """
    chosen = [e for e in edits if (overrides or not e.calculated) and (force or not e.conflict)]
    if not chosen:
        return None
    scenarios = {e.scenario for e in chosen}
    if len(scenarios) > 1:
        raise BookError("A return holds one scenario's inputs; this one names several.")
    s = load_structure(book.conn)
    scen = s.scenario(scenarios.pop())
    rows: list[tuple[str, tuple[Any, ...], str, Row]] = []
    for e in chosen:
        org, y = s.org(e.org), s.year_index(e.year)
        note = f"from return {e.sheet}!{e.cell}"
        if e.kind == "amount":
            line = s.line(e.target)
            rows.append(
                (
                    "amount",
                    (org.id, line.id, y),
                    f"{org.code} {line.code} {s.years[y]}",
                    (e.new, note),
                )
            )
        else:
            rows.append(
                (
                    "allocation",
                    (org.id, e.target, y),
                    f"{org.code} {e.target} {s.years[y]}",
                    (e.new, note),
                )
            )
    return apply_rows(book, scen.id, scen.name, rows)
