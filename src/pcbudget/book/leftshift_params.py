"""Left-shift parameters of a scenario: keyed text values per organisation, validated on entry.

Keys follow the command line: `mode`; per point of delivery `POD.baseline`, `POD.demand_growth`,
`POD.acute_unit_cost`, `POD.marginal_share`, `POD.reduction`, `POD.share_to_primary_care`,
`POD.primary_unit_cost`; per year `phasing.<year>` and `double_running.<year>`;
`reinvest_share`; `top_down.base`, `top_down.share`, `top_down.years`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .changelog import Entry, append
from .create import NewLine, add_lines
from .errors import BookError
from .money import parse_decimal, parse_money
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


def ensure_line(book: Book, s: Structure) -> None:
    """The scenario's investment appears as its own line in the left_shift section."""
    if any(ln.code == LINE_CODE for ln in s.lines):
        return
    add_lines(
        book,
        [
            NewLine(
                LINE_CODE,
                "left_shift",
                "Left shift: primary care investment",
                "PC",
                s.root.kind,
                "left_shift",
                None,
                "Primary care investment from the scenario's left-shift parameters",
            )
        ],
    )


def set_leftshift(
    book: Book,
    scenario: str,
    org_code: str | None,
    values: dict[str, str | None],
    *,
    note: str | None = None,
) -> list[tuple[str, str | None, str | None]]:
    """Set (or with None remove) parameters for one organisation in one scenario, as one change.

    Returns (key, old, new) for each parameter that changed.
    """
    s = load_structure(book.conn)
    scen = s.scenario(scenario)
    if scen.id == 0:
        raise BookError("Left-shift parameters belong to a scenario: name one with --scenario.")
    org = s.org(org_code) if org_code else s.root
    rows = [
        (None, None, key) if v is None else (*normalise(key, v, s), key)
        for key, v in values.items()
    ]
    done: list[tuple[str, str | None, str | None]] = []
    with book.transaction() as conn:
        ensure_line(book, s)
        for key, value, typed in rows:
            key = key or typed
            old = conn.execute(
                "SELECT value FROM leftshift WHERE scenario_id = ? AND org_id = ? AND key = ?",
                (scen.id, org.id, key),
            ).fetchone()
            old_value = old[0] if old else None
            if value is None:
                conn.execute(
                    "DELETE FROM leftshift WHERE scenario_id = ? AND org_id = ? AND key = ?",
                    (scen.id, org.id, key),
                )
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO leftshift VALUES (?,?,?,?,?)",
                    (scen.id, org.id, key, value, note),
                )
            if old_value != value:
                done.append((key, old_value, value))
        if done:
            append(
                conn,
                [Entry(scen.name, f"left shift {org.code} {k}", o, n, note) for k, o, n in done],
            )
    return done


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
