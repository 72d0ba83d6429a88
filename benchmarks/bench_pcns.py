"""A national PCN membership import, timed beside its target (not run in CI):

.venv/bin/python benchmarks/bench_pcns.py

6,500 practices from a 2025/26-style population file (no PCN codes, sub-ICB in CCG23), then their
membership of 1,250 PCNs from a payments file in the 2022/23 layout (PCN columns mislabelled).
The issue's target is the two together under 5 s.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

PRACTICES, PCNS, SUB_ICBS, ICBS = 6500, 1250, 106, 42


def report(name: str, seconds: float, target: str) -> None:
    print(f"{name:<52} {seconds:>8.2f} s    target {target}")


def population_file(path: Path) -> Path:
    """NHS England's 2025/26 weighted population layout: LOC22 empty, CCG23 the sub-ICB."""
    rng = random.Random(7)
    header = ["Practice_Code", "GP_Practice_Name", "CCG23", "PCN_Code", "PCN_Name", "LOC22"]
    header += ["ICB23", "ICB23name", "R23", "Region23", "pop 2025/26", "Final PMC WP"]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for i in range(PRACTICES):
            sub_icb = (i % PCNS) % SUB_ICBS
            icb = sub_icb % ICBS
            size = rng.uniform(2000, 20000)
            out.writerow(
                [
                    *(f"P{i:05d}", f"Practice {i}", f"L{sub_icb:03d}", "", "", ""),
                    *(f"Q{icb:02d}", f"ICB {icb}", f"Y{icb % 7}", f"Region {icb % 7}"),
                    *(round(size, 1), round(size * 1.05, 2)),
                ]
            )
    return path


def main() -> None:
    from pcbudget.io.nhs_populations import import_populations
    from pcbudget.io.pcn_membership import import_membership
    from pcbudget.io.rate_catalogue import new_blank_book
    from tests.io.payments_files import practice, write_payments

    folder = Path(tempfile.mkdtemp())
    pops = population_file(folder / "gp_wp_202526.csv")
    paid = write_payments(
        folder / "nhspaymentsgp-22-23-csv.csv",
        "2022/23",
        [
            practice(
                f"P{i:05d}", f"U{i % PCNS:05d}", f"PCN {i % PCNS}", f"L{i % PCNS % SUB_ICBS:03d}"
            )
            for i in range(PRACTICES)
        ],
    )
    book = new_blank_book(
        folder / "england.pcbook",
        years=["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"],
        name="England",
        root_code="ENG",
        root_name="England",
        rates="national",
    )
    start = time.perf_counter()
    populations = import_populations(book, pops)
    middle = time.perf_counter()
    membership = import_membership(book, paid)
    end = time.perf_counter()
    report("import a 6,500-practice population file", middle - start, "(part of 5 s)")
    print("   ", populations.lines()[1])
    report("import membership of 1,250 PCNs (payments file)", end - middle, "(part of 5 s)")
    print("   ", membership.lines()[1])
    report("the two together", end - start, "< 5 s")
    book.close()


if __name__ == "__main__":
    main()
