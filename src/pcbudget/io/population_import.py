"""Which importer a population file goes to, decided once for the app and the command line:
a plain `org_code,measure,year,value` csv, NHS Payments to General Practice (its lists), or an
NHS England practice population file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..book.store import Book
from .population_columns import ColumnChoices


def import_population_file(
    book: Book,
    path: str | Path,
    *,
    year: str | None = None,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Any:
    """Import `path` with the importer its header names; the report has `lines()`."""
    from .measure_csv import import_measures
    from .nhs_populations import import_populations
    from .payments_lists import import_payment_lists

    kind = file_kind(path)
    if kind == "measures":
        return import_measures(book, path)
    if kind == "payments":
        return import_payment_lists(book, path, year=year)
    return import_populations(
        book, path, year=year, sheet=sheet, columns=columns, progress=progress
    )


def file_kind(path: str | Path) -> str:
    """Which importer reads `path`, by its header: 'measures' (the plain
    org_code,measure,year,value csv: any measure, any level), 'payments' (NHS Payments' Last
    Known Figure lists) or 'practices' (an NHS England practice population file)."""
    from .measure_csv import is_measure_csv
    from .payments_lists import is_payments_file

    if is_measure_csv(path):
        return "measures"
    return "payments" if is_payments_file(path) else "practices"


@dataclass(frozen=True)
class FileFacts:
    """What the app asks before importing a population file, from one look at its top rows:
    the columns it offers each measure (None for files with one column per measure: the plain
    csv and NHS Payments' lists) and whether it leaves its year unsaid."""

    choices: ColumnChoices | None
    needs_year: bool


def file_facts(path: str | Path, *, sheet: str | None = None) -> FileFacts:
    """The facts of `path`; a file no importer reads raises BookError. A file needs its year
    given when it has no 'pop YYYY/YY' column and no year in its sheet or published file
    name; the plain csv gives a year on every row."""
    from .nhs_payments import year_from_name
    from .nhs_populations import read_table, stated_year_in
    from .population_columns import SAMPLE_ROWS, choices_from

    kind = file_kind(path)
    if kind == "measures":
        return FileFacts(None, needs_year=False)
    if kind == "payments":
        return FileFacts(None, needs_year=year_from_name(Path(path).name) is None)
    cells, rows, sheet_used = read_table(path, sheet, limit=SAMPLE_ROWS + 1)
    choices = choices_from(Path(path).name, cells, [row for _n, row in rows])
    return FileFacts(choices, needs_year=stated_year_in(cells, sheet_used) is None)


def column_choices(path: str | Path, *, sheet: str | None = None) -> ColumnChoices | None:
    """The columns an NHS England practice population file offers each measure and the one the
    importer takes by default; None for the files with one column per measure."""
    return file_facts(path, sheet=sheet).choices
