"""Cell addresses and names for returns: A1 references, sheet names Excel accepts, text that
stays text.
"""

from __future__ import annotations

import re

#: Text starting with these would be run as a formula by Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def col_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell(row: int, col: int, *, absolute: bool = False) -> str:
    """Zero-based row and column to an A1 reference."""
    mark = "$" if absolute else ""
    return f"{mark}{col_letter(col)}{mark}{row + 1}"


def area(top: int, left: int, bottom: int, right: int, *, absolute: bool = False) -> str:
    """A rectangle as 'A1:B2' (zero-based corners)."""
    return f"{cell(top, left, absolute=absolute)}:{cell(bottom, right, absolute=absolute)}"


def sheet_name(text: str, taken: set[str]) -> str:
    """A unique sheet name of at most 31 characters without []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\']", " ", text).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def defined_name(text: str) -> str:
    """A workbook-level name Excel accepts (letters, digits, underscores; not a cell address)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return (
        ("n_" + name)
        if not re.match(r"^[A-Za-z_]", name) or re.match(r"^[A-Za-z]{1,3}\d", name)
        else name
    )


def safe_text(text: str | None) -> str:
    """Book text written as text: a leading apostrophe-free guard that Excel will not evaluate.

    XlsxWriter's write_string never makes formulas; this only strips control characters Excel
    rejects, so a name like '=HYPERLINK(...)' arrives as visible text.
    """
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text or "")
