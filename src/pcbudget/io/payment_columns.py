"""The money columns of NHS England's *NHS Payments to General Practice*, as shipped, editable data.

`resources/nhs/payments_columns.csv` names each column a short key, who it is paid to (a
practice, or a PCN through its nominated practice) and a group, so importing actuals can map
columns to book lines and a new year's column is one row to add, not a code change.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .resources import resource

#: Where the shipped mapping lives, below `resources/`.
MAPPING = ("nhs", "payments_columns.csv")


def header_key(header: object) -> str:
    """A header as matched: lower case, BOM dropped, every run of other characters one space.

    So `"Deductions for Pensions\\n Levies ..."`, `"Deductions for Pensions, Levies ..."` and
    `"GLOBAL SUM (£)"` meet their mapping rows.
    """
    text = str(header or "").replace("\ufeff", "").lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class PaymentColumn:
    """One money column: its key, the header it is published under, who is paid and its group."""

    key: str
    header: str
    paid_to: str  # 'practice' or 'pcn' (paid to the PCN's nominated practice)
    group: str


def load_columns(path: str | Path | None = None) -> tuple[PaymentColumn, ...]:
    """The mapping rows, from `path` or the shipped file (one row per published header)."""
    source = Path(path) if path is not None else resource(*MAPPING)
    return _load(str(source))


@cache
def _load(source: str) -> tuple[PaymentColumn, ...]:
    with open(source, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        key, header = (row.get("key") or "").strip(), (row.get("header") or "").strip()
        if key and header:
            paid_to = (row.get("paid_to") or "practice").strip() or "practice"
            out.append(PaymentColumn(key, header, paid_to, (row.get("group") or "").strip()))
    return tuple(out)


def by_header(columns: tuple[PaymentColumn, ...]) -> dict[str, PaymentColumn]:
    """Mapping rows by their matched header key."""
    return {header_key(c.header): c for c in columns}


def slug(header: object) -> str:
    """A key for a money column the mapping does not name yet (its header, as_words_like_this)."""
    return header_key(header).replace(" ", "_") or "unnamed"
