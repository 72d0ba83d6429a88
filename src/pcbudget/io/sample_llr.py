"""Builds the LLR 2019/20-2023/24 sample book from its reviewable text source.

The source (`resources/samples/llr-2019-24.toml`) holds the published tables; this module adds
the stated assumptions the strategy leaves open (CCG shares of LLR lines, years after 2019/20)
and notes every derived value with how it was derived, so nothing is silently guessed.
"""

from __future__ import annotations

import os
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np

from ..book.create import NewLine, NewOrg, add_lines, add_orgs, create_book, ids, insert_rows
from ..book.errors import BookError
from ..book.store import Book
from ..book.years import year_run
from .apportion import apportion, fit_table
from .resources import resource

SOURCE = ("samples", "llr-2019-24.toml")
PCN_CC_LINES = ("pcn_participation", "arrs", "clinical_director", "extended_hours")
#: Table 5 lines paid per weighted patient: split to CCGs by weighted, not registered, share.
WEIGHTED_LINES = ("pcn_participation", "arrs")
#: Improved access (Table 5) takes over the GP Forward View access money from this year.
IMPROVED_ACCESS_FROM = "2021/22"
#: Table 4 rows that are lines of their own, entered for 2019/20 and uplifted after.
TABLE4_LINES = (
    "core_contract",
    "dispensing_prescribing",
    "enhanced_services",
    "qof",
    "premises",
    "other_gp_services",
    "community_based_services",
    "gp_incentives",
    "out_of_hours",
    "prescribing",
)


def load_source() -> dict[str, Any]:
    with resource(*SOURCE).open("rb") as handle:
        return tomllib.load(handle)


def _fill(book: Book, src: dict[str, Any], years: list[str]) -> str:
    t4, t5, t6, t7, asm = (
        src["table4"],
        src["table5"],
        src["table6"],
        src["table7"],
        src["assumptions"],
    )
    ccgs: list[str] = t4["columns"]
    _root, *ccg_orgs = src["org"]
    pcns = src["pcns"]["rows"]
    add_orgs(
        book,
        [
            NewOrg(
                o["code"],
                o["name"],
                o["kind"],
                o.get("parent"),
                o.get("note"),
                tuple(o.get("ods", ())),
            )
            for o in ccg_orgs
        ],
    )
    pcn_notes = src["pcns"].get("pcn_notes", {})
    add_orgs(book, [NewOrg(c, n, "pcn", ccg, pcn_notes.get(c)) for c, ccg, n, _ in pcns])
    add_lines(
        book,
        [
            NewLine(c, sec, n, t, "ccg", basis, m or None)
            for c, sec, n, t, basis, m in src["budget"]["lines"]
        ],
    )
    org_id, line_id = ids(book, "orgs"), ids(book, "lines")
    n_years = len(years)

    # Populations: PCN lists for 2019/20; CCG weighted implied by Table 5; growth book-wide.
    list_note = f"Appendix 3 list size at {src['pcns']['list_date']}."
    insert_rows(
        book,
        "populations",
        ("org_id", "measure", "year_idx", "value", "note"),
        [(org_id[c], "registered", 0, float(size), list_note) for c, _, _, size in pcns],
    )
    registered = np.array([sum(p[3] for p in pcns if p[1] == ccg) for ccg in ccgs], dtype=float)
    weighted_llr = (
        Decimal(t5["pcn_participation"][0]) / Decimal(src["rates"]["pcn_participation"][0][0])
    ).to_integral_value(ROUND_HALF_UP)
    weighted = apportion(int(weighted_llr), registered)
    weighted_share = np.array(weighted, dtype=float)
    insert_rows(
        book,
        "populations",
        ("org_id", "measure", "year_idx", "value", "note"),
        [
            (org_id[c], "weighted", 0, float(w), asm["weighted_note"])
            for c, w in zip(ccgs, weighted, strict=True)
        ],
    )
    insert_rows(
        book,
        "growth",
        ("org_id", "measure", "pct", "note"),
        [(0, m, asm["growth"], asm["growth_note"]) for m in ("registered", "weighted")],
    )

    # Allocations: 2019/20 published per CCG; later years Table 7 split by 2019/20 shares.
    alloc0 = t4["total_co_commissioning"]
    if sum(alloc0) != t7["allocation_k"][0] * 1000:
        raise BookError("Table 4 and Table 7 disagree on the 2019/20 allocation.")
    alloc_rows = [
        (org_id[c], "CC", 0, a * 100, "Table 4 Total Co Commissioning 2019/20 (published).")
        for c, a in zip(ccgs, alloc0, strict=True)
    ]
    for y in range(1, n_years):
        split = apportion(t7["allocation_k"][y], alloc0)
        alloc_rows += [
            (org_id[c], "CC", y, k * 1000 * 100, asm["allocation_note"])
            for c, k in zip(ccgs, split, strict=True)
        ]
    insert_rows(
        book, "allocations", ("org_id", "budget_type", "year_idx", "pence", "note"), alloc_rows
    )

    # Uplift lines grow with the LLR allocation (Table 7).
    growth = [
        str(
            (Decimal(t7["allocation_k"][y]) / Decimal(t7["allocation_k"][y - 1]) - 1).quantize(
                Decimal("1e-10")
            )
        )
        for y in range(1, n_years)
    ]
    uplift_lines = [code for code, _, _, _, basis, _ in src["budget"]["lines"] if basis == "uplift"]
    contract = set(asm["contract_lines"])
    insert_rows(
        book,
        "uplifts",
        ("line_id", "year_idx", "pct", "note"),
        [
            (line_id[ln], y, growth[y - 1], asm["uplift_note"])
            for ln in uplift_lines
            if ln not in contract
            for y in range(1, n_years)
        ]
        + [
            (line_id[ln], y, *_contract_growth(asm, y))
            for ln in uplift_lines
            if ln in contract
            for y in range(1, n_years)
        ],
    )

    amounts: list[tuple[int, int, int, int, str]] = []

    def put(line: str, ccg: str, y: int, pounds: int, note: str) -> None:
        amounts.append((org_id[ccg], line_id[line], y, int(pounds) * 100, note))

    # Table 5: CC lines in 2019/20 fitted to Table 4's PCN row; everything else by list share.
    seed = np.outer([t5[ln][0] for ln in PCN_CC_LINES], registered / registered.sum())
    fitted = fit_table([t5[ln][0] for ln in PCN_CC_LINES], t4["pcn"], seed)
    for i, ln in enumerate(PCN_CC_LINES):
        for j, ccg in enumerate(ccgs):
            put(ln, ccg, 0, fitted[i, j], f"{asm['pcn_split_note']} LLR £{t5[ln][0]:,}.")
    core_pcn0 = apportion(t5["core_pcn"][0], registered)
    for ln, values in t5.items():
        for y, total in enumerate(values):
            if y == 0 and ln in PCN_CC_LINES:
                continue
            share, note = (
                (weighted_share, asm["weighted_share_note"])
                if ln in WEIGHTED_LINES
                else (registered, asm["share_note"])
            )
            split = core_pcn0 if (ln, y) == ("core_pcn", 0) else apportion(total, share)
            for ccg, part in zip(ccgs, split, strict=True):
                put(ln, ccg, y, part, f"Table 5 LLR £{total:,}: {note}")

    # Table 6 lines for 2019/20 and 2020/21; nil after the programme.
    gpfv0 = np.zeros(len(ccgs), dtype=np.int64)
    for ln, values in t6.items():
        for y in range(n_years):
            if y < len(values):
                split = apportion(values[y], registered)
                note = f"Table 6 LLR £{values[y]:,}: {asm['share_note']}"
            else:
                split, note = [0] * len(ccgs), asm["gpfv_end_note"]
            if y == 0:
                gpfv0 += np.array(split)
            for ccg, part in zip(ccgs, split, strict=True):
                put(ln, ccg, y, part, note)

    # Table 4 lines for 2019/20; two of them net of what is shown on its own line.
    for j, ccg in enumerate(ccgs):
        for ln in TABLE4_LINES:
            put(ln, ccg, 0, t4[ln][j], "Table 4 (2019/20, published).")
        put(
            "gp_forward_view",
            ccg,
            0,
            t4["gp_forward_view"][j] - int(gpfv0[j]),
            f"{asm['gpfv_note']} Published £{t4['gp_forward_view'][j]:,}.",
        )
        put(
            "other_primary_care",
            ccg,
            0,
            t4["other_primary_care"][j] - core_pcn0[j],
            f"{asm['core_pcn_note']} Published £{t4['other_primary_care'][j]:,}.",
        )
        # The GPFV access money (£6 a head) becomes the Improved Access line from 2021/22:
        # carrying it on as well would count it twice.
        put("gp_forward_view", ccg, years.index(IMPROVED_ACCESS_FROM), 0, asm["gpfv_access_note"])
        # The balancing line must come out at the published Reserve/QIPP.
        others = sum(t4[ln][j] for ln in TABLE4_LINES[:6]) + t4["pcn"][j]
        if alloc0[j] - others != t4["reserve_qipp"][j]:
            raise BookError(f"Table 4 does not balance for {ccg}.")
    insert_rows(book, "amounts", ("org_id", "line_id", "year_idx", "pence", "note"), amounts)

    rate_rows = []
    source_note = " ".join(src["rates"]["rate_sources"])
    for ln, per_year in src["rates"].items():
        if ln == "rate_sources":
            continue
        for y, (rate, months) in enumerate(per_year):
            rate_rows.append((line_id[ln], y, rate, float(months), source_note, "published"))
    insert_rows(
        book, "rates", ("line_id", "year_idx", "rate", "months", "source", "confidence"), rate_rows
    )
    book.conn.execute(  # Tables 4-7 stay beside the book's figures (Reconciliation)
        "INSERT INTO meta (key, value) VALUES ('published_figures', 'llr-2019-24')"
    )
    _add_scenarios(book, src.get("scenario", []), org_id)
    return f"LLR sample built from resources/{'/'.join(SOURCE)}"


def _note_for(key: str, notes: dict[str, str]) -> str | None:
    """A parameter's note: by its field ('op_first.reduction' -> 'reduction') or its head."""
    head, _, tail = key.partition(".")
    return notes.get(tail) or notes.get(head) or notes.get(key)


def _add_scenarios(book: Book, scenarios: list[dict[str, Any]], org_id: dict[str, int]) -> None:
    """The sample's left-shift scenarios, each parameter validated and noted."""
    from ..book.leftshift_params import ensure_line, normalise
    from ..book.structure import load_structure

    if not scenarios:
        return
    s = load_structure(book.conn)
    ensure_line(book, s)
    for scen in scenarios:
        cur = book.conn.execute(
            "INSERT INTO scenarios (name, parent_id, description) VALUES (?, 0, ?)",
            (scen["name"], scen["description"]),
        )
        rows = []
        for key, value in scen["parameters"].items():
            canonical, text = normalise(key, value, s)
            rows.append(
                (
                    cur.lastrowid,
                    org_id[scen["org"]],
                    canonical,
                    text,
                    _note_for(key, scen.get("notes", {})),
                )
            )
        book.conn.executemany("INSERT INTO leftshift VALUES (?,?,?,?,?)", rows)


def build_llr(path: str | os.PathLike[str], *, shipped: bool = False) -> Book:
    """Create the LLR sample book at `path` and return it open.

    `shipped` builds the book shipped with the app, byte for byte the same everywhere, so with
    no identity of its own; any other build, and every copy the app makes, gets its own.
    """
    src = load_source()
    meta = src["book"]
    years = year_run(meta["first_year"], meta["years"])
    root = src["org"][0]
    return create_book(
        Path(path),
        years=years,
        name=meta["name"],
        root=NewOrg(root["code"], root["name"], root["kind"], None, root.get("note")),
        fill=lambda book: _fill(book, src, years),
        created_at=meta["created_at"],
        identity=not shipped,
    )


def _contract_growth(asm: dict[str, Any], y: int) -> tuple[str, str]:
    """A practice contract line's growth into year `y`: list growth and the contract uplift,
    compounded, with a note stating both."""
    lists, uplift = Decimal(asm["growth"]), Decimal(asm["contract_uplift"][y - 1])
    pct = (1 + lists) * (1 + uplift) - 1
    note = (
        f"{pct * 100:.2f}% = list growth {lists * 100:.2f}% and contract uplift"
        f" {uplift * 100:.1f}%. {asm['contract_uplift_note']}"
    )
    return str(pct), note
