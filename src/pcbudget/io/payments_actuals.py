"""NHS England's *NHS Payments to General Practice* as a year's actuals.

Each money column maps to a book line through `resources/nhs/payments_lines.csv` (key,line;
editable, or another file with `--mapping`); columns with no line in the book, and totals,
deductions and Covid columns, are reported with their totals, never dropped silently. A
practice is matched by its code; one the book does not hold is attached through the file's
CCG / sub-ICB code to the organisation answering to that ODS code, and reported. Payments made
to a PCN's nominated practice count at the PCN the practice belongs to. The file is annual, so
each amount is stored in M12 and the import replaces the whole year's actuals.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..book.actuals import actual_year_index, replace_actuals
from ..book.errors import BookError
from ..book.money import format_money
from ..book.operations import Change
from ..book.store import Book
from ..book.structure import load_structure
from .nhs_payments import read_payments
from .resources import resource

NOT_SPEND = ("total", "deduction", "covid")


@dataclass
class PaymentsImport:
    """What an import of payments did, in a finance lead's words."""

    year: str
    cells: int
    total_pence: int
    change: Change
    notes: list[str] = field(default_factory=list)


def _lines(mapping: str | os.PathLike[str] | None) -> dict[str, str]:
    path = Path(mapping) if mapping is not None else resource("nhs", "payments_lines.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {r["key"].strip(): r["line"].strip() for r in csv.DictReader(handle) if r.get("key")}


def import_payments_actuals(
    book: Book,
    path: str | os.PathLike[str],
    *,
    year: str | None = None,
    mapping: str | os.PathLike[str] | None = None,
) -> PaymentsImport:
    """Read a payments file and store its year's actuals (one undoable step)."""
    paid = read_payments(Path(path), year=year)
    file_year = paid.known_year()
    s = load_structure(book.conn)
    y = actual_year_index(s, file_year)
    to_line = _lines(mapping)
    lines = {ln.code: ln for ln in s.lines}
    frame = paid.frame
    notes: list[str] = []
    used: dict[str, str] = {}
    for key in paid.money:
        group = paid.mapping[key].group if key in paid.mapping else ""
        total = int(frame[key].sum())
        line = to_line.get(key)
        if group in NOT_SPEND or line is None or line not in lines:
            why = (
                "a total or deduction"
                if group in NOT_SPEND
                else (
                    f"mapped to {line}, which this book has no line for" if line else "not mapped"
                )
            )
            notes.append(f"Not imported: {paid.headers[key]} (£{format_money(total)}, {why}).")
        else:
            used[key] = line
    by_id = {o.id: o for o in s.orgs}
    cells: dict[tuple[int, int, int, int], int] = defaultdict(int)
    outside = attached = 0
    for row in frame.itertuples(index=False):
        r = row._asdict()
        practice = str(r["practice_code"]).strip()
        org = None
        try:
            org = s.org(practice)
        except BookError:
            try:
                org = s.org(str(r["sub_icb_code"]).strip())
                attached += 1
            except BookError:
                outside += 1
                continue
        for key, line in used.items():
            pence = int(r[key])
            if not pence:
                continue
            target = org
            if paid.mapping[key].paid_to == "pcn" and org.kind == "practice":
                parent = by_id.get(org.parent_id) if org.parent_id is not None else None
                target = parent if parent is not None and parent.kind == "pcn" else org
            cells[(target.id, lines[line].id, y, 12)] += pence
    if attached:
        notes.append(
            f"{attached:,} practices not in the book were attached to their CCG / sub-ICB by its"
            " ODS code."
        )
    if outside:
        notes.append(f"{outside:,} practices outside the book were left out.")
    if not cells:
        raise BookError(f"{paid.name}: no practice of this book is in the file; nothing imported.")
    change = replace_actuals(
        book,
        dict(cells),
        [(y, m) for m in range(1, 13)],
        source=f"{paid.name} (annual, in M12)",
        label=f"Import actuals from {paid.name}",
        lines={lines[line].id for line in used.values()},  # the ledger's other lines stay
        structure=s,
    )
    return PaymentsImport(file_year, len(cells), sum(cells.values()), change, notes)
