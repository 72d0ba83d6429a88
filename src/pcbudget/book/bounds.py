"""The one set of bounds every number and name entering a book must meet, typed, imported or
stored.

An infinite, 1e308 or NaN population from a file once wrapped the totals to
-£92,233,720,368,547,758.08, and a 1,000,000-character line name made the app use 15 GB and
crash. Typing, every importer and `pcbudget check` use these bounds, so a figure or name refused
at a cell is refused from a file too, and one already stored is named.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import BookError

#: £1 trillion in pence: larger amounts are surely a slip (the whole NHS budget is under £200bn).
MAX_PENCE = 10**14


@dataclass(frozen=True)
class Bound:
    """The range a kind of figure must lie in, and how to say it to a user."""

    what: str
    low: Decimal
    high: Decimal
    range_text: str

    def number(self, value: object, where: str) -> Decimal:
        """`value` (a number or its text) as a Decimal in range; BookError naming `where`."""
        try:
            return self._number(value)
        except BookError as exc:
            raise BookError(f"{where}: {exc}" if where else str(exc)) from None

    def _number(self, value: object) -> Decimal:
        if isinstance(value, bool):
            raise BookError(f"{value} is not a number for {self.what}.")
        try:
            text = value if isinstance(value, Decimal) else str(value).strip().replace(",", "")
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise BookError(f"{_short(value)} is not a number for {self.what}.") from None
        if not number.is_finite():
            raise BookError(f"{_short(value)} is not a number for {self.what}.")
        if number < 0 <= self.low:
            raise BookError(f"{_short(value)} is negative, and {self.what} cannot be.")
        if not self.low <= number <= self.high:
            raise BookError(f"{_short(value)} is out of range for {self.what} ({self.range_text}).")
        return number

    def holds(self, value: object) -> bool:
        """Whether `value` would pass `number`."""
        try:
            self.number(value, "")
        except BookError:
            return False
        return True


AMOUNT = Bound("an amount", Decimal(-MAX_PENCE), Decimal(MAX_PENCE), "up to £1 trillion either way")
POPULATION = Bound("a population", Decimal(0), Decimal(10**9), "0 to 1,000,000,000 people")
RATE = Bound("a rate a head", Decimal(0), Decimal(100_000), "£0 to £100,000 a head")
SHARE = Bound("a share of the allocation", Decimal(0), Decimal(1), "0% to 100%")
MONTHS = Bound("months in the year", Decimal(0), Decimal(12), "0 to 12")
UPLIFT = Bound("an uplift", Decimal("-0.99"), Decimal(10), "-99% to +1,000%")
GROWTH = Bound("population growth a year", Decimal("-0.5"), Decimal(1), "-50% to +100%")


def _short(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


#: The longest name an organisation, line, scenario, version or book may have (NHS England's
#: longest practice and PCN names are under 100 characters).
MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def name_text(value: object, what: str) -> str:
    """`value` as a name a book may store (trimmed, not blank, at most MAX_NAME characters, no
    control characters); BookError saying which rule, about `what` ("A81001", "The book")."""
    name = str(value if value is not None else "").strip()
    if not name:
        raise BookError(f"{what} needs a name.")
    name_length(name, what)
    if _CONTROL.search(name):
        raise BookError(f"{what}'s name holds a control character: type it again as plain text.")
    return name


def name_length(value: object, what: str) -> None:
    """BookError if `value` is longer than a name may be (the check every stored name meets)."""
    if isinstance(value, str) and len(value) > MAX_NAME:
        raise BookError(f"{what}'s name is {len(value):,} characters; the most is {MAX_NAME}.")


#: Tables holding names, the words for one of their rows, and the SQL naming it.
_NAMED = (
    ("organisation", "SELECT code, length(name) FROM orgs WHERE length(name) > ?"),
    ("line", "SELECT code, length(name) FROM lines WHERE length(name) > ?"),
    ("scenario", "SELECT id, length(name) FROM scenarios WHERE length(name) > ?"),
    ("version", "SELECT id, length(name) FROM versions WHERE length(name) > ?"),
    ("book", "SELECT 'meta', length(value) FROM meta WHERE key = 'name' AND length(value) > ?"),
)


def name_faults(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """Stored names longer than the bound (written by another program or an older release)."""
    faults: list[str] = []
    for what, sql in _NAMED:
        for key, length in conn.execute(sql + " LIMIT ?", (MAX_NAME, limit)):
            place = "the book" if what == "book" else f"{what} {key}"
            faults.append(f"{place}: its name is {length:,} characters; the most is {MAX_NAME}")
    return faults[:limit]


#: The same bound in pounds, for figures read from files and workbooks (money.to_pence).
AMOUNT_POUNDS = Bound(AMOUNT.what, AMOUNT.low / 100, AMOUNT.high / 100, AMOUNT.range_text)


# Numeric columns, the SQL naming each stored row, and the bound its column must meet. Integer
# and real columns are checked in SQL (a national book has a million amounts); decimal text in
# Python. A row with an unknown scenario, organisation, line or year is named by its ids.
_WHERE = {
    "amounts": (
        "SELECT coalesce(s.name, t.scenario_id), coalesce(o.code, t.org_id),"
        " coalesce(l.code, t.line_id), coalesce(y.label, t.year_idx), {col} FROM amounts t"
        " LEFT JOIN scenarios s ON s.id = t.scenario_id LEFT JOIN orgs o ON o.id = t.org_id"
        " LEFT JOIN lines l ON l.id = t.line_id LEFT JOIN years y ON y.idx = t.year_idx"
    ),
    "allocations": (
        "SELECT coalesce(s.name, t.scenario_id), coalesce(o.code, t.org_id), t.budget_type,"
        " coalesce(y.label, t.year_idx), {col} FROM allocations t"
        " LEFT JOIN scenarios s ON s.id = t.scenario_id LEFT JOIN orgs o ON o.id = t.org_id"
        " LEFT JOIN years y ON y.idx = t.year_idx"
    ),
    "populations": (
        "SELECT coalesce(s.name, t.scenario_id), coalesce(o.code, t.org_id), t.measure,"
        " coalesce(y.label, t.year_idx), {col} FROM populations t"
        " LEFT JOIN scenarios s ON s.id = t.scenario_id LEFT JOIN orgs o ON o.id = t.org_id"
        " LEFT JOIN years y ON y.idx = t.year_idx"
    ),
    "rates": (
        "SELECT coalesce(s.name, t.scenario_id), coalesce(l.code, t.line_id),"
        " coalesce(y.label, t.year_idx), {col} FROM rates t"
        " LEFT JOIN scenarios s ON s.id = t.scenario_id LEFT JOIN lines l ON l.id = t.line_id"
        " LEFT JOIN years y ON y.idx = t.year_idx"
    ),
    "uplifts": (
        "SELECT coalesce(s.name, t.scenario_id), coalesce(l.code, t.line_id),"
        " coalesce(y.label, t.year_idx), {col} FROM uplifts t"
        " LEFT JOIN scenarios s ON s.id = t.scenario_id LEFT JOIN lines l ON l.id = t.line_id"
        " LEFT JOIN years y ON y.idx = t.year_idx"
    ),
    "growth": (
        "SELECT coalesce(s.name, t.scenario_id), CASE t.org_id WHEN 0 THEN 'book-wide'"
        " ELSE coalesce(o.code, t.org_id) END, t.measure, {col} FROM growth t"
        " LEFT JOIN scenarios s ON s.id = t.scenario_id LEFT JOIN orgs o ON o.id = t.org_id"
    ),
}
_IN_SQL = (  # table, column, bound, SQLite types the column may hold
    ("amounts", "pence", AMOUNT, ("integer",)),
    ("allocations", "pence", AMOUNT, ("integer",)),
    ("populations", "value", POPULATION, ("integer", "real")),
    ("rates", "months", MONTHS, ("integer", "real")),
)
_IN_TEXT = (("rates", "rate", RATE), ("uplifts", "pct", UPLIFT), ("growth", "pct", GROWTH))


def _why(bound: Bound, value: object, types: tuple[str, ...]) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return "which is not a number"
    try:
        number = Decimal(value.strip() if isinstance(value, str) else repr(value))
    except InvalidOperation:
        return "which is not a number"
    if number.is_nan():
        return "which is not a number"
    if not isinstance(value, str) and types == ("integer",) and bound.holds(value):
        return "which is not a whole number of pence"
    return f"which is out of range for {bound.what} ({bound.range_text})"


def _fault(table: str, column: str, bound: Bound, row: tuple, types: tuple[str, ...] = ()) -> str:
    *key, value = row
    scenario, *rest = (str(k) for k in key)
    place = " ".join(rest)
    why = _why(bound, value, types)
    return f"{table} row {place} ({scenario}): {column} is {_short(value)}, {why}"


def stored_faults(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """Stored figures that are text where a number belongs, or out of range, each named."""
    faults: list[str] = []
    for table, column, bound, types in _IN_SQL:
        allowed = ",".join(f"'{t}'" for t in types)
        sql = _WHERE[table].format(col=f"t.{column}") + (
            f" WHERE t.{column} IS NOT NULL AND (typeof(t.{column}) NOT IN ({allowed})"
            f" OR t.{column} < ? OR t.{column} > ?) LIMIT ?"
        )
        low, high = int(bound.low), int(bound.high)
        for row in conn.execute(sql, (low, high, max(1, limit - len(faults)))):
            faults.append(_fault(table, column, bound, row, types))
    for table, column, bound in _IN_TEXT:
        for row in conn.execute(_WHERE[table].format(col=f"t.{column}")):
            if not bound.holds(row[-1]):
                faults.append(_fault(table, column, bound, row))
    faults += leftshift_faults(conn)
    return faults[:limit]


def leftshift_faults(conn: sqlite3.Connection) -> list[str]:
    """Left-shift parameters that the checks made when they are typed would refuse, named."""
    from .leftshift_params import normalise  # it builds on the book's writes, which use bounds
    from .structure import load_structure

    rows = conn.execute(
        "SELECT coalesce(s.name, t.scenario_id), coalesce(o.code, t.org_id), t.key, t.value"
        " FROM leftshift t LEFT JOIN scenarios s ON s.id = t.scenario_id"
        " LEFT JOIN orgs o ON o.id = t.org_id"
    ).fetchall()
    if not rows:
        return []
    structure = load_structure(conn)
    faults = []
    for scenario, org, key, value in rows:
        try:
            normalise(key, value, structure)
        except BookError as exc:
            faults.append(
                f"leftshift row {org} {key} ({scenario}): value is {_short(value)}: {exc}"
            )
    return faults


def refuse_stored(conn: sqlite3.Connection) -> BookError:
    """The error to raise when the engine meets a stored figure it cannot use."""
    faults = stored_faults(conn, limit=1)
    what = faults[0] if faults else "a figure is not a number or is out of range"
    return BookError(
        f"This book cannot be calculated: {what}. pcbudget check lists every such figure."
    )
