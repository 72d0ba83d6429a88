"""The command line: headless commands over the same core the desktop app uses.

Errors a user can meet print one line and exit with status 2; `check` exits 1 when it finds
problems. The commands and their csv/json formats are a contract for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .book import BookError, open_book
from .book.changelog import history
from .book.check import check_book, observations
from .book.edits import set_allocation, set_amount
from .book.money import format_money, parse_money, pounds_text
from .book.phasing import parse_period
from .book.schema_guard import UnexpectedSchema
from .book.store import Book, read_header
from .book.versions import list_versions, mark_version
from .cli_catalogue import register as register_catalogue
from .cli_imports import register as register_imports
from .cli_months import register as register_months
from .cli_new import register as register_new
from .cli_returns import register as register_returns
from .cli_scenarios import register as register_scenarios
from .cli_structure import register as register_structure
from .engine import Model, summary_rows
from .engine.cell_status import ENTERED_CELL
from .engine.gaps import Gap, missing_populations
from .engine.months import view_rows
from .engine.summary import SummaryRow
from .io.budget_year import all_year_months
from .io.safe_text import TerminalStream, csv_writer


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _summary(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=False)
    try:
        model = Model(book, args.scenario)
        s = model.structure
        org = s.org(args.org) if args.org else s.root
        o = model.snapshot.org_index[org.id]
        years = s.years
        shown = set(range(len(years)))  # years whose figures exist in this view
        gaps = []  # rated lines with nothing under org to apply the rate to: £0, not a figure
        if args.view == "plan":
            rows = summary_rows(model.results, o)
            gaps = missing_populations(model.results, org=o)
        else:
            month = parse_period(args.month) if args.month else None
            months = all_year_months(book, model.results, month)
            rows = view_rows(model.results, o, months, args.view)
            if args.view == "actual":  # a year with no actuals has none: blank, never 0
                shown = {y for y, ym in months.items() if ym.has_actuals}
        if args.format == "csv":
            out = csv_writer(sys.stdout)
            out.writerow(["section", "line", "name", "budget_type", *years])
            for r in rows:
                values = [pounds_text(int(p)) if y in shown else "" for y, p in enumerate(r.pence)]
                out.writerow([r.section, r.line, r.name, r.budget_type, *values])
            for g in gaps:  # beside the figures, not in them: the csv keeps its shape
                print(f"note: no figure for {g.sentence()}", file=sys.stderr)
        elif args.format == "json":
            doc = {
                "book": book.meta("name"),
                "org": {"code": org.code, "name": org.name, "kind": org.kind},
                "scenario": model.snapshot.scenario.name,
                "unit": "GBP",
                "years": years,
                "rows": [_row_json(r, years) for r in rows],
                "no_figure": [
                    {"line": g.line, "years": list(g.years), "reason": g.reason} for g in gaps
                ],
            }
            json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            _print_table(
                book.meta("name"),
                org.code,
                org.name,
                model.snapshot.scenario.name,
                years,
                rows,
                gaps,
            )
            if gaps:
                print("\nNo figure (nothing to apply the rate to; counted as £0 in the totals):")
                for g in gaps:
                    print(f"  {g.sentence()}")
    finally:
        book.close()
    return 0


def _row_json(r: SummaryRow, years: Sequence[str]) -> dict[str, object]:
    return {
        "section": r.section,
        "line": r.line,
        "name": r.name,
        "budget_type": r.budget_type,
        "kind": r.kind,
        "values": {y: int(p) / 100 for y, p in zip(years, r.pence, strict=True)},
    }


def _print_table(
    book_name: str,
    code: str,
    name: str,
    scenario: str,
    years: Sequence[str],
    rows: list[SummaryRow],
    gaps: Sequence[Gap] = (),
) -> None:
    """The summary as a text table; a line's year with nothing to apply its rate to reads
    'no figure', not a 0 (the notes below the table say why)."""
    width = max(40, *(len(r.name) + 2 for r in rows))
    missing = {(g.line, y) for g in gaps for y in g.years}
    cells = [
        [
            "no figure"
            if r.kind == "line" and (r.line, y) in missing
            else format_money(int(p), decimals=0)
            for y, p in zip(years, r.pence, strict=True)
        ]
        for r in rows
    ]
    col = max(12, *(len(c) for row in cells for c in row)) + 1
    print(f"{book_name}")
    print(f"{code}: {name} | scenario: {scenario} | £, rounded to the pound")
    print(" " * width + "".join(y.rjust(col) for y in years))
    rule = "-" * (width + col * len(years))
    section = None
    for r, row_cells in zip(rows, cells, strict=True):
        if r.kind == "line" and r.section != section:
            section = r.section
            print()
        if r.kind in ("section_total", "budget_type") or (r.kind == "total"):
            print(rule)
        label = ("  " + r.name) if r.kind == "line" else r.name
        print(label.ljust(width)[:width] + "".join(c.rjust(col) for c in row_cells))
        if r.kind == "section_total":
            section = None


#: `set BOOK ORG allocation:CC YEAR VALUE` sets an allocation of a budget type, not a line.
ALLOCATION = "allocation:"


def _set(args: argparse.Namespace) -> int:
    book = open_book(args.book)
    try:
        book.require_writable()
        value = None if args.value.strip().lower() == "calculated" else parse_money(args.value)
        if args.line.startswith(ALLOCATION):  # allocation:CC, the allocation of a budget type
            change = set_allocation(
                book,
                args.org,
                args.line.removeprefix(ALLOCATION),
                args.year,
                value,
                scenario=args.scenario,
                note=args.note,
            )
        else:
            if value is None:
                _refuse_removing_an_input(book, args)
            change = set_amount(
                book, args.org, args.line, args.year, value, scenario=args.scenario, note=args.note
            )
        cell = change.cells[0]
        print(f"{cell.label}: {_show(cell.old)} -> {_show(cell.new)} ({change.scenario})")
    finally:
        book.close()
    return 0


def _refuse_removing_an_input(book: Book, args: argparse.Namespace) -> None:
    """'calculated' reverts an override; on a typed input (an uplift line's base year, an
    entered line) it would zero the line and move the money into the reserve unseen."""
    model = Model(book, args.scenario)
    s = model.structure
    org, line, y = s.org(args.org), s.line(args.line), s.year_index(args.year)
    status = model.results.status_at(model.snapshot.org_index[org.id])
    if int(status[model.snapshot.line_index[line.id], y]) == ENTERED_CELL:
        raise BookError(
            f"{org.code} {line.code} {s.years[y]} is a typed input, not an override: 'calculated'"
            " would remove it (and every year grown from it). Type the new amount instead."
        )


def _show(row: tuple | None) -> str:
    if row is None or row[0] is None:
        return "calculated"
    return "£" + format_money(int(row[0]))


def _history(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=False)
    try:
        for e in history(book.conn, args.limit):
            note = f"  [{e.note}]" if e.note else ""
            print(
                f"{e.id:>6}  {e.at[:19].replace('T', ' ')}  {e.user}@{e.host}  {e.scenario}  "
                f"{e.target}: {e.old or '-'} -> {e.new or '-'}{note}"
            )
    finally:
        book.close()
    return 0


def _version(args: argparse.Namespace) -> int:
    book = open_book(args.book, write=args.name is not None)
    try:
        if args.name is None:
            for v in list_versions(book):
                print(f"{v.name}\t{v.at}\t{v.user}\tafter change {v.change_id}\t{v.note or ''}")
        else:
            v = mark_version(book, args.name, args.note)
            print(f"Version '{v.name}' marked after change {v.change_id}.")
    finally:
        book.close()
    return 0


def _check(args: argparse.Namespace) -> int:
    read_header(Path(args.book))
    try:
        book = open_book(args.book, write=False)
    except UnexpectedSchema as exc:  # hidden SQL: name every piece, run none of it
        problems, notes, rows = [f"the book contains {f}" for f in exc.findings], [], 0
    else:
        try:
            problems = check_book(book)
            notes = observations(book) if not problems else []
            if not problems:
                notes += [g.sentence() for g in missing_populations(Model(book).results)]
            rows = book.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
        finally:
            book.close()
    if problems:
        for p in problems:
            print(f"problem: {p}")
        print(f"{Path(args.book).name}: {len(problems)} problem(s) found.")
        return 1
    for n in notes:
        print(f"note: {n}")
    print(
        f"{Path(args.book).name}: OK (database sound, {rows} change-log rows verified and "
        "replayed against the figures)."
    )
    return 0


def _check_desktop() -> None:
    """On a Linux desktop, say the one apt line Qt needs instead of letting Qt abort."""
    from .desktop_check import desktop_problem

    problem = desktop_problem()
    if problem:
        raise BookError(problem)


def _open(args: argparse.Namespace) -> int:
    _check_desktop()
    from .gui.app import run

    return run(args.book, sample=args.sample, quit_after_ms=args.quit_after)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pcbudget", description="NHS primary care budget books.")
    p.add_argument("--version", action="version", version=f"pcbudget {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    sub = p.add_subparsers(dest="command", required=True)

    register_new(sub)

    summ = sub.add_parser("summary", help="an organisation's budget by line and year")
    summ.add_argument("book")
    summ.add_argument("--org")
    summ.add_argument("--scenario")
    summ.add_argument("--format", choices=["table", "csv", "json"], default="table")
    summ.add_argument(
        "--view",
        choices=["plan", "actual", "forecast", "variance"],
        default="plan",
        help="actual: actuals to date; forecast: actuals then the plan or run rate; variance:"
        " forecast (or actual) less plan",
    )
    summ.add_argument("--month", help="count actuals to this month only (M1 = April)")
    summ.set_defaults(run=_summary)

    st = sub.add_parser("set", help="enter or override one cell ('calculated' removes an override)")
    for name in ("book", "org", "line", "year", "value"):
        st.add_argument(
            name,
            help="a line's code, or allocation:TYPE (e.g. allocation:CC)"
            if name == "line"
            else None,
        )
    st.add_argument("--scenario")
    st.add_argument("--note")
    st.set_defaults(run=_set)

    hist = sub.add_parser("history", help="the change log, newest first")
    hist.add_argument("book")
    hist.add_argument("--limit", type=_positive)
    hist.set_defaults(run=_history)

    ver = sub.add_parser("version", help="mark a named version (or list them with no name)")
    ver.add_argument("book")
    ver.add_argument("name", nargs="?")
    ver.add_argument("--note")
    ver.set_defaults(run=_version)

    chk = sub.add_parser("check", help="verify the database and the change log")
    chk.add_argument("book")
    chk.set_defaults(run=_check)

    op = sub.add_parser("open", help="open a book in the desktop app")
    op.add_argument("book", nargs="?")
    op.add_argument("--sample", action="store_true", help="open your own copy of the LLR sample")
    op.add_argument("--quit-after", type=int, help=argparse.SUPPRESS)
    op.set_defaults(run=_open)

    register_scenarios(sub)
    register_returns(sub)
    register_structure(sub)
    register_catalogue(sub)
    register_months(sub)
    register_imports(sub)
    return p


def _negative_amounts(argv: list[str]) -> list[str]:
    """`set BOOK ORG LINE YEAR -£5k`: argparse would take '-£5k' for an option, so a negative
    amount in the value's place is passed on in brackets, which means the same."""
    if len(argv) >= 6 and argv[0] == "set" and argv[5].startswith("-") and argv[5][1:2] != "-":
        try:
            parse_money(argv[5])
        except BookError:
            return argv
        return [*argv[:5], f"({argv[5][1:]})", *argv[6:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if len(args_in) == 1 and args_in[0].lower().endswith(".pcbook") and Path(args_in[0]).is_file():
        args_in = ["open", args_in[0]]  # `pcbudget BOOK.pcbook`, as a file manager runs it
    argv = _negative_amounts(args_in)
    parser = build_parser()
    args = parser.parse_args(argv)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(sys.stdout), TerminalStream(sys.stderr)  # no escapes
    try:
        return int(args.run(args))
    except BookError as exc:
        print(f"pcbudget: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pcbudget: interrupted; the book holds every change reported done.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, without a traceback unless asked
        if args.debug:
            traceback.print_exc()
        print(
            f"pcbudget: unexpected error ({type(exc).__name__}: {exc}); the book is unchanged "
            "by the failed command. Run with --debug for details.",
            file=sys.stderr,
        )
        return 3
    finally:
        sys.stdout, sys.stderr = streams


if __name__ == "__main__":
    sys.exit(main())
