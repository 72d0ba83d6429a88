"""Cell addresses and names for returns: A1 references, sheet names Excel accepts, text that
stays text, and how many lines wrapped text needs.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap

SHEET_NAME_MAX = 31  # Excel's limit


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
    """A unique sheet name Excel accepts (at most 31 characters, none of []:*?/\\).

    A long name is cut at a word with an ellipsis; if that clashes with a sheet already named,
    its end is kept too ('Left shift Outpatients…follow-up'), so two long scenario names that
    start alike still read apart on the tabs. Titles on the sheet keep the full name.
    """
    clean = re.sub(r"[\[\]:*?\\']", " ", text.replace("/", "-"))
    base = re.sub(r"\s+", " ", clean).strip() or "Sheet"
    seen = {t.lower() for t in taken}
    candidates = [base] if len(base) <= SHEET_NAME_MAX else []
    candidates += [_shortened(base, tail) for tail in (0, 1, 2)]
    name = next((c for c in candidates if c.lower() not in seen), None)
    n = 2
    while name is None:
        suffix = f" ({n})"
        numbered = _shortened(base, 0, SHEET_NAME_MAX - len(suffix)) + suffix
        name, n = (numbered if numbered.lower() not in seen else None), n + 1
    taken.add(name)
    return name


def _shortened(text: str, tail_words: int, limit: int = SHEET_NAME_MAX) -> str:
    """`text` in at most `limit` characters: its start to a word boundary, an ellipsis and its
    last `tail_words` words."""
    if len(text) <= limit:
        return text
    words = text.split(" ")
    tail = " ".join(words[len(words) - tail_words :]) if tail_words else ""
    room = limit - 1 - len(tail)
    if room < 4:
        tail, room = "", limit - 1
    head = text[:room]
    cut = head.rfind(" ")
    if text[room : room + 1] not in ("", " ") and cut >= room - 8:
        head = head[:cut]  # a whole word ('Outpatients', not 'Outpatien') unless it costs much
    return head.rstrip(" -") + "\u2026" + tail


#: Points per line of 11-point text; Excel's default row is 15.
LINE_HEIGHT = 15


@functools.lru_cache(maxsize=4096)  # the same labels recur on every organisation's rows
def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide.

    Neither Excel nor LibreOffice sizes a row to wrapped text written by XlsxWriter (nor ever
    a merged cell's), so a header or note row is given its height. A column's width counts
    digits; text runs about a tenth narrower and bold about as wide (measured in LibreOffice,
    which draws DejaVu where Calibri is missing), so this errs on the tall side.
    """
    per_line = max(1, math.floor(width * (0.95 if bold else 1.1)))
    return sum(
        max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=False)))
        for part in text.split("\n")
    )


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
