"""Amounts typed, pasted and copied in the unit the grid shows (£ or £k).

In £k view a finance lead reads 900.0 as £900,000, so a bare `900` typed or pasted there means
£900k, and Ctrl+C gives £k too; an explicit `k`, `m` or `bn` still means what it says.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..book.money import parse_money, pounds_text

_SCALED = re.compile(r"(k|m|bn)\s*\)?$", re.IGNORECASE)


def parse_amount(text: str, unit: str) -> int:
    """Typed or pasted text in the view's unit to pence (BookError, naming the text, if not)."""
    pence = parse_money(text)  # refuses bad text with the user's own words in the message
    raw = str(text).strip()
    if unit != "£k" or _SCALED.search(raw):
        return pence
    if raw.startswith("(") and raw.endswith(")"):
        return parse_money(f"({raw[1:-1].strip()}k)")
    return parse_money(raw + "k")


def amount_text(pence: int, unit: str) -> str:
    """Pence as a plain number in the view's unit, exact (for the editor and the clipboard)."""
    if unit != "£k":
        return pounds_text(pence)
    text = f"{Decimal(int(pence)) / 100_000:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def unit_hint(unit: str) -> str:
    """What a bare number means in this view, for the status bar."""
    if unit == "£k":
        return "Amounts in £k: type 900 for £900,000 (or 900k, £1.2m)."
    return "Amounts in £: type 900 for £900 (or 900k for £900,000, £1.2m)."
