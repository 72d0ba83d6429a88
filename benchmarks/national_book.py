"""A synthetic national book: 42 ICBs, 106 places, about 1,250 PCNs and 6,500 practices,
30 budget lines over 5 years, built through the app's own creation code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pcbudget.book import Book, NewLine, NewOrg, create_book
from pcbudget.book.create import add_lines, add_orgs, ids, insert_rows
from pcbudget.book.years import year_run

N_ICB, N_PLACE, N_PCN, N_PRACTICE, N_YEARS = 42, 106, 1250, 6500, 5


def _lines() -> list[NewLine]:
    lines = [NewLine("reserve_qipp", "co_commissioning", "Reserve/QIPP", "CC", "place", "balance")]
    for i in range(12):
        lines.append(
            NewLine(
                f"contract_{i}",
                "co_commissioning",
                f"Contract line {i}",
                "CC",
                "practice",
                "uplift",
            )
        )
    for i, measure in enumerate(["weighted", "registered", "adjusted"] * 3):
        lines.append(NewLine(f"pcn_{i}", "pcn", f"PCN line {i}", "CC", "pcn", "per_head", measure))
    for i in range(4):
        lines.append(
            NewLine(
                f"practice_head_{i}",
                "gpfv",
                f"Per-head line {i}",
                "PC",
                "practice",
                "per_head",
                "registered",
            )
        )
    for i in range(4):
        lines.append(
            NewLine(f"other_{i}", "other_primary_care", f"Other line {i}", "PC", "place", "entered")
        )
    return lines  # 30


def build(path: Path, seed: int = 7) -> Book:
    rng = np.random.default_rng(seed)
    years = year_run("2024/25", N_YEARS)

    def fill(book: Book) -> str:
        icbs = [NewOrg(f"ICB{i:02d}", f"ICB {i}", "icb", "ENG") for i in range(N_ICB)]
        places = [
            NewOrg(f"PL{i:03d}", f"Place {i}", "place", f"ICB{i % N_ICB:02d}")
            for i in range(N_PLACE)
        ]
        pcns = [
            NewOrg(f"PCN{i:04d}", f"PCN {i}", "pcn", f"PL{i % N_PLACE:03d}") for i in range(N_PCN)
        ]
        practices = [
            NewOrg(f"P{i:05d}", f"Practice {i}", "practice", f"PCN{i % N_PCN:04d}")
            for i in range(N_PRACTICE)
        ]
        add_orgs(book, icbs + places + pcns + practices)
        add_lines(book, _lines())
        org_id, line_id = ids(book, "orgs"), ids(book, "lines")
        sizes = rng.integers(2_000, 20_000, N_PRACTICE)
        pops = []
        for i, size in enumerate(sizes):
            oid = org_id[f"P{i:05d}"]
            pops += [
                (oid, "registered", 0, float(size), None),
                (oid, "weighted", 0, float(size) * rng.uniform(0.8, 1.2), None),
                (oid, "adjusted", 0, float(size) * rng.uniform(0.9, 1.1), None),
            ]
        insert_rows(book, "populations", ("org_id", "measure", "year_idx", "value", "note"), pops)
        insert_rows(
            book,
            "growth",
            ("org_id", "measure", "pct", "note"),
            [(0, m, "0.012", None) for m in ("registered", "weighted", "adjusted")],
        )
        rates = [
            (line_id[ln.code], y, f"{rng.uniform(0.5, 25):.3f}", 12.0, "synthetic", "confirmed")
            for ln in _lines()
            if ln.basis == "per_head"
            for y in range(N_YEARS)
        ]
        insert_rows(
            book, "rates", ("line_id", "year_idx", "rate", "months", "source", "confidence"), rates
        )
        uplifts = [
            (line_id[ln.code], y, "0.03", None)
            for ln in _lines()
            if ln.basis == "uplift"
            for y in range(1, N_YEARS)
        ]
        insert_rows(book, "uplifts", ("line_id", "year_idx", "pct", "note"), uplifts)
        amounts = [
            (
                org_id[f"P{i:05d}"],
                line_id[f"contract_{k}"],
                0,
                int(sizes[i] * rng.uniform(5, 100) * 100),
                None,
            )
            for i in range(N_PRACTICE)
            for k in range(12)
        ]
        amounts += [
            (org_id[f"PL{p:03d}"], line_id[f"other_{k}"], y, int(rng.uniform(1e5, 1e6) * 100), None)
            for p in range(N_PLACE)
            for k in range(4)
            for y in range(N_YEARS)
        ]
        insert_rows(book, "amounts", ("org_id", "line_id", "year_idx", "pence", "note"), amounts)
        allocs = [
            (org_id[f"PL{p:03d}"], "CC", y, int(rng.uniform(4e7, 6e7) * 100 * 1.05**y), None)
            for p in range(N_PLACE)
            for y in range(N_YEARS)
        ]
        insert_rows(
            book, "allocations", ("org_id", "budget_type", "year_idx", "pence", "note"), allocs
        )
        return "synthetic national benchmark book"

    return create_book(
        path,
        years=years,
        name="National benchmark",
        root=NewOrg("ENG", "England", "nation", None),
        fill=fill,
    )
