"""NHS England practice population files in: the organisation tree and registered and weighted
populations for a year, from csv or xlsx in either published header style.

Headers are matched loosely (case, spaces, line breaks, underscores, year suffixes such as CCG23
or ICB23name); codes are the join key, never names, since names of the same ICB differ between
publications, and an organisation answering to a code through `org_codes` is the one used. The
sub-ICB location is `LOCxx` where filled, else `CCGxx`/`CCG`; the ICB `ICBxx` or `ICSxx`. A blank
or `U` PCN code puts the practice straight under its sub-ICB location. The whole import is one
operation (one undo step), and the book's own top organisation, if the file names it, stays the
top: the file's rows attach below it.

Each practice is taken once: an exact repeat of its row is reported and taken once, while a
practice given twice with different figures or places, or a code naming two kinds of
organisation, is refused with the rows named (`population_rows`). A csv that is not text is
refused naming the row (`csv_text`), and a file of more than 100,000 rows is refused outright.

Which column fills which measure, and what each column is, is `population_columns`' rule; the
user may choose another column or none (`columns`), and the report says which was read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..book.bounds import POPULATION
from ..book.errors import BookError
from ..book.operations import Operation, Write, apply
from ..book.organisations import is_org_code
from ..book.store import Book
from ..book.structure import load_structure
from ..book.years import normalise_year
from .csv_text import MAX_ROWS, csv_text, header_words, too_many_rows
from .org_plan import OrgPlan, clean_name
from .population_columns import FILLS, find_columns, match_columns, shown, source_line
from .population_rows import Read, one_row_each
from .xlsx_safety import load_xlsx

#: Where a practice's sub-ICB location may be, best first: `LOCxx` where filled, else the
#: `CCGxx`/`CCG` column (NHS England's 2023/24-2025/26 files leave LOCxx empty and put the sub-ICB
#: location code in CCG23, CCG21 or CCG), later years before earlier ones.
SUB_ICB: tuple[tuple[str, str], ...] = (
    (r"loc(\d*)", r"loc{} ?name"),
    (r"sub ?icb(\d*)", r"sub ?icb{} ?name"),
    (r"ccg(\d*)", r"ccg{} ?name"),
)
#: The kinds of organisation a population file gives, from the top down.
LEVELS = ("region", "icb", "sub_icb", "pcn", "practice")


@dataclass
class ImportReport:
    year: str
    rows: int = 0
    added: dict[str, int] = field(default_factory=dict)
    moved: int = 0
    values_set: int = 0
    values_changed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: Rows that repeat an earlier row exactly, and the row they repeat: taken once.
    repeated: list[tuple[int, int]] = field(default_factory=list)
    #: Which column filled which measure, and what that column is, in sentences.
    sources: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        added = ", ".join(f"{n} {kind}" for kind, n in self.added.items() if n) or "none"
        out = [
            f"Populations for {self.year}: {self.rows:,} rows read.",
            f"Organisations added: {added}; moved to a new parent: {self.moved}.",
            f"Populations set: {self.values_set:,} "
            f"({self.values_changed:,} changed an earlier figure).",
            *self.sources,
        ]
        out += [f"Row {row}: skipped: {why}" for row, why in self.skipped[:50]]
        if len(self.skipped) > 50:
            out.append(f"... and {len(self.skipped) - 50} more rows skipped.")
        out += [f"Row {row}: the same as row {first}: taken once." for row, first in self.repeated]
        return out


def _nothing_usable(name: str, report: ImportReport, shown: int = 3) -> BookError:
    """The refusal of a file none of whose rows could be used: importing it would change
    nothing while reporting success, so the rows' own reasons are given instead (the first
    few; the count of the rest)."""
    reasons = "; ".join(f"row {row}: {why.rstrip('.')}" for row, why in report.skipped[:shown])
    reasons = reasons[:1].upper() + reasons[1:]
    rest = len(report.skipped) - shown
    more = f" (and {rest:,} more row{'s' if rest > 1 else ''} refused)" if rest > 0 else ""
    rows = "its one row was" if report.rows == 1 else f"all {report.rows:,} of its rows were"
    return BookError(f"Nothing was imported from {name}: {rows} refused. {reasons}{more}.")


def _sub_icb_columns(headers: list[str]) -> list[tuple[int, int | None]]:
    """(code column, name column or None) pairs for the sub-ICB location, best first."""
    out: list[tuple[int, int | None]] = []
    for code_pattern, name_pattern in SUB_ICB:
        hits = [(m[1], i) for i, h in enumerate(headers) if (m := re.fullmatch(code_pattern, h))]
        for suffix, i in sorted(hits, key=lambda hit: -int(hit[0] or 0)):
            name = re.compile(name_pattern.format(re.escape(suffix)))
            names = [j for j, h in enumerate(headers) if name.fullmatch(h)]
            out.append((i, names[0] if names else None))
    return out


def stated_year_in(header: list[Any], sheet: str | None) -> str | None:
    """The year a practice file states itself, from its header cells as given (a 'pop
    2024/25' column) or its sheet's name; None where it states none, so the app asks rather
    than guesses."""
    try:
        return _year_from([header_words(h) for h in header], sheet, None, None)
    except BookError:
        return None


def _year_from(
    headers: list[str], sheet: str | None, given: str | None, default: str | None
) -> str:
    if given:
        return normalise_year(given)
    for h in headers:
        match = re.fullmatch(r"pop (\d{4}/\d{2})", h)
        if match:
            return normalise_year(match[1])
    if sheet:
        match = re.search(r"(20\d{2})(\d{2})", sheet)
        if match:
            return normalise_year(f"{match[1]}/{match[2]}")
    if default:
        return normalise_year(default)
    raise BookError("The file does not say which year it is for: give it with --year 2024/25.")


def read_table(
    path: str | Path, sheet: str | None = None, limit: int | None = None
) -> tuple[list[Any], list[tuple[int, list[Any]]], str | None]:
    """The header cells as the file gives them, the filled rows below them (at most `limit`
    records read, for a look at the file's columns) and the sheet name."""
    target = Path(path)
    if not target.is_file():
        raise BookError(f"There is no file {target}.")
    if target.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_xlsx(target, read_only=True, data_only=True)
        try:
            names = wb.sheetnames
            if sheet is not None and sheet not in names:
                raise BookError(
                    f"{target.name} has no sheet '{sheet}' (sheets: {', '.join(names)})."
                )
            name = sheet or next((n for n in names if re.search(r"20\d{4}", n)), names[0])
            records = islice(wb[name].iter_rows(values_only=True), limit)
            rows = _filled_rows(records, target.name)
        finally:
            wb.close()
    else:
        text = csv_text(target, "a population file")
        rows = _filled_rows(islice(csv.reader(io.StringIO(text)), limit), target.name)
        name = None
    if not rows:
        raise BookError(f"{target.name} is empty.")
    return list(rows[0][1]), rows[1:], name


def _filled_rows(records: Iterable[Sequence[Any]], name: str) -> list[tuple[int, list[Any]]]:
    """The rows with something in them, numbered from 1 as a spreadsheet shows them; at most
    the header and MAX_ROWS more, and a record the csv reader cannot read named by its row."""
    out: list[tuple[int, list[Any]]] = []
    number = 0
    try:
        for number, record in enumerate(records, start=1):
            if any(v is not None and str(v).strip() for v in record):
                out.append((number, list(record)))
                if len(out) > MAX_ROWS + 1:
                    raise too_many_rows(name, "population file", MAX_ROWS)
    except csv.Error as exc:
        raise BookError(f"Row {number + 1} of {name} cannot be read as csv ({exc}).") from None
    return out


def _text(row: list[Any], found: dict[str, int], key: str) -> str:
    i = found.get(key)
    return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()


def _number(row: list[Any], found: dict[str, int], key: str) -> float:
    """A population cell within the bounds typing applies, else ValueError saying why (0.0 for
    a measure the user chose not to read: it is not written)."""
    if found.get(key, 0) < 0:
        return 0.0
    try:
        return float(POPULATION.number(_text(row, found, key), key))
    except BookError as exc:
        raise ValueError(str(exc)) from None


def _chain(
    row: list[Any], found: dict[str, int], places: list[tuple[int, int | None]], practice: str
) -> list[tuple[str, str, str]]:
    """(code, name, kind) from the region down to the practice; blank levels left out."""
    sub_icb = ("", "")
    for code_col, name_col in places:
        code = _cell(row, code_col)
        if code:
            sub_icb = (code, _cell(row, name_col) or f"Sub-ICB location {code}")
            break
    pcn = _text(row, found, "pcn")
    chain = [
        (_text(row, found, "region"), _text(row, found, "region_name"), "region"),
        (_text(row, found, "icb"), _text(row, found, "icb_name"), "icb"),
        (sub_icb[0], sub_icb[1], "sub_icb"),
        # The files' `U` placeholder PCN is no PCN: the practice sits under its sub-ICB.
        ("" if pcn.upper() == "U" else pcn, _text(row, found, "pcn_name"), "pcn"),
        (practice, _text(row, found, "practice_name"), "practice"),
    ]
    return [(code, name or code, kind) for code, name, kind in chain if code]


def _cell(row: list[Any], i: int | None) -> str:
    return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()


def _place(
    plan: OrgPlan, chain: list[tuple[str, str, str]], report: ImportReport, root_in_file: bool
) -> int:
    """Plan the row's organisations; the practice's id. Raises ValueError for a row not used.

    The chain is joined on codes (and the other codes organisations answer to). Levels at and
    above the book's own top organisation are left out, so an ICB's file imported into that
    ICB's book attaches below it; when the file names the book's top organisation, rows outside
    it are not the book's. Above the highest organisation the book already holds, the file's
    levels are left out too: the book's own structure there (the LLR sample's CCGs answering to
    04C, 03W and 04V) is kept. Below it, an organisation goes where the file says, unless the
    book already holds it further down (a practice placed in a PCN by a membership import).
    """
    at_root = [i for i, (code, _n, _k) in enumerate(chain) if plan.find(code) == plan.root]
    if at_root:
        chain = chain[at_root[-1] + 1 :]
        if not chain:
            raise ValueError("the practice is the book's top organisation")
    elif root_in_file:
        raise ValueError(f"{chain[-1][0]} is not in {plan.code(plan.root)}, this book's area")
    for code, _name, kind in chain:
        if plan.find(code) is None and not is_org_code(code):
            raise ValueError(f"{kind} code '{code}' cannot be an organisation code")
    practice = plan.find(chain[-1][0])
    if practice is not None and plan.kind(practice) != "practice":
        raise ValueError(f"{chain[-1][0]} is a {plan.kind(practice)} in this book, not a practice")
    held = [i for i, (code, _n, _k) in enumerate(chain) if _held(plan, code)]
    parent = plan.root
    if held:
        parent = plan.find(chain[held[0]][0]) or plan.root
        chain = chain[held[0] + 1 :]
    for code, name, kind in chain:
        org = plan.find(code)
        if org is None:
            org = plan.add(code, name, kind, parent)
            report.added[kind] += 1
        elif not plan.is_new(org) and not plan.below(plan.parent[org] or plan.root, parent):
            plan.move(org, parent)
        parent = org
    return parent


def _held(plan: OrgPlan, code: str) -> bool:
    """Whether the book held an organisation answering to `code` before this import."""
    org = plan.find(code)
    return org is not None and not plan.is_new(org)


def import_populations(
    book: Book,
    path: str | Path,
    *,
    year: str | None = None,
    sheet: str | None = None,
    default_year: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Create or update the tree and set registered and weighted populations, as one operation
    (one transaction, one undo step); nothing is written if the file or the tree is refused.

    `columns` chooses the column each measure is read from (or 'none'); the report and every
    figure's note say which column filled which measure."""
    step = progress or (lambda _f, _m: None)
    book.require_writable()
    cells, rows, sheet_used = read_table(path, sheet)
    headers = [header_words(h) for h in cells]
    usual = find_columns(headers)  # what the import reads without a choice
    found = match_columns(headers, usual, columns)
    if not rows:  # a population file's header, and nothing below it
        raise BookError(
            f"{Path(path).name} has a header but no practices below it: nothing was imported."
        )
    places = _sub_icb_columns(headers)
    label = _year_from(headers, sheet_used, year, default_year)
    s = load_structure(book.conn)
    y = s.year_index(label)
    report = ImportReport(s.years[y])
    report.added = dict.fromkeys(LEVELS, 0)
    plan = OrgPlan(book, s)
    pops: dict[int, tuple[float, ...]] = {}
    step(0.1, "Reading rows")
    read: list[Read] = []
    for number, row in rows:
        report.rows += 1
        practice = _text(row, found, "practice")
        if not practice:
            report.skipped.append((number, "no practice code"))
            continue
        try:
            figures = tuple(_number(row, found, m) for m in FILLS)
        except ValueError as exc:
            report.skipped.append((number, str(exc)))
            continue
        chain = _chain(row, found, places, practice)
        try:
            chain = [(code, clean_name(name, code), kind) for code, name, kind in chain]
        except ValueError as exc:
            report.skipped.append((number, str(exc)))
            continue
        read.append((number, figures, chain))
    read = one_row_each(read, report.repeated, Path(path).name)
    root_in_file = any(plan.find(c) == plan.root for *_, chain in read for c, _n, _k in chain)
    for number, figures, chain in read:
        try:
            org = _place(plan, chain, report, root_in_file)
        except ValueError as exc:
            report.skipped.append((number, str(exc)))
            continue
        pops[org] = figures
    report.skipped.sort()
    if not pops:
        raise _nothing_usable(Path(path).name, report)
    step(0.5, "Writing organisations and populations")
    filled = {m: found[m] for m in FILLS if found[m] >= 0}
    notes = {
        m: f"NHS England population file {Path(path).name}, column '{shown(cells[i])}'"
        for m, i in filled.items()
    }
    # what the import reads without a choice: a choice the same as that is not "chosen", and a
    # measure left unread as usual (no file of NHS England's has QOF points) goes unsaid
    unchosen = {m: -1 for m in FILLS} | usual
    for m in FILLS:
        header = shown(cells[found[m]]) if m in filled else None
        if header is not None or found[m] != unchosen[m]:
            report.sources.append(source_line(m, header, found[m] != unchosen[m]))
    writes = plan.writes()
    for org, figures in pops.items():
        code = plan.code(org)
        for measure, value in zip(FILLS, figures, strict=True):
            if measure in filled:
                label_ = f"{code} {measure} {label}"
                write = Write("population", (org, measure, y), label_, (value, notes[measure]), 0)
                writes.append(write)
    report.moved = plan.moved_count()
    change = apply(
        book,
        Operation(
            f"Import populations {label} from {Path(path).name}", "baseline", 0, tuple(writes)
        ),
    )
    populations = [c for c in change.cells if c.kind == "population"]
    report.values_set = len(filled) * len(pops)
    report.values_changed = sum(1 for c in populations if c.old is not None)
    step(1.0, "Done")
    return report
