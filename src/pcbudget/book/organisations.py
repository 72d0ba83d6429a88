"""The book's structure by hand: add, rename and move organisations, and add local lines.

Each is one operation (logged, undoable). Every write that touches organisations is checked
before it commits (`check_tree`): one root, no orphan, no cycle, in the first year's tree and
every later year's (moves and closures dated from a later year are in `org_moves.py`), so no
import or edit can leave a tree the app cannot open.
"""

from __future__ import annotations

import re
import sqlite3

from .bounds import name_text
from .errors import BookError
from .money import rate_value
from .operations import Change, Operation, Write, apply, read_row
from .org_moves import below_in, check_years, in_a_loop, move_from
from .schema import MEASURES, RATED_BASES
from .store import Book
from .structure import Structure, load_structure

#: Kinds of organisation, from the top of today's NHS tree down (and the CCG-era 'system').
ORG_KINDS = ("region", "system", "icb", "sub_icb", "place", "ccg", "pcn", "practice")
#: Bases a line added by hand may have (uplift and balancing lines come with a book).
LINE_BASES = ("entered", "per_head", "allocation_share")
#: The level of an entered line that any organisation may hold.
ANY_LEVEL = "any"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


def is_org_code(code: str) -> bool:
    """Whether `code` can be an organisation's code (letters, digits, - and _; up to 20)."""
    return bool(_CODE.match(code))


_LINE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def check_tree(conn: sqlite3.Connection) -> None:
    """Refuse (before commit) a tree with no single root, an orphan or a cycle."""
    orgs = conn.execute("SELECT id, parent_id, code FROM orgs").fetchall()
    parent: dict[int, int | None] = {i: p for i, p, _ in orgs}
    code: dict[int, str] = {i: str(c) for i, _, c in orgs}
    roots = [i for i, p in parent.items() if p is None]
    if len(roots) != 1:
        raise BookError(
            f"That change would leave {len(roots)} top organisations; a book has exactly one."
        )
    for org_id, p in parent.items():
        if p is not None and p not in parent:
            raise BookError(f"That change would leave {code[org_id]} under a missing parent.")
    looped = in_a_loop(parent)
    if looped is not None:
        raise BookError(f"That change would put {code[looped]} below itself.")
    check_years(conn, parent, code)


def _ids(book: Book) -> tuple[int, int]:
    sql = "SELECT coalesce(max(id), 0) + 1, coalesce(max(sort), 0) + 1 FROM orgs"
    org_id, sort = book.conn.execute(sql).fetchone()
    return int(org_id), int(sort)


def add_org(book: Book, code: str, name: str, kind: str, parent: str) -> Change:
    """Add an organisation below `parent` (codes are ODS codes where one exists)."""
    s = load_structure(book.conn)
    code = str(code).strip()
    if not _CODE.match(code):
        raise BookError(f"'{code}' cannot be an organisation code: use letters and digits.")
    _unused(s, code)
    if kind not in ORG_KINDS:
        raise BookError(f"'{kind}' is not a kind of organisation ({', '.join(ORG_KINDS)}).")
    above = s.org(parent)
    org_id, sort = _ids(book)
    row = (code, name_text(name, code), kind, above.id, sort, None)
    write = Write("org", (org_id,), code, row)
    return apply(book, Operation(f"Add {kind} {code} under {above.code}", "baseline", 0, (write,)))


def _unused(s: Structure, code: str) -> None:
    try:
        holder = s.org(code)
    except BookError:
        return
    raise BookError(f"There is already an organisation with code {code} ({holder.code}).")


def add_code(book: Book, code: str, other: str) -> Change:
    """Let an organisation answer to another code too (a CCG's or sub-ICB's ODS code)."""
    s = load_structure(book.conn)
    org = s.org(code)
    other = str(other).strip()
    if not _CODE.match(other):
        raise BookError(f"'{other}' cannot be an organisation code: use letters and digits.")
    _unused(s, other)
    write = Write("org_code", (other,), f"{other} = {org.code}", (org.id,))
    return apply(book, Operation(f"{org.code} answers to {other}", "baseline", 0, (write,)))


def rename_org(book: Book, code: str, name: str) -> Change:
    s = load_structure(book.conn)
    org = s.org(code)
    row = _org_row(book, org.id)
    new = (row[0], name_text(name, org.code), *row[2:])
    write = Write("org", (org.id,), org.code, new)
    return apply(book, Operation(f"Rename {org.code}", "baseline", 0, (write,)))


def move_org(book: Book, code: str, new_parent: str, *, from_year: str | None = None) -> Change:
    """Move an organisation (and all below it) under another one: for every year of the book
    (no year, or the first), or from a later year on (earlier years keep their parent)."""
    s = load_structure(book.conn)
    org, above = s.org(code), s.org(new_parent)
    if from_year is not None and s.year_index(from_year) != 0:
        return move_from(book, code, new_parent, from_year)
    if org.parent_id is None:
        raise BookError(f"{org.code} is the book's top organisation: it cannot move.")
    if below_in(s, above.id, org.id, 0):
        raise BookError(f"{above.code} is below {org.code}: moving it there would make a loop.")
    row = _org_row(book, org.id)
    new = (*row[:3], above.id, *row[4:])
    write = Write("org", (org.id,), org.code, new)
    return apply(book, Operation(f"Move {org.code} under {above.code}", "baseline", 0, (write,)))


def _org_row(book: Book, org_id: int) -> tuple[object, ...]:
    return tuple(
        book.conn.execute(
            "SELECT code, name, kind, parent_id, sort, note FROM orgs WHERE id = ?", (org_id,)
        ).fetchone()
    )


def add_line(
    book: Book,
    code: str,
    name: str,
    *,
    section: str,
    budget_type: str,
    level: str | None = None,
    basis: str = "entered",
    measure: str | None = None,
    rate: str | None = None,
    source: str | None = None,
) -> Change:
    """Add a local line (LES/LCS, GP IT, estates...): entered, per head of a measure at a rate,
    or a share of its budget type's allocation (a contingency: rate '0.5%').

    An entered line without a level may be held at any organisation; a per-head line needs the
    level its rate is paid at and a measure, a share line the level whose allocation it takes a
    share of; with `rate` either gets that rate in every year.
    """
    s = load_structure(book.conn)
    code = str(code).strip()
    if not _LINE_CODE.match(code):
        raise BookError(
            f"'{code}' cannot be a line code: use lower-case letters, digits and _, e.g. gp_it."
        )
    if any(ln.code == code for ln in s.lines):
        raise BookError(f"There is already a line with code {code}.")
    s.section(section)
    if budget_type not in {t.code for t in s.budget_types}:
        raise BookError(f"There is no budget type '{budget_type}' in this book.")
    if basis not in LINE_BASES:
        raise BookError(f"A line added by hand is {' or '.join(LINE_BASES)}, not '{basis}'.")
    if basis == "per_head":
        if measure not in MEASURES:
            raise BookError(f"A per-head line needs a measure ({', '.join(MEASURES)}).")
        if level in (None, ANY_LEVEL):
            raise BookError("A per-head line needs the level it is paid at, e.g. --level pcn.")
    elif basis == "allocation_share":
        if measure is not None:
            raise BookError("A share of the allocation has no measure: its rate is the share.")
        if level in (None, ANY_LEVEL):
            raise BookError(
                "A share of the allocation needs the level whose allocation it takes a share"
                " of, e.g. --level icb (held at every level it would be counted twice)."
            )
    elif measure is not None or rate is not None:
        raise BookError("Only a per-head or share-of-allocation line has a rate.")
    level = level or ANY_LEVEL
    if level != ANY_LEVEL and level not in ORG_KINDS:
        raise BookError(f"'{level}' is not a kind of organisation ({', '.join(ORG_KINDS)}).")
    line_id, sort = book.conn.execute(
        "SELECT coalesce(max(id), 0) + 1, coalesce(max(sort), 0) + 1 FROM lines"
    ).fetchone()
    row = (code, section, name_text(name, code), budget_type, level, basis, measure, sort, None)
    writes = [Write("line", (line_id,), code, row)]
    if rate is not None:
        value = rate_value(basis, rate, code)
        writes += [
            Write("rate", (line_id, y), f"{code} {year}", (str(value), 12.0, source, None), 0)
            for y, year in enumerate(s.years)
        ]
    return apply(book, Operation(f"Add line {code}", "baseline", 0, tuple(writes)))


def set_line_type(book: Book, code: str, budget_type: str, from_year: str) -> Change:
    """Count a line against `budget_type` from `from_year` on (e.g. core PCN funding inside
    the delegated allocation from 2022/23); earlier years keep the type they had."""
    s = load_structure(book.conn)
    line = s.line(code)
    if budget_type not in {t.code for t in s.budget_types}:
        raise BookError(f"There is no budget type '{budget_type}' in this book.")
    start = s.year_index(from_year)
    differs = None if budget_type == line.budget_type else budget_type  # stored only if so
    writes = [
        Write("line_type", (line.id, y), f"{code} {s.years[y]}", (differs,) if differs else None)
        for y in range(start, len(s.years))
        if s.line_types.get((line.id, y)) != differs
    ]
    if not writes:
        raise BookError(f"{code} already counts against {budget_type} from {from_year}.")
    label = f"Budget type of {code}: {budget_type} from {from_year}"
    return apply(book, Operation(label, "baseline", 0, tuple(writes)))


def set_line_level(book: Book, codes: list[str], level: str) -> Change:
    """Hold lines at another kind of organisation (PCN lines at practices where a book has no
    PCNs yet), as one operation. Refused for a line with amounts typed at organisations of
    another kind, which would no longer hold it: those amounts are cleared first, by hand."""
    s = load_structure(book.conn)
    if level != ANY_LEVEL and level not in ORG_KINDS:
        raise BookError(f"'{level}' is not a kind of organisation ({', '.join(ORG_KINDS)}).")
    kind_of = {o.id: o.kind for o in s.orgs}
    writes = []
    for code in codes:
        line = s.line(code)
        if line.level == level:
            continue
        if level == ANY_LEVEL and line.basis in RATED_BASES:
            raise BookError(f"{code} has a rate: it needs the level its rate is paid at.")
        held = book.conn.execute(
            "SELECT DISTINCT org_id FROM amounts WHERE line_id = ?", (line.id,)
        ).fetchall()
        stranded = sorted({kind_of.get(o, "?") for (o,) in held} - {level, ANY_LEVEL})
        if stranded and level != ANY_LEVEL:
            raise BookError(
                f"{code} has amounts typed at {', '.join(stranded)} level: clear them before "
                f"holding it at {level} level."
            )
        row = read_row(book.conn, "line", None, (line.id,))
        assert row is not None  # the structure just named it
        writes.append(Write("line", (line.id,), code, (*row[:4], level, *row[5:])))
    if not writes:
        raise BookError(f"{', '.join(codes)} already held at {level} level.")
    label = f"Hold {', '.join(codes)} at {level} level"
    return apply(book, Operation(label, "baseline", 0, tuple(writes)))
