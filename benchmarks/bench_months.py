"""The budget year at national scale, each figure beside its target (run by `make bench`).

A copy of the national benchmark book gets twelve months of actuals for every practice's
lines (about 2.3 million monthly cells, written straight into the table as a year of imports
would leave them); then: opening it with the months of the year under way, switching the grid
between plan, actual, forecast and variance, and importing one month's ledger csv through the
app's own import (one logged, undoable operation).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
BOOK = HERE / "out" / "national.pcbook"
MONTHS_BOOK = HERE / "out" / "national-months.pcbook"


def report(name: str, seconds: float, target: str) -> None:
    print(f"{name:<52} {seconds * 1000:>9.1f} ms   target {target}")


def main() -> None:
    from pcbudget.book import open_book
    from pcbudget.engine import Model
    from pcbudget.engine.months import view_rows
    from pcbudget.io.actuals_ledger import import_ledger
    from pcbudget.io.budget_year import all_year_months
    from pcbudget.io.payments_actuals import import_payments_actuals

    if not BOOK.exists():
        from benchmarks.national_book import build

        BOOK.parent.mkdir(exist_ok=True)
        build(BOOK).close()
    shutil.copyfile(BOOK, MONTHS_BOOK)
    book = open_book(MONTHS_BOOK)
    model = Model(book)
    snap = model.snapshot
    practices = [o for o in snap.structure.orgs if o.kind == "practice"]
    lines = [ln for ln in snap.structure.lines if ln.level in ("practice", "any")]
    # The scale: every line coded to a practice (a ledger can code PCN money to the
    # practice that receives it), 6,500 x 30 x 12 = about 2.3 million monthly cells.
    coded = list(snap.structure.lines)
    rng = np.random.default_rng(3)
    rows = [
        (o.id, ln.id, 0, *(int(v) for v in rng.integers(1_000_00, 50_000_00, 12)), "bench")
        for o in practices
        for ln in coded
    ]
    with book.transaction():
        book.conn.executemany(f"INSERT INTO actuals VALUES ({', '.join('?' * 16)})", rows)
    print(
        f"{len(rows) * 12:,} monthly actuals for {len(practices):,} practices x {len(coded)} lines"
    )
    book.close()

    start = time.perf_counter()
    book = open_book(MONTHS_BOOK)
    model = Model(book)
    report(
        "open: book and plan (months are read when shown)", time.perf_counter() - start, "< 1000 ms"
    )
    start = time.perf_counter()
    months = all_year_months(book, model.results, 6)
    report(
        "  first month view: read the year (once per change)",
        time.perf_counter() - start,
        "(after this, switches reuse it)",
    )
    times = {}
    for view in ("actual", "forecast", "variance", "plan"):
        start = time.perf_counter()
        view_rows(model.results, 0, months, view)
        times[view] = time.perf_counter() - start
    report("switch view (slowest of actual/forecast/variance)", max(times.values()), "< 100 ms")
    start = time.perf_counter()
    all_year_months(book, model.results, 7)
    report("  re-read the year's months (new month cut-off)", time.perf_counter() - start, "")

    ledger = HERE / "out" / "ledger-m7.csv"
    with ledger.open("w", encoding="utf-8") as out:
        out.write("year,period,org,line,amount\n")
        year = snap.structure.years[0]
        for o in practices:
            for ln in lines:
                out.write(f"{year},M7,{o.code},{ln.code},{int(rng.integers(1000, 50000))}\n")
    start = time.perf_counter()
    done = import_ledger(book, ledger)
    report(
        f"import one month's ledger ({done.cells:,} cells, replacing M7)",
        time.perf_counter() - start,
        "none set (replaces M7 of all 30 lines: 195,000 rows rewritten and logged)",
    )
    payments = HERE / "out" / "nhspaymentsgp-19-20-csv.csv"
    from tests.io.payments_files import practice, write_payments

    first = snap.structure.years[0]
    write_payments(
        payments,
        "2019/20",
        [practice(o.code, "U00001", "A PCN") for o in practices[:7000]],
    )
    start = time.perf_counter()
    mapping = HERE / "out" / "payments-lines.csv"
    mapping.write_text("key,line\nglobal_sum,contract_0\npcn_participation,contract_1\n")
    paid = import_payments_actuals(book, payments, year=first, mapping=mapping)
    report(
        f"import a year of NHS Payments ({len(practices):,} practices, {paid.cells:,} cells)",
        time.perf_counter() - start,
        "< 5000 ms",
    )
    book.close()


if __name__ == "__main__":
    main()
