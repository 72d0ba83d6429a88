"""A new ICB book in one step: years, the national lines, an NHS England population file and
PCN membership, as the start page's New ICB Book dialog and `pcbudget new` build it.

All or nothing: if a file is refused, the half-made book is removed and the reason given, so a
failed build never leaves a book that looks finished.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..book.errors import BookError
from ..book.store import Book
from ..book.years import year_run
from .rate_catalogue import new_blank_book

Progress = Callable[[float, str], None]


@dataclass
class NewBookPlan:
    """What the user chose: where, which organisation, which years and which files."""

    path: Path
    code: str
    name: str
    first_year: str
    years: int = 5
    populations: Path | None = None
    membership: Path | None = None
    measures: Path | None = None
    #: The column each measure of the population file is read from (or 'none'), as chosen.
    columns: dict[str, str] | None = None
    #: The year of a population file that does not say it, as the user gave it (None: the
    #: file says it, or the book's first year is taken and the report names it).
    population_year: str | None = None


@dataclass
class NewBookReport:
    path: Path
    years: list[str]
    lines: list[str] = field(default_factory=list)


def _part(step: Progress, start: float, end: float) -> Progress:
    """A progress callback for one stage, mapped onto its share of the whole build."""
    return lambda f, m: step(start + (end - start) * f, m)


def build_new_book(plan: NewBookPlan, progress: Progress | None = None) -> NewBookReport:
    """Create the book and import each file given; remove it again if any step is refused."""
    step = progress or (lambda _f, _m: None)
    if plan.path.exists():
        raise BookError(f"{plan.path.name} already exists: choose a new file name.")
    if not plan.code.strip():
        raise BookError("Give the ICB's ODS code (e.g. QHM).")
    years = year_run(plan.first_year, plan.years)
    for given in (plan.populations, plan.membership, plan.measures):
        if given is not None and not Path(given).is_file():
            raise BookError(f"There is no file {Path(given).name}.")
    step(0.02, "Creating the book")
    book = new_blank_book(
        plan.path,
        years=years,
        name=plan.name or plan.code,
        root_code=plan.code.strip().upper(),
        root_name=plan.name or plan.code,
        rates="national",
    )
    lines = fill_new_book(
        book,
        populations=plan.populations,
        membership=plan.membership,
        measures=plan.measures,
        columns=plan.columns,
        population_year=plan.population_year,
        progress=step,
    )
    step(1.0, "Done")
    return NewBookReport(plan.path, years, lines)


def fill_new_book(
    book: Book,
    *,
    populations: str | Path | None = None,
    membership: str | Path | None = None,
    measures: str | Path | None = None,
    columns: dict[str, str] | None = None,
    population_year: str | None = None,
    progress: Progress | None = None,
) -> list[str]:
    """Import each file given into a book just made (the population file's measures from
    `columns` where chosen, its year `population_year` where the file does not say it), then
    close it; if any is refused, the book is removed again (all or
    nothing). Returns what each import said."""
    step = progress or (lambda _f, _m: None)
    path = book.path
    first = book.conn.execute("SELECT label FROM years ORDER BY idx LIMIT 1").fetchone()[0]
    lines: list[str] = []
    try:
        if populations is not None:
            from .nhs_populations import import_populations

            done = import_populations(
                book,
                populations,
                year=population_year,
                default_year=first,
                columns=columns,
                progress=_part(step, 0.1, 0.65),
            )
            lines += done.lines()
        if membership is not None:
            from .pcn_membership import import_membership

            lines += import_membership(book, membership, progress=_part(step, 0.65, 0.9)).lines()
        if measures is not None:
            from .measure_csv import import_measures

            step(0.9, "Setting other population measures")
            lines += import_measures(book, measures).lines()
    except BookError as exc:  # the user's file was refused: say the book went with it
        book.close()
        remove_book(path)
        raise BookError(f"{exc} {path.name} was not created.") from None
    except BaseException:
        book.close()
        remove_book(path)
        raise
    book.close()
    return lines


def remove_book(path: Path) -> None:
    """The book and anything SQLite or the lock left beside it."""
    for leftover in (
        path,
        *path.parent.glob(f"{path.name}-*"),
        *path.parent.glob(f"{path.name}.*"),
    ):
        with contextlib.suppress(OSError):
            leftover.unlink()
