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
from .book.edits import set_amount
from .book.money import format_money, parse_money, pounds_text
from .book.phasing import parse_period
from .book.schema_guard import UnexpectedSchema
from .book.store import read_header
from .book.structure import load_structure
from .book.versions import list_versions, mark_version
from .book.years import year_run
from .cli_catalogue import register as register_catalogue
from .cli_imports import register as register_imports
from .cli_months import register as register_months
from .cli_structure import register as register_structure
from .engine import Model, summary_rows
from .engine.gaps import missing_populations
from .engine.months import all_year_months, view_rows
from .engine.summary import SummaryRow
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
        if args.view == "plan":
            rows = summary_rows(model.results, o)
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
        elif args.format == "json":
            doc = {
                "book": book.meta("name"),
                "org": {"code": org.code, "name": org.name, "kind": org.kind},
                "scenario": model.snapshot.scenario.name,
                "unit": "GBP",
                "years": years,
                "rows": [_row_json(r, years) for r in rows],
            }
            json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            _print_table(
                book.meta("name"), org.code, org.name, model.snapshot.scenario.name, years, rows
            )
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
) -> None:
    width = max(40, *(len(r.name) + 2 for r in rows))
    cells = [[format_money(int(p), decimals=0) for p in r.pence] for r in rows]
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


def _set(args: argparse.Namespace) -> int:
    book = open_book(args.book)
    try:
        book.require_writable()
        value = None if args.value.strip().lower() == "calculated" else parse_money(args.value)
        change = set_amount(
            book, args.org, args.line, args.year, value, scenario=args.scenario, note=args.note
        )
        cell = change.cells[0]
        print(f"{cell.label}: {_show(cell.old)} -> {_show(cell.new)} ({change.scenario})")
    finally:
        book.close()
    return 0


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
    print(f"{Path(args.book).name}: OK (database sound, {rows} change-log rows verified).")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .io.sample_llr import build_llr

    if args.sample == "llr":
        book = build_llr(args.book)
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
    s_years = [r[0] for r in book.conn.execute("SELECT label FROM years ORDER BY idx")]
    try:
        if args.populations:
            from .io.nhs_populations import import_populations

            report = import_populations(book, args.populations, default_year=s_years[0])
            print("\n".join(report.lines()))
    finally:
        book.close()
    print(f"Created {args.book} ({s_years[0]} to {s_years[-1]}).")
    return 0


def _scenario(args: argparse.Namespace) -> int:
    from .book import scenarios as ops
    from .book.differences import differences

    writes = args.action not in ("list", "diff")
    book = open_book(args.book, write=writes)
    try:
        if writes:
            book.require_writable()
        if args.action == "list":
            s = load_structure(book.conn)
            names = {x.id: x.name for x in s.scenarios}
            print("scenario\tbuilds on\tdescription")
            for x in s.scenarios:
                parent = names.get(x.parent_id, "") if x.parent_id is not None else ""
                print(f"{x.name}\t{parent}\t{x.description}")
            return 0
        if not args.name:
            raise BookError(f"Name the scenario: pcbudget scenario BOOK {args.action} NAME.")
        if args.action == "new":
            scen = ops.create_scenario(
                book, args.name, parent=args.parent, description=args.description
            )
            print(f"Scenario '{scen.name}' created on {args.parent or 'baseline'}.")
        elif args.action in ("copy", "rename"):
            if not args.new:
                raise BookError(
                    f"Give the new name: pcbudget scenario BOOK {args.action} NAME NEW."
                )
            if args.action == "copy":
                ops.copy_scenario(book, args.name, args.new)
            else:
                ops.rename_scenario(book, args.name, args.new)
            print(
                f"Scenario '{args.name}' {'copied to' if args.action == 'copy' else 'renamed'}"
                f" '{args.new}'."
            )
        elif args.action == "delete":
            ops.delete_scenario(book, args.name)
            print(f"Scenario '{args.name}' deleted.")
        elif args.action == "describe":
            ops.describe_scenario(book, args.name, args.description)
            print(f"Scenario '{args.name}' described.")
        else:
            out = csv_writer(sys.stdout)
            out.writerow(["assumption", "target", "baseline", "scenario", "set_in"])
            for d in differences(book, args.name, against=args.against):
                out.writerow([d.assumption, d.target, d.baseline, d.scenario, d.layer])
    finally:
        book.close()
    return 0


def _leftshift(args: argparse.Namespace) -> int:
    from .book.leftshift_params import set_leftshift
    from .engine.leftshift import MEASURES as LS_MEASURES
    from .engine.leftshift import compute_leftshift

    book = open_book(args.book, write=bool(args.set))
    try:
        if args.set:
            values: dict[str, str | None] = {}
            for item in args.set:
                key, sep, value = item.partition("=")
                if not sep:
                    raise BookError(f"'{item}' is not KEY=VALUE (e.g. op_first.reduction=40%).")
                values[key.strip()] = None if value.strip() == "" else value
            book.require_writable()
            set_leftshift(book, args.scenario, args.org, values)
        model = Model(book, args.scenario)
        s = model.structure
        org = s.org(args.org) if args.org else s.root
        params = model.snapshot.leftshift.get(model.snapshot.org_index[org.id], {})
        res = compute_leftshift(params, s.years)
        if args.format == "json":
            json.dump(
                {
                    "scenario": model.snapshot.scenario.name,
                    "org": org.code,
                    "mode": res.mode,
                    "parameters": params,
                    "years": s.years,
                    "results": {
                        m: (
                            [float(f"{v:.2f}") for v in res.totals[m]]
                            if m == "activity_shifted"
                            else [int(p) / 100 for p in res.pence(m)]
                        )
                        for m in LS_MEASURES
                    },
                },
                sys.stdout,
                indent=1,
            )
            sys.stdout.write("\n")
        elif args.format == "csv":
            out = csv_writer(sys.stdout)
            out.writerow(["measure", *s.years])
            for m in LS_MEASURES:
                cells = (
                    [f"{v:.2f}" for v in res.totals[m]]
                    if m == "activity_shifted"
                    else [pounds_text(int(p)) for p in res.pence(m)]
                )
                out.writerow([m, *cells])
        else:
            print(
                f"Left shift: {org.code} {org.name} | scenario: {model.snapshot.scenario.name}"
                f" | {res.mode}"
            )
            for key in sorted(params):
                print(f"  {key} = {params[key]}")
            print(" " * 18 + "".join(y.rjust(16) for y in s.years))
            for m in LS_MEASURES:
                cells = (
                    [f"{v:,.0f}" for v in res.totals[m]]
                    if m == "activity_shifted"
                    else [format_money(int(p), decimals=0) for p in res.pence(m)]
                )
                print(m.ljust(18) + "".join(c.rjust(16) for c in cells))
    finally:
        book.close()
    return 0


def _compare(args: argparse.Namespace) -> int:
    from .engine.compare import compare, compare_orgs

    book = open_book(args.book, write=False)
    try:
        s = load_structure(book.conn)
        names = [s.scenario(n).name for n in args.scenarios]
        org = s.org(args.org) if args.org else s.root
        o = next(i for i, x in enumerate(s.orgs) if x.id == org.id)  # book order, as the engine
        out = csv_writer(sys.stdout) if args.format == "csv" else None
        if args.by_org:
            rows = [
                (
                    r.org,
                    r.scenario,
                    r.measure,
                    [pounds_text(int(v)) if r.measure == "total" else f"{v:.2f}" for v in r.values],
                )
                for r in compare_orgs(book.conn, names, o)
            ]
            _emit(out, args.format, ["org", "scenario", "measure", *s.years], rows)
            return 0
        table = compare(book.conn, names, o)
        tag = (
            (lambda n, y: f"variance:{y}")
            if len(names) == 2
            else (lambda n, y: f"variance:{n}:{y}")
        )
        header = [
            "section",
            "line",
            "name",
            *(f"{n}:{y}" for n in names for y in s.years),
            *(tag(n, y) for n in names[1:] for y in s.years),
        ]
        body = []
        for row in table:
            if args.differing and not row.differs():
                continue
            values = [pounds_text(int(p)) for by_year in row.values for p in by_year]
            variance = [pounds_text(int(p)) for by_year in row.variance() for p in by_year]
            body.append((row.section, row.line, row.name, *values, *variance))
        _emit(out, args.format, header, body)
    finally:
        book.close()
    return 0


def _emit(out, fmt: str, header: list[str], rows: list) -> None:
    if fmt == "csv":
        out.writerow(header)
        for r in rows:
            out.writerow([*r[:-1], *r[-1]] if isinstance(r[-1], list) else r)
    elif fmt == "json":
        flat = [[*r[:-1], *r[-1]] if isinstance(r[-1], list) else list(r) for r in rows]
        json.dump([dict(zip(header, r, strict=True)) for r in flat], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        flat = [[*r[:-1], *r[-1]] if isinstance(r[-1], list) else list(r) for r in rows]
        widths = [
            max(len(str(h)), *(len(str(r[i])) for r in flat)) if flat else len(h)
            for i, h in enumerate(header)
        ]
        print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
        for r in flat:
            print(
                "  ".join(
                    str(c).rjust(w) if i >= 3 else str(c).ljust(w)
                    for i, (c, w) in enumerate(zip(r, widths, strict=True))
                )
            )


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
        f"Wrote {done.path} in {time.perf_counter() - start:.1f} s: {len(done.sheets)} sheets "
        f"({', '.join(done.sheets)}), {done.input_cells:,} input cells, {done.formulas:,} formulas."
    )
    return 0


def _import_return(args: argparse.Namespace) -> int:
    from .io.return_import import apply_return, read_return

    book = open_book(args.book, write=args.apply)
    try:
        edits = read_return(book, args.workbook)
        out = csv_writer(sys.stdout)
        out.writerow(["cell", "organisation", "line", "year", "old", "new", "was"])
        for e in edits:
            out.writerow(
                [
                    f"{e.sheet}!{e.cell}",
                    e.org,
                    e.target,
                    e.year,
                    pounds_text(e.old),
                    pounds_text(e.new),
                    e.status,
                ]
            )
        calculated = [e for e in edits if e.calculated]
        if args.apply:
            book.require_writable()
            change = apply_return(book, edits, overrides=args.overrides)
            done = len(change.cells) if change else 0
            print(f"Applied {done} change(s) as one logged change.", file=sys.stderr)
            if calculated and not args.overrides:
                print(
                    f"{len(calculated)} calculated cell(s) changed and were not applied; "
                    "add --overrides "
                    "to make them overrides.",
                    file=sys.stderr,
                )
        else:
            print(
                f"{len(edits)} changed input cell(s); nothing applied (add --apply).",
                file=sys.stderr,
            )
    finally:
        book.close()
    return 0


def _import_populations(args: argparse.Namespace) -> int:
    from .io.nhs_populations import import_populations

    book = open_book(args.book)
    try:
        book.require_writable()
        report = import_populations(book, args.file, year=args.year, sheet=args.sheet)
    finally:
        book.close()
    print("\n".join(report.lines()))
    return 0


def _open(args: argparse.Namespace) -> int:
    from .gui.app import run

    return run(args.book, sample=args.sample, quit_after_ms=args.quit_after)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pcbudget", description="NHS primary care budget books.")
    p.add_argument("--version", action="version", version=f"pcbudget {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    sub = p.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="create a book")
    new.add_argument("book")
    new.add_argument("--sample", choices=["llr"], help="build a sample book")
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
    new.set_defaults(run=_new)

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
        st.add_argument(name)
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
    ir.set_defaults(run=_import_return)

    ip = sub.add_parser("import-populations", help="NHS England practice populations (csv or xlsx)")
    ip.add_argument("book")
    ip.add_argument("file")
    ip.add_argument("--year")
    ip.add_argument("--sheet")
    ip.set_defaults(run=_import_populations)

    op = sub.add_parser("open", help="open a book in the desktop app")
    op.add_argument("book", nargs="?")
    op.add_argument("--sample", action="store_true", help="open your own copy of the LLR sample")
    op.add_argument("--quit-after", type=int, help=argparse.SUPPRESS)
    op.set_defaults(run=_open)

    scen = sub.add_parser(
        "scenario", help="list, create, copy, rename, delete, describe, diff scenarios"
    )
    scen.add_argument("book")
    scen.add_argument(
        "action", choices=["list", "new", "copy", "rename", "delete", "describe", "diff"]
    )
    scen.add_argument("name", nargs="?")
    scen.add_argument("new", nargs="?")
    scen.add_argument("--from", dest="parent")
    scen.add_argument("--description", default="")
    scen.add_argument("--against", choices=["parent", "baseline"], default="parent")
    scen.set_defaults(run=_scenario)

    ls = sub.add_parser(
        "leftshift", help="set and show a scenario's left-shift parameters and results"
    )
    ls.add_argument("book")
    ls.add_argument("--scenario", required=True)
    ls.add_argument("--org")
    ls.add_argument("--set", action="append", metavar="KEY=VALUE")
    ls.add_argument("--format", choices=["table", "csv", "json"], default="table")
    ls.set_defaults(run=_leftshift)

    cmp_ = sub.add_parser(
        "compare", help="scenarios side by side, with variances against the first"
    )
    cmp_.add_argument("book")
    cmp_.add_argument("scenarios", nargs="+")
    cmp_.add_argument("--org")
    cmp_.add_argument("--by-org", action="store_true", help="compare the organisation's children")
    cmp_.add_argument("--differing", action="store_true", help="only rows that differ")
    cmp_.add_argument("--format", choices=["table", "csv", "json"], default="table")
    cmp_.set_defaults(run=_compare)
    register_structure(sub)
    register_catalogue(sub)
    register_months(sub)
    register_imports(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if len(args_in) == 1 and args_in[0].lower().endswith(".pcbook") and Path(args_in[0]).is_file():
        args_in = ["open", args_in[0]]  # `pcbudget BOOK.pcbook`, as a file manager runs it
    argv = args_in
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
