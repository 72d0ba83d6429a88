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
