"""Left-shift parameters of a scenario: keyed text values per organisation, validated on entry.

Keys follow the command line: `mode`; per point of delivery `POD.baseline`, `POD.demand_growth`,
`POD.acute_unit_cost`, `POD.marginal_share`, `POD.reduction`, `POD.share_to_primary_care`,
`POD.primary_unit_cost`; per year `phasing.<year>` and `double_running.<year>`;
`reinvest_share`; `top_down.base`, `top_down.share`, `top_down.years`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import BookError
from .money import parse_decimal, parse_money
from .operations import Change, Operation, Write, apply, write_row
from .store import Book
from .structure import Structure, load_structure

PODS = ("op_first", "op_follow_up", "ae_minor", "elective_daycase", "non_elective")
POD_FIELDS = (
    "baseline",
    "demand_growth",
    "acute_unit_cost",
    "marginal_share",
    "reduction",
    "share_to_primary_care",
    "primary_unit_cost",
)
SHARES = {"marginal_share", "reduction", "share_to_primary_care"}
LINE_CODE = "left_shift_investment"
_POD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def normalise(key: str, value: str, s: Structure) -> tuple[str, str]:
    """Check a parameter and put its value in canonical text (fractions, pounds, counts)."""
    key = key.strip()
    raw = str(value).strip()
    if key == "mode":
        if raw not in ("bottom_up", "top_down"):
            raise BookError("mode is bottom_up or top_down.")
        return key, raw
    if key == "reinvest_share":
        return key, str(
            parse_decimal(raw, key, allow_percent=True, low=Decimal(0), high=Decimal(1))
        )
    if key == "top_down.base":
        return key, str(parse_money(raw) / Decimal(100))
    if key == "top_down.share":
        return key, str(
            parse_decimal(raw, key, allow_percent=True, low=Decimal(0), high=Decimal("0.5"))
        )
    if key == "top_down.years":
        return key, str(int(parse_decimal(raw, key, low=Decimal(1), high=Decimal(30))))
    head, _, tail = key.partition(".")
    if head in ("phasing", "double_running"):
        year = s.years[s.year_index(tail)]
        high = Decimal(1) if head == "phasing" else Decimal(2)
        return f"{head}.{year}", str(
            parse_decimal(raw, key, allow_percent=True, low=Decimal(0), high=high)
        )
    if tail in POD_FIELDS and _POD_NAME.match(head):
        if tail in SHARES:
            return key, str(
                parse_decimal(raw, key, allow_percent=True, low=Decimal(0), high=Decimal(1))
            )
        if tail == "demand_growth":
            return key, str(
                parse_decimal(raw, key, allow_percent=True, low=Decimal("-0.5"), high=Decimal(1))
            )
        if tail == "baseline":
            return key, str(parse_decimal(raw, key, low=Decimal(0), high=Decimal(10**9)))
        return key, str(parse_decimal(raw.lstrip("£"), key, low=Decimal(0), high=Decimal(10**7)))
    raise BookError(
        f"'{key}' is not a left-shift parameter (mode, POD.baseline, POD.reduction, ...,"
        " phasing.<year>, double_running.<year>, reinvest_share, top_down.base/share/years)."
    )


def line_write(book: Book, s: Structure) -> Write | None:
    """The write that adds the investment line to the left_shift section, if the book lacks it."""
    if any(ln.code == LINE_CODE for ln in s.lines):
        return None
    line_id, sort = book.conn.execute(
        "SELECT coalesce(max(id), 0) + 1, coalesce(max(sort), 0) + 1 FROM lines"
    ).fetchone()
    row = (
        LINE_CODE,
        "left_shift",
        "Left shift: primary care investment",
        "PC",
        s.root.kind,
        "left_shift",
        None,
        sort,
        "Primary care investment from the scenario's left-shift parameters",
    )
    return Write("line", (line_id,), LINE_CODE, row)


def ensure_line(book: Book, s: Structure) -> None:
    """Add the investment line inside the caller's transaction (the sample builds it this way)."""
    write = line_write(book, s)
    if write is not None:
        write_row(book.conn, "line", None, write.key, write.new)


def set_leftshift(
    book: Book,
    scenario: str,
    org_code: str | None,
    values: dict[str, str | None],
    *,
    note: str | None = None,
    label: str | None = None,
) -> Change:
    """Set (or with None remove) parameters for one organisation in one scenario, as one change.

    Each changed parameter is a cell of the returned change (kind 'leftshift', key (org id,
    parameter)), logged with its old and new row so it can be undone.
    """
    s = load_structure(book.conn)
    scen = s.scenario(scenario)
    if scen.id == 0:
        raise BookError("Left-shift parameters belong to a scenario: name one with --scenario.")
    org = s.org(org_code) if org_code else s.root
    writes: list[Write] = []
    for typed, v in values.items():
        if v is None:
            writes.append(
                Write("leftshift", (org.id, typed.strip()), f"{org.code} {typed}", None, scen.id)
            )
            continue
        key, value = normalise(typed, v, s)
        writes.append(
            Write("leftshift", (org.id, key), f"{org.code} {key}", (value, note), scen.id)
        )
    first = line_write(book, s)
    if first is not None:
        writes.insert(0, first)
    text = label or f"Left shift {org.code}: {', '.join(values)}"
    return apply(book, Operation(text, scen.name, scen.id, tuple(writes), note))


def read_leftshift(book: Book, chain: list[int]) -> dict[int, dict[str, str]]:
    """Parameters by organisation id for a scenario chain (nearest scenario wins)."""
    out: dict[int, dict[str, str]] = {}
    rank = {sid: i for i, sid in enumerate(chain)}
    rows = book.conn.execute(
        f"SELECT scenario_id, org_id, key, value FROM leftshift WHERE scenario_id IN"
        f" ({','.join('?' for _ in chain)})",
        chain,
    ).fetchall()
    for _, org_id, key, value in sorted(rows, key=lambda r: rank[r[0]]):
        out.setdefault(org_id, {})[key] = value
    return out
