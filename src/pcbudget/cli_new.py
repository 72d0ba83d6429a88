"""`pcbudget new`: a book from the LLR sample, or a blank one with the national lines and, in
the same step, NHS England's population file, PCN membership and other measures."""

from __future__ import annotations

import argparse

from .book.years import year_run


def _new(args: argparse.Namespace) -> int:
    from .io.sample_llr import build_llr

    if args.sample == "llr":
        book = build_llr(args.book, shipped=args.shipped)
    else:
        from .io.rate_catalogue import new_blank_book

        years = year_run(args.first_year, args.years)
        book = new_blank_book(
            args.book,
            years=years,
            name=args.name,
            root_code=args.org,
            root_name=args.org_name,
            rates=args.rates,
            level=args.level,
        )
    from .io.new_book import fill_new_book

    s_years = [r[0] for r in book.conn.execute("SELECT label FROM years ORDER BY idx")]
    said = fill_new_book(  # a refused file leaves no half-built book
        book, populations=args.populations, membership=args.pcns, measures=args.measures
    )
    if said:
        print("\n".join(said))
    print(f"Created {args.book} ({s_years[0]} to {s_years[-1]}).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `new` to the main parser."""
    new = sub.add_parser("new", help="create a book")
    new.add_argument("book")
    new.add_argument("--sample", choices=["llr"], help="build a sample book")
    new.add_argument("--shipped", action="store_true", help=argparse.SUPPRESS)  # `make sample`
    new.add_argument("--first-year", default="2024/25")
    new.add_argument("--years", type=int, default=5)
    new.add_argument(
        "--rates", choices=["national"], help="add the national PCN DES lines and rates"
    )
    new.add_argument("--name", default="Primary care budget")
    new.add_argument("--org", default="SYSTEM", help="code of the top organisation")
    new.add_argument("--org-name", default="System")
    new.add_argument(
        "--level", default="pcn", help="organisation kind that holds the PCN DES lines"
    )
    new.add_argument("--populations", help="an NHS England practice population file for the tree")
    new.add_argument("--pcns", help="PCN membership: NHS Payments csv or practice_code,pcn_code")
    new.add_argument("--measures", help="org_code,measure,year,value csv (adjusted, beds...)")
    new.set_defaults(run=_new)
