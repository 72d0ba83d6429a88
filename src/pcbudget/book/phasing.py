"""Month profiles: how a line's annual plan spreads over M1 (April) to M12 (March), and how its
forecast outturn is made (the rest of the year as phased, or the year-to-date run rate)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import BookError
from .operations import Change, Operation, Write, apply
from .store import Book
from .structure import load_structure

MONTHS = ("M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12")
MONTH_NAMES = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
PROFILES = ("even", "actuals")
METHODS = ("phased", "run_rate")
_PERIOD = re.compile(r"^\s*M?\s*(\d{1,2})\s*$", re.IGNORECASE)


def parse_period(text: object) -> int:
    """A financial month as 1-12 from 'M3', 'm3', '3' or 3 (M1 is April)."""
    match = _PERIOD.match(str(text))
    month = int(match.group(1)) if match else 0
    if not 1 <= month <= 12:
        raise BookError(f"'{text}' is not a month: use M1 (April) to M12 (March), or 1-12.")
    return month


def parse_profile(text: str) -> str:
    """'even', 'actuals' (last year's actual shape) or 12 weights, as stored text.

    Weights are typed or pasted as 12 numbers (commas, tabs or spaces), any scale: 1,1,1,...,2
    or 8.3%...; none may be negative and they may not all be nil.
    """
    raw = str(text).strip().lower()
    if raw in PROFILES:
        return raw
    parts = [p for p in re.split(r"[,\t; ]+", raw.replace("%", "")) if p]
    if len(parts) != 12:
        raise BookError(
            f"A month profile is 'even', 'actuals' or 12 weights, April to March; "
            f"'{text}' has {len(parts)}."
        )
    try:
        weights = [Decimal(p) for p in parts]
    except InvalidOperation:
        raise BookError(f"'{text}' is not 12 numbers.") from None
    if any(not w.is_finite() or w < 0 for w in weights) or sum(weights) == 0:
        raise BookError("Month weights must be numbers of nil or more, not all nil.")
    return ",".join(str(w) for w in weights)


def set_phasing(
    book: Book,
    line_code: str,
    year: str,
    profile: str | None,
    method: str = "phased",
    *,
    scenario: str | None = None,
    note: str | None = None,
) -> Change:
    """Set (or, with `profile` None, remove) a line's month profile and forecast method."""
    s = load_structure(book.conn)
    scen, line, y = s.scenario(scenario), s.line(line_code), s.year_index(year)
    if method not in METHODS:
        raise BookError(f"A forecast is 'phased' or 'run_rate', not '{method}'.")
    row = None if profile is None else (parse_profile(profile), method, note)
    label = f"{line.code} {s.years[y]}"
    write = Write("phasing", (line.id, y), label, row, scen.id)
    return apply(book, Operation(f"Phasing {label}", scen.name, scen.id, (write,)))


def load_phasing(book: Book, chain: list[int], y: int) -> dict[int, tuple[str, str]]:
    """Each line's (profile, method) in year index `y` for a scenario chain (nearest wins);
    lines not named are phased evenly."""
    rank = {sid: i for i, sid in enumerate(chain)}
    marks = ",".join("?" for _ in chain)
    rows = book.conn.execute(
        f"SELECT scenario_id, line_id, profile, method FROM phasing"
        f" WHERE year_idx = ? AND scenario_id IN ({marks})",
        (y, *chain),
    ).fetchall()
    rows.sort(key=lambda r: rank[r[0]])
    return {int(line_id): (str(profile), str(method)) for _, line_id, profile, method in rows}
