"""`pcbudget rates BOOK`: every line's rate, months, budget type, source and confidence by year;
`pcbudget reconcile BOOK`: each published figure beside the book's own."""

from __future__ import annotations

import argparse
import sys
from dataclasses import astuple, fields

from .book import open_book
from .book.money import format_money, pounds_text
from .engine.rate_table import RateRow, rate_table
from .engine.snapshot import load_snapshot
from .io.reconciliation import reconcile
from .io.safe_text import csv_writer

HEADER = [f.name for f in fields(RateRow)]


def _rates(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=False)
    try:
        rows = rate_table(load_snapshot(book.conn, args.scenario))
    finally:
        book.close()
    if args.format == "csv":
        out = csv_writer(sys.stdout)
        out.writerow(HEADER)
        out.writerows([str(v) for v in astuple(r)] for r in rows)
        return 0
    print(
        f"{'line':<28} {'year':<8} {'basis':<23} {'rate':>9} {'months':>6} type "
        f"{'confidence':<12} source"
    )
    for r in rows:
        print(
            f"{r.line:<28} {r.year:<8} {r.basis:<23} {r.rate:>9} {r.months:>6} "
            f"{r.budget_type:<4} {r.confidence:<12} {r.source}"
        )
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=False)
    try:
        rows = reconcile(book)
    finally:
        book.close()
    if not rows:
        print("This book has no published figures to reconcile with.")
        return 0
    if args.format == "csv":
        out = csv_writer(sys.stdout)
        out.writerow(["table", "figure", "org", "year", "published", "book", "difference", "why"])
        for r in rows:
            out.writerow(
                [
                    r.table,
                    r.figure,
                    r.org,
                    r.year,
                    pounds_text(r.published),
                    pounds_text(r.book),
                    pounds_text(r.difference),
                    r.why,
                ]
            )
    else:
        for r in rows:
            mark = "" if r.agrees else "  DIFFERS"
            published, mine, diff = (
                format_money(p, decimals=0) for p in (r.published, r.book, r.difference)
            )
            print(
                f"T{r.table} {r.figure[:34]:<34} {r.org:<4} {r.year} "
                f"{published:>14} {mine:>14} {diff:>6}{mark}"
            )
        agree = sum(r.agrees for r in rows)
        print(f"{agree} of {len(rows)} published figures agree with the book.")
    return 0 if all(r.agrees for r in rows) else 1


def register(sub: argparse._SubParsersAction) -> None:
    rates = sub.add_parser(
        "rates", help="every line's rate, months, budget type, source and confidence by year"
    )
    rates.add_argument("book")
    rates.add_argument("--scenario", help="a scenario's rates (default: the baseline)")
    rates.add_argument("--format", choices=["table", "csv"], default="table")
    rates.set_defaults(run=_rates)
    rec = sub.add_parser(
        "reconcile", help="each published figure (e.g. the LLR Tables 4-7) beside the book's own"
    )
    rec.add_argument("book")
    rec.add_argument("--format", choices=["table", "csv"], default="table")
    rec.set_defaults(run=_reconcile)
