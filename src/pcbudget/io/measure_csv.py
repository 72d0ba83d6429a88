"""A plain csv of population figures, `org_code,measure,year,value[,source]`, for any measure.

This is how a book gets what NHS England's practice files do not give: the PCN adjusted
population, care home beds, or a local list. Every row is checked first (organisation by code
or ODS code, measure, year, a figure within the population bound), the first bad row is named
and nothing is written; a figure given twice with different values is refused as ambiguous.
The figures are one logged, undoable operation, each noted with the file (or the row's own
`source`) and the date it was imported, so the Populations tab says where each came from.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..book.bounds import POPULATION
from ..book.errors import BookError
from ..book.operations import Change, Operation, Write, apply
from ..book.schema import MEASURES
from ..book.store import Book
from ..book.structure import load_structure
from .csv_text import read_csv_table

COLUMNS = ("org_code", "measure", "year", "value")
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000
#: Words a user may write for a measure, and the measure they mean.
MEASURE_WORDS = {
    "registered": "registered",
    "registered list": "registered",
    "weighted": "weighted",
    "contractor weighted": "weighted",
    "carr-hill weighted": "weighted",
    "adjusted": "adjusted",
    "pcn adjusted": "adjusted",
    "adjusted population": "adjusted",
    "care_home_beds": "care_home_beds",
    "care home beds": "care_home_beds",
    "beds": "care_home_beds",
    "qof_points": "qof_points",
    "qof points": "qof_points",
    "qof": "qof_points",
}


@dataclass
class MeasureImport:
    """What an import set: figures by measure, organisations, years, and the change."""

    file: str
    by_measure: dict[str, int] = field(default_factory=dict)
    orgs: int = 0
    years: list[str] = field(default_factory=list)
    changed: int = 0
    change: Change | None = None

    def lines(self) -> list[str]:
        set_ = ", ".join(f"{n:,} {m}" for m, n in sorted(self.by_measure.items()))
        return [
            f"{self.file}: set {set_} for {self.orgs:,} organisation(s) in "
            f"{', '.join(self.years)} ({self.changed:,} replaced a figure already held)."
        ]


def is_measure_csv(path: str | os.PathLike[str]) -> bool:
    """Whether a file's header is `org_code,measure,year,value` (in any case and order)."""
    try:
        with Path(path).open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return False
    names = {" ".join(c.split()).lower().strip('"') for c in first.split(",")}
    return set(COLUMNS) <= names


def _read(path: Path) -> pd.DataFrame:
    frame = read_csv_table(path, "of population figures", MAX_BYTES, MAX_ROWS)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise BookError(
            f"{path.name}: no column {', '.join(missing)} (it needs {','.join(COLUMNS)})."
        )
    return frame


def import_measures(
    book: Book, path: str | os.PathLike[str], *, today: dt.date | None = None
) -> MeasureImport:
    """Set known population figures from the csv, as one operation; all or nothing."""
    book.require_writable()
    file = Path(path)
    frame = _read(file)
    s = load_structure(book.conn)
    stamp = (today or dt.date.today()).isoformat()
    sources = frame["source"].tolist() if "source" in frame.columns else [""] * len(frame)
    seen: dict[tuple[int, str, int], tuple[int, float]] = {}
    notes: dict[tuple[int, str, int], str] = {}
    for n, (code, measure_text, year, value, source) in enumerate(
        zip(
            frame["org_code"],
            frame["measure"],
            frame["year"],
            frame["value"],
            sources,
            strict=True,
        ),
        start=2,  # the header is row 1
    ):
        if not any(str(v).strip() for v in (code, measure_text, year, value)):
            continue
        try:
            org = s.org(code)
            measure = MEASURE_WORDS.get(" ".join(str(measure_text).split()).lower())
            if measure is None:
                raise BookError(f"'{measure_text}' is not a measure ({', '.join(MEASURES)}).")
            y = s.year_index(year)
            number = float(POPULATION.number(value, f"{org.code} {measure}"))
        except BookError as exc:
            raise BookError(f"{file.name}: row {n}: {exc} Nothing was imported.") from None
        key = (org.id, measure, y)
        if key in seen and seen[key][1] != number:
            first = seen[key][0]
            raise BookError(
                f"{file.name}: rows {first} and {n} give {org.code} {measure} {s.years[y]} "
                f"two figures ({seen[key][1]:,g} and {number:,g}): keep one. Nothing was imported."
            )
        seen[key] = (n, number)
        where = str(source).strip() or file.name
        notes[key] = f"{where}, imported {stamp}"
    if not seen:
        raise BookError(f"{file.name} has no rows of figures.")
    code_of = {o.id: o.code for o in s.orgs}
    writes = tuple(
        Write(
            "population",
            key,
            f"{code_of[key[0]]} {key[1]} {s.years[key[2]]}",
            (number, notes[key]),
            0,
        )
        for key, (_n, number) in seen.items()
    )
    change = apply(book, Operation(f"Import populations from {file.name}", "baseline", 0, writes))
    report = MeasureImport(file.name, change=change)
    for _org, measure, _y in seen:
        report.by_measure[measure] = report.by_measure.get(measure, 0) + 1
    report.orgs = len({k[0] for k in seen})
    report.years = [s.years[y] for y in sorted({k[2] for k in seen})]
    report.changed = sum(1 for c in change.cells if c.old is not None)
    return report
