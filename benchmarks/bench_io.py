"""Excel and population file timings at national scale, beside their targets (`make bench`)."""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
BOOK = HERE / "out" / "national.pcbook"


def report(name: str, seconds: float, target: float | None = None, note: str = "") -> None:
    """One timing, beside its target and its ratio to it (under 1.00x meets the target)."""
    against = f"target < {target:g} s   {seconds / target:5.2f}x" if target else note
    print(f"{name:<52} {seconds:>8.2f} s    {against}")


#: The first words of each export progress message, and what the time to the next one went on.
STAGES = {
    "Computing": "compute the scenarios",
    "Writing": "the budget sheets",
    "Writing PCN": "the PCN DES and GPFV sheets",
    "Writing assumptions": "assumptions, about and the map",
    "Saving": "save (XlsxWriter's sheet XML, and the zip)",
}


class Phases:
    """The time between an export's progress messages: which part of the return costs what."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._at = time.perf_counter()
        self._stage = ""

    def step(self, _fraction: float, message: str) -> None:
        now = time.perf_counter()
        if self._stage:
            self.times[self._stage] = self.times.get(self._stage, 0.0) + now - self._at
        words = message.split(" ")
        two = " ".join(words[:2])
        self._stage = two if two in STAGES else words[0]
        self._at = now

    def print(self) -> None:
        for stage, seconds in self.times.items():
            print(f"      {STAGES.get(stage, stage):<46} {seconds:>8.2f} s")


def national_population_file(path: Path, practices: int = 6500) -> Path:
    """A year-suffixed NHS England style file: 42 ICBs, 106 places, 1,250 PCNs."""
    rng = random.Random(3)
    header = [
        "Practice_Code",
        "GP_Practice_Name",
        "CCG23",
        "PCN_Code",
        "PCN_Name",
        "LOC22",
        "LOC22name",
        "ICB23",
        "ICB23name",
        "R23",
        "Region23",
        "Patients",
        "pop 2024/25",
        "Final WP ",
        "Final PMC WP",
    ]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for i in range(practices):
            pcn = i % 1250
            place = pcn % 106
            icb = place % 42
            size = rng.uniform(2000, 20000)
            out.writerow(
                [
                    f"P{i:05d}",
                    f"Practice {i}",
                    f"L{place:03d}",
                    f"U{pcn:05d}",
                    f"PCN {pcn}",
                    f"L{place:03d}",
                    f"Place {place}",
                    f"Q{icb:02d}",
                    f"ICB {icb}",
                    f"Y{icb % 7}",
                    f"Region {icb % 7}",
                    round(size),
                    round(size * 1.01, 2),
                    0,
                    round(size * 1.05, 2),
                ]
            )
    return path


def main() -> None:
    from pcbudget.book import open_book
    from pcbudget.io.excel_return import export_return
    from pcbudget.io.nhs_populations import import_populations
    from pcbudget.io.rate_catalogue import new_blank_book
    from pcbudget.io.recalc_check import recalculate, soffice

    folder = Path(tempfile.mkdtemp())
    pops = national_population_file(folder / "gp_wp_202425.csv")
    book = new_blank_book(
        folder / "england.pcbook",
        years=["2024/25", "2025/26", "2026/27", "2027/28", "2028/29"],
        name="England",
        root_code="ENG",
        root_name="England",
        rates="national",
    )
    start = time.perf_counter()
    result = import_populations(book, pops)
    report("import a 6,500-practice population file", time.perf_counter() - start, 5)
    print("   ", result.lines()[1])
    book.close()

    if not BOOK.exists():
        from benchmarks.national_book import build

        BOOK.parent.mkdir(exist_ok=True)
        build(BOOK).close()
    book = open_book(BOOK, write=False)
    out = folder / "national.xlsx"
    phases = Phases()
    start, cpu = time.perf_counter(), time.process_time()
    done = export_return(book, out, progress=phases.step)
    report("export the national book's return", time.perf_counter() - start, 10)  # issue 9
    print(f"      {'of which this process ran (CPU time)':<46} {time.process_time() - cpu:>8.2f} s")
    phases.print()
    print(
        f"    {len(done.sheets)} sheets, {done.input_cells:,} input cells, "
        f"{done.formulas:,} formulas, {out.stat().st_size / 1e6:.1f} MB"
    )
    from pcbudget.io.return_import import read_return

    start = time.perf_counter()
    read_return(book, out)
    report("read the national return back (no edits)", time.perf_counter() - start, 10)
    book.close()
    if soffice():
        _, seconds = recalculate(out, folder)
        report("LibreOffice opens, recalculates and saves it", seconds, note="(for comparison)")
    else:
        print("LibreOffice is not installed: its time is not measured")


if __name__ == "__main__":
    main()
