"""Creating books: an empty book with its years, sections and root organisation, then bulk loads.

A new book is built under a temporary name beside its final one and moved into place only
when complete, so a failed creation never leaves a half-made book behind.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from .bounds import name_length, name_text
from .changelog import Entry, append
from .errors import BookError
from .identity import new_identity
from .lock import current_user
from .replay import snapshot
from .store import Book, create_empty, open_book

SECTIONS = (
    ("co_commissioning", "Practice contracts and premises"),
    ("pcn", "Primary care networks (Network Contract DES)"),
    ("gpfv", "GP Forward View"),
    ("other_primary_care", "Other primary care"),
    ("out_of_hours", "Out of hours"),
    ("prescribing", "Prescribing"),
    ("left_shift", "Left shift investment"),
)
BUDGET_TYPES = (
    ("CC", "Co-commissioning (delegated allocation)"),
    ("PC", "Primary care outside the delegated allocation"),
)


@dataclass(frozen=True)
class NewOrg:
    code: str
    name: str
    kind: str
    parent: str | None
    note: str | None = None
    #: Other codes it answers to, e.g. a CCG's ODS code ('04C' for Leicester City).
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewLine:
    code: str
    section: str
    name: str
    budget_type: str
    level: str
    basis: str
    measure: str | None = None
    note: str | None = None


def add_orgs(book: Book, orgs: Iterable[NewOrg]) -> int:
    """Add organisations (parents before children) inside the caller's transaction."""
    conn = book.conn
    ids = {r[0].upper(): r[1] for r in conn.execute("SELECT code, id FROM orgs")}
    ids.update({r[0].upper(): r[1] for r in conn.execute("SELECT code, org_id FROM org_codes")})
    sort = conn.execute("SELECT coalesce(max(sort), 0) FROM orgs").fetchone()[0]
    count = 0
    for org in orgs:
        if not org.code.strip() or not org.name.strip():
            raise BookError("Every organisation needs a code and a name.")
        name_length(org.name, f"Organisation {org.code}")
        if org.code.upper() in ids:
            raise BookError(f"Organisation code '{org.code}' is used twice.")
        parent = None
        if org.parent is not None:
            parent = ids.get(org.parent.upper())
            if parent is None:
                raise BookError(
                    f"'{org.code}' names a parent '{org.parent}' that is not in the book."
                )
        sort += 1
        cur = conn.execute(
            "INSERT INTO orgs (code, name, kind, parent_id, sort, note) VALUES (?,?,?,?,?,?)",
            (org.code, org.name, org.kind, parent, sort, org.note),
        )
        ids[org.code.upper()] = cur.lastrowid
        for other in org.codes:
            if other.upper() in ids:
                raise BookError(f"Code '{other}' of {org.code} is another organisation's code.")
            conn.execute(
                "INSERT INTO org_codes (code, org_id) VALUES (?, ?)", (other, cur.lastrowid)
            )
            ids[other.upper()] = cur.lastrowid
        count += 1
    return count


def add_lines(book: Book, lines: Iterable[NewLine]) -> None:
    """Add budget lines inside the caller's transaction (one balancing line per budget type)."""
    conn = book.conn
    sort = conn.execute("SELECT coalesce(max(sort), 0) FROM lines").fetchone()[0]
    balanced = {r[0] for r in conn.execute("SELECT budget_type FROM lines WHERE basis='balance'")}
    for line in lines:
        if line.basis == "balance":
            if line.budget_type in balanced:
                raise BookError(f"Budget type {line.budget_type} already has a balancing line.")
            balanced.add(line.budget_type)
        name_length(line.name, f"Line {line.code}")
        sort += 1
        conn.execute(
            "INSERT INTO lines (code, section, name, budget_type, level, basis, measure, sort,"
            " note) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                line.code,
                line.section,
                line.name,
                line.budget_type,
                line.level,
                line.basis,
                line.measure,
                sort,
                line.note,
            ),
        )


def ids(book: Book, table: str) -> dict[str, int]:
    """Code -> id for orgs or lines; year label -> index for years."""
    if table == "years":
        return {r[0]: r[1] for r in book.conn.execute("SELECT label, idx FROM years")}
    return {r[0]: r[1] for r in book.conn.execute(f"SELECT code, id FROM {table}")}


def insert_rows(
    book: Book, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Bulk insert baseline rows (scenario 0) inside the caller's transaction."""
    cols = ("scenario_id", *columns)
    marks = ", ".join("?" for _ in cols)
    book.conn.executemany(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", ((0, *r) for r in rows)
    )


def create_book(
    path: str | os.PathLike[str],
    *,
    years: Sequence[str],
    name: str,
    root: NewOrg,
    fill: Callable[[Book], str] | None = None,
    created_at: str | None = None,
    identity: bool = True,
) -> Book:
    """Create a book at `path` (which must not exist) and return it open for writing.

    `fill` adds the content inside the creating transaction and returns a description for the
    change log; `created_at` fixes the timestamps so a sample book rebuilds identically. The
    book gets an identity of its own unless `identity` is False (the shipped sample, which must
    rebuild byte for byte; every copy the app makes of it gets its own). The creation row of
    the change log holds every row the book was made with, so `check` can replay the log.
    """
    final = Path(path)
    name = name_text(name, "The book")
    name_text(root.name, f"Organisation {root.code}")
    if final.exists():
        raise BookError(f"{final} already exists: choose a new file name.")
    if not final.parent.exists():
        raise BookError(f"The folder {final.parent} does not exist.")
    temp = final.with_name(f".{final.name}.creating-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    stamp = created_at or datetime.now(UTC).isoformat(timespec="seconds")
    conn = create_empty(temp)
    book = Book(temp, conn, lock=None)
    try:
        with book.transaction():
            meta = {
                "name": name,
                "unit": "GBP",
                "created_at": stamp,
                "created_by": current_user() if created_at is None else "pcbudget",
                "app_version": __version__,
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            conn.executemany("INSERT INTO years VALUES (?, ?)", list(enumerate(years)))
            conn.executemany(
                "INSERT INTO sections VALUES (?, ?, ?)",
                [(c, n, i) for i, (c, n) in enumerate(SECTIONS)],
            )
            conn.executemany(
                "INSERT INTO budget_types VALUES (?, ?, ?)",
                [(c, n, i) for i, (c, n) in enumerate(BUDGET_TYPES)],
            )
            conn.execute(
                "INSERT INTO scenarios (id, name, parent_id, description) VALUES (0, 'baseline',"
                " NULL, 'The book itself')"
            )
            add_orgs(book, [root])
            what = fill(book) if fill is not None else "empty book"
            own = new_identity() if identity else None
            if own is not None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('identity', ?)", (own,))
            made = {"kind": "created", "identity": own, "tables": snapshot(conn)}
            fixed = ("pcbudget", "pcbudget") if created_at is not None else None
            entry = Entry("baseline", "book", None, f"created: {what}", data=json.dumps(made))
            append(conn, [entry], at=stamp, who=fixed)
        conn.close()
        try:  # claim the name first, so a file made meanwhile is never overwritten
            os.close(os.open(final, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            raise BookError(f"{final} already exists: choose a new file name.") from None
        os.replace(temp, final)
    except BaseException:
        with contextlib.suppress(Exception):
            conn.close()
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    book = open_book(final)
    if identity:
        from .anchor import record

        record(book.conn, final)
    return book
