"""Command-line structure and history: organisations, local lines, undo and redo.

`org BOOK add|move|close|rename|list`, `line BOOK add|list`, `undo BOOK`, `redo BOOK`. A refused
change (a loop, an unknown parent, a code already used) prints one line, exits 2 and changes
nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .book import open_book
from .book.errors import BookError
from .book.org_moves import close_org
from .book.organisations import (
    LINE_BASES,
    ORG_KINDS,
    add_code,
    add_line,
    add_org,
    move_org,
    rename_org,
    set_line_level,
    set_line_type,
)
from .book.structure import Org, Structure, load_structure
from .book.undo_history import next_undo, redo, steps, undo
from .io.safe_text import csv_writer


def _org(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=args.action != "list")
    try:
        if args.action == "list":
            s = load_structure(book.conn)
            by_id = {o.id: o.code for o in s.orgs}
            rows = [
                (
                    o.code,
                    o.name,
                    o.kind,
                    by_id.get(o.parent_id, "") if o.parent_id is not None else "",
                    " ".join(s.codes_of(o)),
                    _moves_text(s, o),
                )
                for o in s.orgs
            ]
            if args.format == "csv":
                out = csv_writer(sys.stdout)
                out.writerow(["code", "name", "kind", "parent", "other_codes", "moves"])
                out.writerows(rows)
            else:
                for code, name, kind, parent, codes, moves in rows:
                    also = f"  (also {codes})" if codes else ""
                    dated = f"  [{moves}]" if moves else ""
                    print(f"{code:<12} {kind:<9} {parent:<12} {name}{also}{dated}")
            return 0
        book.require_writable()
        if args.action == "add":
            if not args.parent:
                raise BookError("Name the parent: pcbudget org BOOK add CODE NAME --parent CODE.")
            change = add_org(book, args.code, args.name, args.kind, args.parent)
        elif args.action == "move":
            change = move_org(book, args.code, args.name, from_year=args.from_year)
        elif args.action == "close":
            change = close_org(book, args.code, args.from_year)
        elif args.action == "rename":
            change = rename_org(book, args.code, args.name)
        else:
            change = add_code(book, args.code, args.name)
        print(f"{change.label}.")
    finally:
        book.close()
    return 0


def _moves_text(s: Structure, org: Org) -> str:
    """`org`'s dated moves as 'U123:2027/28;closed:2028/29' (empty if it never moves)."""
    return ";".join(
        f"{above.code if above else 'closed'}:{year}" for year, above in s.moves_of(org)
    )


def _line(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=args.action != "list")
    try:
        if args.action == "list":
            s = load_structure(book.conn)
            rows = [
                (ln.code, ln.name, ln.section, ln.budget_type, ln.level, ln.basis, ln.measure or "")
                for ln in s.lines
            ]
            if args.format == "csv":
                out = csv_writer(sys.stdout)
                out.writerow(
                    ["code", "name", "section", "budget_type", "level", "basis", "measure"]
                )
                out.writerows(rows)
            else:
                for code, name, section, btype, level, basis, measure in rows:
                    print(
                        f"{code:<28} {section:<20} {btype:<3} {level:<9} {basis:<9} {measure:<11}"
                        f" {name}"
                    )
            return 0
        book.require_writable()
        if args.action == "type":
            if not (args.code and args.name and args.from_year):
                raise BookError("pcbudget line BOOK type CODE CC|PC --from YEAR")
            print(f"{set_line_type(book, args.code, args.name, args.from_year).label}.")
            return 0
        if args.action == "level":
            if not (args.code and args.name):
                raise BookError("pcbudget line BOOK level CODE[,CODE...] KIND (e.g. practice)")
            codes = [c.strip() for c in args.code.split(",") if c.strip()]
            print(f"{set_line_level(book, codes, args.name).label}.")
            return 0
        if not (args.code and args.name and args.section and args.budget_type):
            raise BookError(
                "pcbudget line BOOK add CODE NAME --section SECTION --budget-type CC|PC"
                " [--level KIND] [--basis entered|per_head --measure M --rate R]"
                " [--basis allocation_share --level KIND --rate 0.5%]"
            )
        change = add_line(
            book,
            args.code,
            args.name,
            section=args.section,
            budget_type=args.budget_type,
            level=args.level,
            basis=args.basis,
            measure=args.measure,
            rate=args.rate,
            source=args.source,
        )
        print(f"{change.label}.")
    finally:
        book.close()
    return 0


def _undo(args: argparse.Namespace) -> int:
    book = open_book(args.book)
    try:
        book.require_writable()
        if args.list:
            for step in steps(book):
                print(f"{'  ' if step.done else 'U '}{step.batch:>6}  {step.label}")
            print("(U: undone, can be redone)")
            return 0
        change = undo(book) if args.command == "undo" else redo(book)
        print(f"{change.label} ({len(change.cells)} row(s)).")
        after = next_undo(book)
        print(f"Next undo: {after.label}." if after else "Nothing more to undo.")
    finally:
        book.close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the structure and history commands to the main parser."""
    org = sub.add_parser("org", help="add, move, close, rename or list organisations")
    org.add_argument("book")
    org.add_argument("action", choices=["add", "move", "close", "rename", "code", "list"])
    org.add_argument("code", nargs="?", help="the organisation's code")
    org.add_argument(
        "name", nargs="?", help="add/rename: its name; move: the new parent; code: the other code"
    )
    org.add_argument("--kind", choices=ORG_KINDS, default="practice")
    org.add_argument("--parent")
    org.add_argument(
        "--from",
        dest="from_year",
        help="move: the first year under the new parent (default: every year); close: the"
        " first year it is closed",
    )
    org.add_argument("--format", choices=["table", "csv"], default="table")
    org.set_defaults(run=_checked(_org, ("add", "move", "rename", "code", "close")))

    line = sub.add_parser(
        "line",
        help="add a local line, change its budget type from a year or the level that holds it,"
        " or list the lines",
    )
    line.add_argument("book")
    line.add_argument("action", choices=["add", "type", "level", "list"])
    line.add_argument("code", nargs="?")
    line.add_argument(
        "name", nargs="?", help="the line's name (add), budget type (type) or kind (level)"
    )
    line.add_argument("--from", dest="from_year", help="type: the first year of the new type")
    line.add_argument("--section")
    line.add_argument("--budget-type", choices=["CC", "PC"])
    line.add_argument("--level", help="the kind of organisation that holds it (default: any)")
    line.add_argument("--basis", choices=list(LINE_BASES), default="entered")
    line.add_argument("--measure")
    line.add_argument(
        "--rate", help="£ per unit a year, or the share of the allocation ('0.5%%'), every year"
    )
    line.add_argument("--source", help="where the rate comes from")
    line.add_argument("--format", choices=["table", "csv"], default="table")
    line.set_defaults(run=_line)

    for verb, text in (("undo", "undo the last change"), ("redo", "redo the last undone change")):
        cmd = sub.add_parser(verb, help=f"{text} (the history is kept in the book)")
        cmd.add_argument("book")
        cmd.add_argument("--list", action="store_true", help="list the steps instead")
        cmd.set_defaults(run=_undo)


def _checked(
    run: Callable[[argparse.Namespace], int], actions: tuple[str, ...]
) -> Callable[[argparse.Namespace], int]:
    """`run`, after checking the arguments an action needs are there (one usage line each)."""

    def inner(args: argparse.Namespace) -> int:
        needs = _NEEDS.get(args.action, ("code", "name")) if args.action in actions else ()
        if any(not getattr(args, name) for name in needs):
            raise BookError(f"pcbudget org BOOK {args.action} CODE {_SECOND[args.action]}")
        return int(run(args))

    return inner


#: What each action needs besides CODE and its second positional (the default).
_NEEDS = {"close": ("code", "from_year")}

_SECOND = {
    "add": "NAME --kind KIND --parent PARENT",
    "move": "NEW_PARENT [--from YEAR]",
    "rename": "NAME",
    "code": "OTHER_CODE",
    "close": "--from YEAR",
}
