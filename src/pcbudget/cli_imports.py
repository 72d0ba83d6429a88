"""Command-line imports of NHS files into a book's structure: `import-pcns BOOK FILE`.

The import is one operation (all or nothing, one undo step); a refused file or change prints one
line, exits 2 and leaves the book unchanged. Rows not used are listed by row number.
"""

from __future__ import annotations

import argparse

from .book import open_book


def _import_pcns(args: argparse.Namespace) -> int:
    from .io.pcn_membership import import_membership

    book = open_book(args.book)
    try:
        book.require_writable()
        report = import_membership(book, args.file)
    finally:
        book.close()
    print("\n".join(report.lines()))
    return 0


def _estimate_adjusted(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from .io.adjusted_estimate import estimate_adjusted

    book = open_book(args.book)
    try:
        done = estimate_adjusted(book, source=args.source, ratio=args.ratio)
    finally:
        book.close()
    print(done.line(args.source, Decimal(args.ratio)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the import commands to the main parser."""
    pcns = sub.add_parser(
        "import-pcns",
        help="PCN membership: NHS Payments to General Practice csv, or practice_code,pcn_code,"
        "pcn_name[,from_year]",
    )
    pcns.add_argument("book")
    pcns.add_argument("file")
    pcns.set_defaults(run=_import_pcns)

    est = sub.add_parser(
        "estimate-adjusted",
        help="where no PCN adjusted population was given: weighted (or registered) x a ratio,"
        " each figure noted as an estimate",
    )
    est.add_argument("book")
    est.add_argument(
        "--from", dest="source", choices=["weighted", "registered"], default="weighted"
    )
    est.add_argument("--ratio", default="1.00", help="adjusted per weighted head (default 1.00)")
    est.set_defaults(run=_estimate_adjusted)
