"""PCN membership in: practices move under their Primary Care Network, as one undoable operation.

The file is read by `membership_file` (NHS Payments to General Practice, NHS Digital's ePCN
core partner details, or a plain `practice_code,pcn_code,pcn_name[,from_year]` csv). A bare `U`
(the files' "no PCN") or a blank leaves the practice where it is.

A practice is in one PCN at a time: a row repeating an earlier one for the same year is taken
once and reported, while a practice given two PCNs for one year, or a code that is both a
practice and a PCN, makes the file ambiguous; it is refused, naming the rows, even where the
practice is not in the book, since a file that contradicts itself cannot be trusted elsewhere.
A csv that is not text is refused naming the row (`csv_text`), as is one of over 100,000 rows.

A membership starting on or before the book's first year puts the practice under its PCN in the
tree (every year, until a dated move); one starting in a later year of the book is a dated move
(`org_moves`): the practice moves under that PCN from that year, earlier years keep the PCN they
had, and the report says "moves to <PCN> from <year>". Dated moves already in the book for other
years are left as they are. One starting after the book's last year is reported as not applied.
A payments file's year (from its name, as published: `nhspaymentsgp-22-23-csv.csv`) is the year
its memberships are known from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..book.operations import Change, Operation, Write, apply
from ..book.store import Book
from ..book.structure import Structure, load_structure
from .membership_file import read_membership
from .org_plan import OrgPlan

LIMIT = 50


@dataclass
class MembershipReport:
    """What an import read and did, and every row it did not use, by row number."""

    source: str
    layout: str
    rows: int = 0
    moved: int = 0
    already: int = 0
    pcns_added: int = 0
    no_pcn: int = 0
    not_in_book: list[tuple[int, str]] = field(default_factory=list)
    not_understood: list[tuple[int, str]] = field(default_factory=list)
    not_applied: list[tuple[int, str]] = field(default_factory=list)
    #: Rows repeating an earlier row (practice, PCN and year), and the row: taken once.
    repeated: list[tuple[int, int]] = field(default_factory=list)
    #: PCNs whose every practice moved out: their lines now have nothing to apply to.
    emptied: list[str] = field(default_factory=list)
    #: Memberships from a later year of the book, as dated moves: (row, what it does).
    dated: list[tuple[int, str]] = field(default_factory=list)
    change: Change | None = None

    def lines(self) -> list[str]:
        out = [
            f"PCN membership from {self.source} ({self.layout}): {self.rows:,} rows read.",
            f"Practices moved into their PCN: {self.moved:,}; already there: {self.already:,};"
            f" PCNs added: {self.pcns_added:,}; practices with no PCN (left where they are):"
            f" {self.no_pcn:,}.",
        ]
        if self.dated:
            out.append(f"Practices moving PCN from a later year: {len(self.dated):,}:")
            out += [f"Row {row}: {what}" for row, what in self.dated[:LIMIT]]
            if len(self.dated) > LIMIT:
                out.append(f"... and {len(self.dated) - LIMIT:,} more dated moves.")
        if self.emptied:
            out.append(
                f"PCNs left with no practices ({len(self.emptied)}; close or move them by hand): "
                + ", ".join(self.emptied[:LIMIT])
                + (" ..." if len(self.emptied) > LIMIT else "")
            )
        for title, rows in (
            ("not understood", self.not_understood),
            ("not applied", self.not_applied),
            ("not in this book", self.not_in_book),
        ):
            if rows:
                out.append(f"{len(rows):,} row(s) {title}:")
                out += [f"Row {row}: {why}" for row, why in rows[:LIMIT]]
                if len(rows) > LIMIT:
                    out.append(f"... and {len(rows) - LIMIT:,} more rows {title}.")
        out += [f"Row {row}: the same as row {first}: taken once." for row, first in self.repeated]
        return out


def _pcn_home(plan: OrgPlan, practice: int) -> int:
    """Where a new PCN goes: the practice's parent, or above its current PCN."""
    parent = plan.parent[practice] or plan.root
    while plan.kind(parent) in ("pcn", "practice") and plan.parent[parent] is not None:
        parent = plan.parent[parent] or plan.root
    return parent


def import_membership(
    book: Book, path: str | Path, *, progress: Callable[[float, str], None] | None = None
) -> MembershipReport:
    """Move each practice of the book under its PCN (added if new), as one operation."""
    step = progress or (lambda _f, _m: None)
    book.require_writable()
    step(0.1, "Reading the file")
    read = read_membership(path)
    s = load_structure(book.conn)
    first = s.years[0]
    plan = OrgPlan(book, s)
    report = MembershipReport(read.name, read.layout, rows=len(read.frame))
    report.rows += len(read.not_understood) + len(read.repeated) + len(read.ended)
    report.not_understood = list(read.not_understood)
    report.not_applied = list(read.ended)
    report.repeated = list(read.repeated)
    step(0.4, "Placing practices")
    # First pass: each practice's membership that holds from the book's first year (the latest
    # starting on or before it), and those starting in a later year of the book (dated moves).
    chosen: dict[int, tuple[str, int, str, str]] = {}  # practice -> (from, row, pcn, pcn name)
    later: dict[tuple[int, str], tuple[int, str, str]] = {}  # (practice, year) -> row, pcn, name
    for r in read.frame.itertuples():
        row, pcn_code, year = int(r.row), str(r.pcn), str(r.from_year)
        practice = plan.find(str(r.practice))
        if practice is None:
            report.not_in_book.append((row, f"practice {r.practice} is not in this book"))
        elif plan.kind(practice) != "practice":
            kind = plan.kind(practice)
            article = "an" if kind[0] in "aeiou" else "a"
            why = f"{r.practice} is not a practice in this book (it is {article} {kind})"
            report.not_understood.append((row, why))
        elif year > s.years[-1]:
            report.not_applied.append(
                (
                    row,
                    f"{r.practice} joins {pcn_code or 'no PCN'} from {year}, after the book's"
                    f" last year {s.years[-1]}",
                )
            )
        elif year > first:
            if (practice, year) in later:
                again = (
                    f"practice {r.practice} appears again (first at row {later[practice, year][0]})"
                )
                report.not_understood.append((row, again))
            else:
                later[practice, year] = (row, pcn_code, str(r.pcn_name))
        elif practice in chosen and chosen[practice][0] == year:
            report.not_understood.append(
                (row, f"practice {r.practice} appears again (first at row {chosen[practice][1]})")
            )
        elif practice not in chosen or chosen[practice][0] < year:
            chosen[practice] = (year, row, pcn_code, str(r.pcn_name))
    # Second pass, in the file's order: PCNs added where new, practices moved under them.
    for practice, (_year, row, pcn_code, pcn_name) in sorted(chosen.items(), key=lambda c: c[1][1]):
        if pcn_code in ("", "U"):
            report.no_pcn += 1
            continue
        try:
            pcn = _pcn_for(plan, pcn_code, pcn_name, practice)
            if plan.parent[practice] == pcn:
                report.already += 1
            plan.move(practice, pcn)
        except ValueError as exc:
            report.not_understood.append((row, str(exc)))
    dated = _dated_moves(s, plan, later, report)
    for rows in (report.not_in_book, report.not_understood, report.not_applied, report.dated):
        rows.sort()
    report.pcns_added = plan.added["pcn"]
    before = Counter(o.parent_id for o in s.orgs)
    after = Counter(plan.parent.values())
    report.emptied = [
        o.code for o in s.orgs if o.kind == "pcn" and before[o.id] and not after[o.id]
    ]
    report.moved = plan.moved_count()
    step(0.7, "Writing")
    writes = (*plan.writes(), *dated)
    if writes:
        report.change = apply(
            book, Operation(f"Import PCN membership from {read.name}", "baseline", 0, writes)
        )
    step(1.0, "Done")
    return report


def _pcn_for(plan: OrgPlan, pcn_code: str, pcn_name: str, practice: int) -> int:
    """The PCN `pcn_code` names, added (near the practice) if the book has none; ValueError if
    the code is another kind of organisation in the book."""
    pcn = plan.find(pcn_code)
    if pcn is None:
        return plan.add(pcn_code, pcn_name, "pcn", _pcn_home(plan, practice))
    if plan.kind(pcn) != "pcn":
        raise ValueError(f"{pcn_code} is a {plan.kind(pcn)} in this book, not a PCN")
    return pcn


def _dated_moves(
    s: Structure,
    plan: OrgPlan,
    later: dict[tuple[int, str], tuple[int, str, str]],
    report: MembershipReport,
) -> list[Write]:
    """Memberships from a later year of the book as dated moves (PCNs added where new), year by
    year per practice, each written only where it changes the practice's PCN that year."""
    writes: list[Write] = []
    planned: dict[int, dict[int, int]] = {}  # practice -> year -> PCN, moves this import makes
    for (practice, label), (row, pcn_code, pcn_name) in sorted(later.items(), key=lambda x: x[0]):
        if pcn_code in ("", "U"):
            report.no_pcn += 1
            continue
        year = s.years.index(label)
        try:
            pcn = _pcn_for(plan, pcn_code, pcn_name, practice)
        except ValueError as exc:
            report.not_understood.append((row, str(exc)))
            continue
        rows = dict(s.moves.get(practice, ()))
        rows.update(planned.get(practice, {}))
        before = plan.parent[practice]
        for y in sorted(k for k in rows if k < year):
            before = rows[y]
        if rows.get(year, ...) == pcn or (year not in rows and before == pcn):
            report.already += 1
            continue
        planned.setdefault(practice, {})[year] = pcn
        code = plan.code(practice)
        where = f"{code} under {plan.code(pcn)} from {label}"
        writes.append(Write("org_move", (practice, year), where, (pcn,)))
        report.dated.append((row, f"{code} moves to {pcn_code} from {label}"))
    return writes
