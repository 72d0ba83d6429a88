"""The budget year from the command line: `import-actuals`, `phasing` and `months`.

`import-actuals BOOK FILE [--year Y] [--mapping MAP]` reads a monthly ledger csv;
`phasing BOOK LINE YEAR even|actuals|w1,...,w12 [--method phased|run_rate]` sets how a line's
plan spreads over the months and how it is forecast; `months BOOK --year Y [--org] [--line]`
prints plan, actual and forecast by month.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .book import Book, open_book
from .book.actuals import load_actuals
from .book.errors import BookError
from .book.money import format_money, pounds_text
from .book.phasing import MONTHS, set_phasing
from .engine import Model
from .engine.snapshot import BALANCE
from .io.budget_year import year_months
from .io.safe_text import csv_writer


def _import_actuals(args: argparse.Namespace) -> int:
    # The readers (and pandas, half a second) are imported by the command that reads a file,
    # not by every command of the CLI.
    from .io.actuals_ledger import import_ledger
    from .io.payments_actuals import import_payments_actuals

    book = open_book(args.book)
    try:
        book.require_writable()
        with open(args.file, "rb") as handle:
            head = handle.read(4096)
        if b"Global Sum" in head or b"Practice Code" in head:  # NHS Payments to General Practice
            paid = import_payments_actuals(book, args.file, year=args.year, mapping=args.mapping)
            print(
                f"Imported {paid.cells:,} actuals for {paid.year} totalling "
                f"£{format_money(paid.total_pence)} (annual figures, in M12; the year's actuals"
                " were replaced)."
            )
            for note in paid.notes:
                print(note)
            return 0
        done = import_ledger(book, args.file, mapping=args.mapping, year=args.year)
        spans = ", ".join(f"{y} {m}" for y, m in done.periods)
        print(
            f"Imported {done.cells:,} actuals totalling £{format_money(done.total_pence)} for "
            f"{spans} (replacing what the book held for those months)."
        )
        _say_unreported(book, done.periods)
    except OSError as exc:
        raise BookError(f"{args.file}: {exc.strerror or exc}.") from None
    finally:
        book.close()
    return 0


def _say_unreported(book: Book, periods: list[tuple[str, str]]) -> None:
    """Name the planned lines with no actual in the imported months (forecast at plan)."""
    model = Model(book)
    s, snap = model.structure, model.snapshot
    for year in sorted({y for y, _ in periods}):
        y = s.year_index(year)
        _, held = load_actuals(book, snap.org_index, snap.line_index, len(s.lines), y)
        months = [int(m[1:]) - 1 for yy, m in periods if yy == year]
        planned = (model.results.own[:, :, y] != 0) & snap.holds & (snap.basis != BALANCE)
        silent = planned & ~held[:, :, months].any(axis=-1)
        if silent.any():
            orgs, lines = np.nonzero(silent)
            where = [
                f"{s.orgs[o].code} {s.lines[li].code}" for o, li in zip(orgs, lines, strict=True)
            ]
            print(
                f"{len(where):,} planned organisation lines have no actual for {year} in these "
                f"months, so they are forecast at their plan: {', '.join(where[:5])}"
                + (" ..." if len(where) > 5 else "")
            )


def _phasing(args: argparse.Namespace) -> int:
    book = open_book(args.book)
    try:
        book.require_writable()
        change = set_phasing(
            book, args.line, args.year, args.profile, args.method, scenario=args.scenario
        )
        print(f"{change.label}: {args.profile}, forecast {args.method}.")
    finally:
        book.close()
    return 0


def _months(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=False)
    try:
        model = Model(book, args.scenario)
        s = model.structure
        org = s.org(args.org) if args.org else s.root
        o, y = model.snapshot.org_index[org.id], s.year_index(args.year)
        ym = year_months(book, model.results, y)
        if args.line:
            li = model.snapshot.line_index[s.line(args.line).id]
            series = {k: getattr(ym, k)[o, li] for k in ("plan", "actual", "forecast")}
        else:
            series = {k: getattr(ym, k)[o].sum(axis=0) for k in ("plan", "actual", "forecast")}
    finally:
        book.close()
    closed = ym.closed
    actual = [int(v) if m < closed else None for m, v in enumerate(series["actual"])]
    if args.format == "csv":
        out = csv_writer(sys.stdout)
        out.writerow(["measure", *MONTHS, "year"])
        for name in ("plan", "forecast"):
            whole = [int(v) for v in series[name]]
            out.writerow([name, *(pounds_text(v) for v in whole), pounds_text(sum(whole))])
        out.writerow(
            [
                "actual",
                *("" if v is None else pounds_text(v) for v in actual),
                pounds_text(sum(v for v in actual if v is not None)),
            ]
        )
        return 0
    what = args.line or "all lines"
    print(
        f"{org.code} {what} {s.years[y]}: actuals to M{closed}"
        if closed
        else f"{org.code} {what} {s.years[y]}: no actuals yet"
    )
    print(" " * 9 + "".join(m.rjust(11) for m in MONTHS) + "year".rjust(13))
    for name in ("plan", "actual", "forecast"):
        vals: list[int | None] = actual if name == "actual" else [int(v) for v in series[name]]
        cells = ["" if v is None else format_money(v, decimals=0) for v in vals]
        total = format_money(sum(v for v in vals if v is not None), decimals=0)
        print(name.ljust(9) + "".join(c.rjust(11) for c in cells) + total.rjust(13))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import-actuals", help="a monthly ledger csv of actuals (replaces the months it covers)"
    )
    imp.add_argument("book")
    imp.add_argument("file")
    imp.add_argument("--year", help="the year, when the file has no year column")
    imp.add_argument("--mapping", help="csv of cost_centre,subjective,org,line")
    imp.set_defaults(run=_import_actuals)

    ph = sub.add_parser("phasing", help="how a line's plan spreads over the months")
    ph.add_argument("book")
    ph.add_argument("line")
    ph.add_argument("year")
    ph.add_argument("profile", help="even, actuals (last year's shape) or 12 weights, Apr-Mar")
    ph.add_argument("--method", choices=["phased", "run_rate"], default="phased")
    ph.add_argument("--scenario")
    ph.set_defaults(run=_phasing)

    mo = sub.add_parser("months", help="plan, actual and forecast by month for a year")
    mo.add_argument("book")
    mo.add_argument("--year", required=True)
    mo.add_argument("--org")
    mo.add_argument("--line")
    mo.add_argument("--scenario")
    mo.add_argument("--format", choices=["table", "csv"], default="table")
    mo.set_defaults(run=_months)
