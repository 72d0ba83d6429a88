"""Engine timings at national scale, each printed beside its target (run by `make bench`).

The book is built once into benchmarks/out/; the measurements run in a fresh process so its
peak memory is the engine's, not the builder's.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
BOOK = HERE / "out" / "national.pcbook"


def timed(fn, repeat: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Median seconds of `repeat` runs (and the last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    timed.fastest = min(times)  # type: ignore[attr-defined]
    return statistics.median(times), result


def report(name: str, seconds: float, target: str) -> None:
    print(f"{name:<44} {seconds * 1000:>9.1f} ms   target {target}")


def measure() -> None:
    from pcbudget.book import open_book, set_amount
    from pcbudget.engine import Model, compute, load_snapshot, recompute

    t_open, book = timed(lambda: open_book(BOOK))
    t_snap, snap = timed(lambda: load_snapshot(book.conn))
    t_first, _ = timed(lambda: compute(snap))
    o, n_line, n_year = snap.shape
    print(
        f"national book: {o:,} organisations x {n_line} lines x {n_year} years "
        f"= {o * n_line * n_year:,} cells; {BOOK.stat().st_size / 1e6:.1f} MB on disk"
    )
    report("load (open + snapshot + first calculation)", t_open + t_snap + t_first, "< 1000 ms")
    report("  of which reading the snapshot", t_snap, "")
    res = compute(snap)
    t_full, _ = timed(lambda: recompute(res), repeat=25)
    report("full recalculation (in place), median", t_full, "< 50 ms")
    report("  fastest of 25", timed.fastest, "< 50 ms")  # type: ignore[attr-defined]
    t_fresh, _ = timed(lambda: compute(snap), repeat=10)
    report("  into newly allocated arrays", t_fresh, "")

    rate = np.ones((n_line, n_year)) * 1.761
    pop = np.random.default_rng(1).uniform(1000, 20000, (o, n_line, n_year))
    t_bare, _ = timed(lambda: (rate[None] * pop).sum(axis=0), repeat=15)
    print(
        f"{'bare numpy multiply-and-sum, same cells':<44} {t_bare * 1000:>9.1f} ms   "
        f"(full recalculation is {t_full / t_bare:.1f}x it)"
    )

    model = Model(book)
    model.snapshot, model.results = snap, res
    years = snap.structure.years
    edits: list[float] = []
    recalcs: list[float] = []
    for i in range(20):
        start = time.perf_counter()
        change = set_amount(book, f"P{i:05d}", "contract_3", years[1], 1_000_000 + i)
        mid = time.perf_counter()
        model.apply(change)
        end = time.perf_counter()
        edits.append(end - start)
        recalcs.append(end - mid)
    report("recalculation after one edit", statistics.median(recalcs), "< 20 ms")
    report("one edit: write + log + recalculation", statistics.median(edits), "(full disk sync)")
    from pcbudget.book import set_population

    change = set_population(book, "P00042", "weighted", years[0], 5000.0)
    t_pop, _ = timed(lambda: model.apply(change))
    report("recalculation after a population edit", t_pop, "(every per-head line)")
    book.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<44} {peak:>9.0f} MB   target < 500 MB")


def main() -> None:
    if "--measure" in sys.argv:
        measure()
        return
    if not BOOK.exists():
        from benchmarks.national_book import build

        BOOK.parent.mkdir(exist_ok=True)
        t, book = timed(lambda: build(BOOK))
        book.close()  # type: ignore[attr-defined]
        print(f"built {BOOK.name} in {t:.1f} s")
    subprocess.run([sys.executable, __file__, "--measure"], check=True)


if __name__ == "__main__":
    main()
