"""Scenarios from the command line: `scenario` (list, new, copy, rename, delete, describe,
diff), `leftshift` (a scenario's parameters and results) and `compare` (side by side)."""

from __future__ import annotations

import argparse
import json
import sys

from .book import BookError, open_book
from .book.money import format_money, pounds_text
from .book.structure import load_structure
from .engine import Model
from .io.safe_text import csv_writer


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
    from .engine.leftshift import RESULT_ROWS, compute_leftshift

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
                        for m in RESULT_ROWS
                    },
                },
                sys.stdout,
                indent=1,
            )
            sys.stdout.write("\n")
        elif args.format == "csv":
            out = csv_writer(sys.stdout)
            out.writerow(["measure", *s.years])
            for m in RESULT_ROWS:
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
            for m in RESULT_ROWS:
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
                    [
                        ""  # no figure that year (not under the organisation, no population)
                        if r.gap(y)
                        else pounds_text(int(v))
                        if r.measure == "total"
                        else f"{v:.2f}"
                        for y, v in enumerate(r.values)
                    ],
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


def register(sub: argparse._SubParsersAction) -> None:
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
    ls.add_argument("--set", action="extend", nargs="+", metavar="KEY=VALUE")
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
