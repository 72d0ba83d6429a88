"""Organisations an import adds and moves, planned against the book's tree, then written as rows.

Importers (population files, PCN membership) find organisations by code, including the other
codes they answer to (`org_codes`), plan additions and moves on a copy of the tree so a loop is
caught while planning, and hand the writes to `book.operations` as part of one operation: one
transaction, one change-log batch, one undo step, checked by `check_tree` before it commits.
"""

from __future__ import annotations

import re
from collections import Counter

from ..book.bounds import MAX_NAME
from ..book.operations import Write
from ..book.store import Book
from ..book.structure import Org, Structure

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def clean_name(name: str, code: str) -> str:
    """A name as the book stores it: control characters (line breaks) as spaces. ValueError,
    for the importer to report against the row, if longer than the bound on names."""
    text = " ".join(_CONTROL.sub(" ", str(name or "")).split())
    if len(text) > MAX_NAME:
        raise ValueError(f"the name of {code} is {len(text):,} characters; the most is {MAX_NAME}")
    return text or code


class OrgPlan:
    """Additions and moves planned against one structure; `writes()` gives the rows to write."""

    def __init__(self, book: Book, s: Structure) -> None:
        self.s = s
        self.by_code: dict[str, int] = {c: i for c, i in s.other_codes.items()}
        self.by_code.update({o.code.upper(): o.id for o in s.orgs})
        self.parent: dict[int, int | None] = {o.id: o.parent_id for o in s.orgs}
        self.orgs: dict[int, Org] = {o.id: o for o in s.orgs}
        self.sort = dict(book.conn.execute("SELECT id, sort FROM orgs").fetchall())
        self.next_id = max(self.orgs) + 1
        self.next_sort = max(self.sort.values(), default=0) + 1
        self.added: Counter[str] = Counter()
        self.moved: set[int] = set()
        self._rows: dict[int, tuple[object, ...]] = {}

    @property
    def root(self) -> int:
        return self.s.root.id

    def find(self, code: str) -> int | None:
        """The organisation (in the book or planned) answering to `code`, or None."""
        return self.by_code.get(code.strip().upper())

    def code(self, org_id: int) -> str:
        return str(self._rows[org_id][0]) if org_id in self._rows else self.orgs[org_id].code

    def kind(self, org_id: int) -> str:
        return str(self._rows[org_id][2]) if org_id in self._rows else self.orgs[org_id].kind

    def is_new(self, org_id: int) -> bool:
        return org_id not in self.orgs

    def below(self, org_id: int, ancestor: int) -> bool:
        """Whether `org_id` is `ancestor` or sits anywhere below it, in the planned tree."""
        current: int | None = org_id
        while current is not None:
            if current == ancestor:
                return True
            current = self.parent.get(current)
        return False

    def add(self, code: str, name: str, kind: str, parent: int) -> int:
        """Plan a new organisation under `parent`; its id. ValueError if its name is too long."""
        name = clean_name(name, code)
        org_id, self.next_id = self.next_id, self.next_id + 1
        sort, self.next_sort = self.next_sort, self.next_sort + 1
        self._rows[org_id] = (code, name, kind, parent, sort, None)
        self.by_code[code.upper()] = org_id
        self.parent[org_id] = parent
        self.added[kind] += 1
        return org_id

    def move(self, org_id: int, parent: int) -> None:
        """Plan moving `org_id` (and all below it) under `parent`; ValueError if a loop."""
        if self.parent.get(org_id) == parent:
            return
        if org_id == self.root:
            raise ValueError(f"{self.code(org_id)} is the book's top organisation: it cannot move")
        if self.below(parent, org_id):
            raise ValueError(
                f"{self.code(parent)} is below {self.code(org_id)}: moving it there would make a"
                " loop"
            )
        if org_id in self._rows:
            row = self._rows[org_id]
        else:
            org = self.orgs[org_id]
            row = (org.code, org.name, org.kind, org.parent_id, self.sort[org_id], org.note)
            self.moved.add(org_id)
        self._rows[org_id] = (*row[:3], parent, *row[4:])
        self.parent[org_id] = parent

    def moved_count(self) -> int:
        """Organisations of the book that end up under another parent."""
        return sum(1 for i in self.moved if self.parent[i] != self.orgs[i].parent_id)

    def writes(self) -> list[Write]:
        """The organisation rows to write: new ones first, parents before children, then moves."""
        order = sorted(self._rows, key=lambda i: (not self.is_new(i), i))
        return [Write("org", (i,), str(self._rows[i][0]), self._rows[i]) for i in order]
