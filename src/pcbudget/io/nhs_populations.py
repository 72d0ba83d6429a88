"""NHS England practice population files in: the organisation tree and registered and weighted
populations for a year, from csv or xlsx in either published header style.

Headers are matched loosely (case, spaces, year suffixes such as CCG23 or ICB23name); codes are
the join key, since names of the same ICB differ between publications. A blank or `U` PCN code
puts the practice straight under its sub-ICB location.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..book.bounds import POPULATION
from ..book.changelog import Entry, append
from ..book.create import NewOrg, add_orgs
from ..book.edits import write_rows
from ..book.errors import BookError
from ..book.store import Book
from ..book.structure import load_structure
from ..book.years import normalise_year
from .xlsx_safety import load_xlsx

MAX_CSV_BYTES = 200 * 1024 * 1024

#: Output field -> header patterns (normalised: lower case, single spaces, no BOM).
COLUMNS: dict[str, tuple[str, ...]] = {
    "practice": (r"practice_code", r"practice code"),
    "practice_name": (r"gp_practice_name", r"practice_name", r"practice name"),
    "pcn": (r"pcn_code",),
    "pcn_name": (r"pcn_name",),
    "place": (r"loc\d*", r"sub_?icb\d*", r"ccg\d*"),
    "place_name": (r"loc\d*name", r"sub_?icb\d*name", r"ccg\d*name"),
    "icb": (r"icb\d*",),
    "icb_name": (r"icb\d*name",),
    "region": (r"r\d+", r"rcode"),
    "region_name": (r"region\d*",),
    "registered": (r"pop \d{4}/\d{2}", r"population"),
    "weighted": (r"final pmc wp",),
}
REQUIRED = ("practice", "registered", "weighted")


@dataclass
class ImportReport:
    year: str
    rows: int = 0
    added: dict[str, int] = field(default_factory=dict)
    moved: int = 0
    values_set: int = 0
    values_changed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        added = ", ".join(f"{n} {kind}" for kind, n in self.added.items() if n) or "none"
        out = [
            f"Populations for {self.year}: {self.rows:,} rows read.",
            f"Organisations added: {added}; moved to a new parent: {self.moved}.",
            f"Populations set: {self.values_set:,} "
            f"({self.values_changed:,} changed an earlier figure).",
        ]
        out += [f"Row {row}: skipped: {why}" for row, why in self.skipped[:50]]
        if len(self.skipped) > 50:
            out.append(f"... and {len(self.skipped) - 50} more rows skipped.")
        return out


def _normalise(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header or "").replace("\ufeff", "")).strip().lower()


def _match_columns(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for name, patterns in COLUMNS.items():
        for pattern in patterns:
            hits = [i for i, h in enumerate(headers) if re.fullmatch(pattern, h)]
            if hits:
                found[name] = hits[0]
                break
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise BookError(
            "The file has no column for "
            + ", ".join(
                {
                    "practice": "Practice_Code",
                    "registered": "pop YYYY/YY or Population",
                    "weighted": "Final PMC WP",
                }[m]
                for m in missing
            )
            + ": it does not look like an NHS England practice population file."
        )
    return found


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


def read_rows(
    path: str | Path, sheet: str | None = None
) -> tuple[list[str], list[list[Any]], str | None]:
    """Headers (normalised), rows and the sheet name of a csv or xlsx population file."""
    target = Path(path)
    if not target.is_file():
        raise BookError(f"There is no file {target}.")
    if target.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_xlsx(target, read_only=True, data_only=True)
        names = wb.sheetnames
        if sheet is not None and sheet not in names:
            raise BookError(f"{target.name} has no sheet '{sheet}' (sheets: {', '.join(names)}).")
        name = sheet or next((n for n in names if re.search(r"20\d{4}", n)), names[0])
        rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
        wb.close()
    else:
        if target.stat().st_size > MAX_CSV_BYTES:
            raise BookError(f"{target.name} is too large for a population file.")
        raw = target.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
        name = None
    while rows and not any(str(v or "").strip() for v in rows[0]):
        rows.pop(0)
    if not rows:
        raise BookError(f"{target.name} is empty.")
    return [_normalise(h) for h in rows[0]], rows[1:], name


def _text(row: list[Any], found: dict[str, int], key: str) -> str:
    i = found.get(key)
    return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()


def _number(row: list[Any], found: dict[str, int], key: str) -> float:
    """A population cell within the bounds typing applies, else ValueError saying why."""
    try:
        return float(POPULATION.number(_text(row, found, key), key))
    except BookError as exc:
        raise ValueError(str(exc)) from None


def import_populations(
    book: Book,
    path: str | Path,
    *,
    year: str | None = None,
    sheet: str | None = None,
    default_year: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Create or update the tree and set registered and weighted populations, in one transaction."""
    step = progress or (lambda _f, _m: None)
    headers, rows, sheet_used = read_rows(path, sheet)
    found = _match_columns(headers)
    label = _year_from(headers, sheet_used, year, default_year)
    s = load_structure(book.conn)
    y = s.year_index(label)
    report = ImportReport(s.years[y])
    existing = {o.code.upper(): o for o in s.orgs}
    parent_of: dict[str, str] = {}
    new_orgs: list[NewOrg] = []
    pops: list[tuple[str, float, float]] = []
    kinds = ("region", "icb", "place", "pcn", "practice")
    report.added = dict.fromkeys(kinds, 0)
    step(0.1, "Reading rows")
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        if not any(str(v or "").strip() for v in row):
            continue
        report.rows += 1
        practice = _text(row, found, "practice")
        if not practice:
            report.skipped.append((number, "no practice code"))
            continue
        try:
            registered, weighted = (
                _number(row, found, "registered"),
                _number(row, found, "weighted"),
            )
        except ValueError as exc:
            report.skipped.append((number, str(exc)))
            continue
        chain = [
            (_text(row, found, "region"), _text(row, found, "region_name"), "region"),
            (_text(row, found, "icb"), _text(row, found, "icb_name"), "icb"),
            (_text(row, found, "place"), _text(row, found, "place_name"), "place"),
            (_text(row, found, "pcn"), _text(row, found, "pcn_name"), "pcn"),
            (practice, _text(row, found, "practice_name"), "practice"),
        ]
        parent = s.root.code
        for code, name, kind in chain:
            if not code or (kind == "pcn" and code.upper() == "U"):
                continue  # blank codes, and the 'U' placeholder PCN, are skipped levels
            key = code.upper()
            if key not in existing and key not in parent_of:
                new_orgs.append(NewOrg(code, name or code, kind, parent))
                report.added[kind] += 1
            parent_of.setdefault(key, parent)
            parent = code
        pops.append((practice, registered, weighted))
    step(0.5, "Writing organisations and populations")
    with book.transaction():
        add_orgs(book, new_orgs)
        s = load_structure(book.conn)
        ids = {o.code.upper(): o for o in s.orgs}
        for code, parent in parent_of.items():
            org = ids[code]
            wanted = ids[parent.upper()].id
            if org.parent_id != wanted and code in existing:
                book.conn.execute("UPDATE orgs SET parent_id = ? WHERE id = ?", (wanted, org.id))
                report.moved += 1
        cells = []
        note = f"NHS England population file {Path(path).name}"
        for practice, registered, weighted in pops:
            org = ids[practice.upper()]
            for measure, value in (("registered", registered), ("weighted", weighted)):
                cells.append(
                    (
                        "population",
                        (org.id, measure, y),
                        f"{org.code} {measure} {label}",
                        (value, note),
                    )
                )
        change = write_rows(book, 0, "baseline", cells)
        report.values_set = len(cells)
        report.values_changed = sum(1 for c in change.cells if c.old is not None and c.old != c.new)
        added = sum(report.added.values())
        append(
            book.conn,
            [
                Entry(
                    "baseline",
                    "organisations",
                    None,
                    f"{added} added, {report.moved} moved from {Path(path).name}",
                )
            ],
        )
    step(1.0, "Done")
    return report
