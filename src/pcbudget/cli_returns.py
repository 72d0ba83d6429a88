"""Returns and NHS files from the command line: `export`, `import-return` and
`import-populations`."""

from __future__ import annotations

import argparse
import sys

from .book import BookError, open_book
from .book.money import pounds_text
from .io.safe_text import csv_writer


def _export(args: argparse.Namespace) -> int:
    import time

    from .io.excel_return import export_return

    book = open_book(args.book, write=False)
    try:
        start = time.perf_counter()
        done = export_return(book, args.out, scenarios=args.scenario, org=args.org)
    finally:
        book.close()
    print(
        f"Wrote {done.path} (scenario '{done.scenario}') in {time.perf_counter() - start:.1f} s: "
        f"{len(done.sheets)} sheets "
        f"({', '.join(done.sheets)}), {done.input_cells:,} input cells, {done.formulas:,} formulas."
    )
    return 0


def _import_return(args: argparse.Namespace) -> int:
    from .io.return_import import apply_return, read_return

    book = open_book(args.book, write=args.apply)
    try:
        edits = read_return(book, args.workbook, scenario=args.scenario)
        out = csv_writer(sys.stdout)
        out.writerow(
            ["cell", "organisation", "line", "year", "at_export", "old", "new", "was", "conflict"]
        )
        for e in edits:
            out.writerow(
                [
                    f"{e.sheet}!{e.cell}",
                    e.org,
                    e.target,
                    e.year,
                    pounds_text(e.exported) if e.exported is not None else "",
                    pounds_text(e.old),
                    pounds_text(e.new),
                    e.status,
                    "yes" if e.conflict else "",
                ]
            )
        into = f"scenario '{edits.scenario}'"
        if edits.scenario != edits.exported_from:
            into += f" (exported from '{edits.exported_from}')"
        calculated = [e for e in edits if e.calculated]
        conflicts = edits.conflicts
        if args.apply:
            book.require_writable()
            change = apply_return(book, edits, overrides=args.overrides, force=args.force)
            done = len(change.cells) if change else 0
            print(f"Applied {done} change(s) to {into} as one logged change.", file=sys.stderr)
            if calculated and not args.overrides:
                print(
                    f"{len(calculated)} calculated cell(s) changed and were not applied; "
                    "add --overrides to make them overrides.",
                    file=sys.stderr,
                )
            if conflicts and not args.force:
                print(
                    f"{len(conflicts)} cell(s) were also changed in the book since the export "
                    "(conflict=yes) and keep the book's figure; add --force to take the return's.",
                    file=sys.stderr,
                )
        else:
            print(
                f"{len(edits)} changed input cell(s) for {into}, {len(conflicts)} in conflict "
                "with changes made in the book since the export; nothing applied (add --apply).",
                file=sys.stderr,
            )
    finally:
        book.close()
    return 0


def _columns(given: list[str] | None) -> dict[str, str] | None:
    """`--column weighted="Final WP"` pairs as {measure: header}."""
    if not given:
        return None
    out: dict[str, str] = {}
    for pair in given:
        measure, sep, header = pair.partition("=")
        if not sep or not header.strip():
            raise BookError(f"--column takes MEASURE=HEADER (e.g. weighted='Final WP'), not {pair}")
        out[measure.strip().lower()] = header.strip()
    return out


def _column_lines(file: str, sheet: str | None) -> list[str]:
    """The columns a population file offers each measure, the one taken by default, and what
    each column is: what `--column` may name."""
    from .io.population_columns import NONE, column_lines
    from .io.population_import import column_choices

    choices = column_choices(file, sheet=sheet)
    if choices is None:
        return [f"{file}: one column per measure; nothing to choose."]
    return [f"{file}: choose with --column MEASURE=HEADER (or {NONE}).", *column_lines(choices)]


def _import_populations(args: argparse.Namespace) -> int:
    from .io.gap_advice import gap_advice
    from .io.nhs_populations import ImportReport
    from .io.population_import import import_population_file

    if args.list_columns:
        print("\n".join(_column_lines(args.file, args.sheet)))
        return 0
    with open_book(args.book) as book:
        report = import_population_file(
            book, args.file, year=args.year, sheet=args.sheet, columns=_columns(args.column)
        )
        # a practice file builds the tree: say which figures it leaves unworkable
        advice = gap_advice(book) if isinstance(report, ImportReport) else []
    print("\n".join(report.lines() + advice))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser("export", help="write an Excel return")
    ex.add_argument("book")
    ex.add_argument("out")
    ex.add_argument(
        "--scenario", action="append", help="repeat to compare scenarios (first is the base)"
    )
    ex.add_argument("--org")
    ex.set_defaults(run=_export)

    ir = sub.add_parser(
        "import-return", help="show (and with --apply, apply) edits made to a return"
    )
    ir.add_argument("book")
    ir.add_argument("workbook")
    ir.add_argument("--apply", action="store_true")
    ir.add_argument("--overrides", action="store_true", help="also apply changed calculated cells")
    ir.add_argument(
        "--force",
        action="store_true",
        help="also apply cells the book has changed since the export (conflicts)",
    )
    ir.add_argument(
        "--scenario", help="apply to this scenario (default: the one the return was exported from)"
    )
    ir.set_defaults(run=_import_return)

    ip = sub.add_parser(
        "import-populations",
        help="NHS England practice populations (csv or xlsx), or org_code,measure,year,value",
    )
    ip.add_argument("book")
    ip.add_argument("file")
    ip.add_argument("--year")
    ip.add_argument("--sheet")
    ip.add_argument(
        "--column",
        action="append",
        metavar="MEASURE=HEADER",
        help="read a measure from this column (or 'none'), e.g. weighted='Final WP'",
    )
    ip.add_argument(
        "--list-columns",
        action="store_true",
        help="list the columns each measure can be read from, and what each is; import nothing",
    )
    ip.set_defaults(run=_import_populations)
