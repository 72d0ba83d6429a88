"""Whatever file is imported, the tree stays one the app can open, and one undo puts it back."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcbudget.book import BookError
from pcbudget.book.organisations import check_tree
from pcbudget.book.structure import load_structure
from pcbudget.book.undo_history import undo
from pcbudget.engine import Model
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.pcn_membership import import_membership

from ..helpers import book_from_text

BOOK = """
years 2024/25 2
org ENG system -
org Y63 region ENG
org QHM icb Y63
org 16C sub_icb QHM
org U00001 pcn 16C
org P1 practice U00001
org P2 practice 16C
org 01H sub_icb QHM
org P3 practice 01H
"""
PRACTICES = ["P1", "P2", "P3", "P4", "16C", "U00001", ""]
PCNS = ["U00001", "U00002", "U00003", "U", "", "X12", "P2", "16C"]
YEARS = ["", "2023/24", "2024/25", "2025/26"]
#: Population file rows: region, ICB, sub-ICB, PCN, practice (codes the book has and has not).
CHAINS = st.tuples(
    st.sampled_from(["Y63", "Y60", "ENG", ""]),
    st.sampled_from(["QHM", "QOQ", "ENG", ""]),
    st.sampled_from(["16C", "01H", "03Q", "QHM", ""]),
    st.sampled_from(["U00001", "U00002", "U", "", "16C"]),
    st.sampled_from(["P1", "P2", "P3", "P5", "16C", "U00001", "ENG", "QHM"]),
)


#: The organisations of BOOK inside each possible root's area.
AREAS = {
    "QHM": ("QHM", "16C", "U00001", "P1", "P2", "01H", "P3"),
    "16C": ("16C", "U00001", "P1", "P2"),
}


def _tree(book) -> dict[str, tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    return {o.code: (o.kind, o.parent_id) for o in load_structure(book.conn).orgs}


def _sound(book) -> None:  # type: ignore[no-untyped-def]
    check_tree(book.conn)
    load_structure(book.conn)
    Model(book)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(PRACTICES), st.sampled_from(PCNS), st.sampled_from(YEARS)),
        max_size=10,
    )
)
def test_any_membership_file_leaves_a_sound_tree(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("pcns")
    book = book_from_text(folder / "b.pcbook", BOOK)
    path = folder / "pcns.csv"
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["practice_code", "pcn_code", "pcn_name", "from_year"])
    out.writerows([(p, c, f"PCN {c}", y) for p, c, y in rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    before = _tree(book)
    try:
        try:
            report = import_membership(book, path)
        except BookError:
            assert _tree(book) == before  # refused: nothing changed
            return
        _sound(book)
        after = _tree(book)
        assert {c: k for c, (k, _p) in after.items() if c in before} == {
            c: k for c, (k, _p) in before.items()
        }  # nobody changes kind; only PCNs are added
        assert {k for c, (k, _p) in after.items() if c not in before} <= {"pcn"}
        by_id = {o.id: o for o in load_structure(book.conn).orgs}
        for code, (kind, parent) in after.items():
            if kind == "practice" and parent != before[code][1]:
                assert parent is not None and by_id[parent].kind == "pcn"
                assert (code, by_id[parent].code) in {(p, c.upper()) for p, c, _y in rows}
        if report.change is not None:
            undo(book)
            assert _tree(book) == before
    finally:
        book.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(CHAINS, min_size=1, max_size=8), root=st.sampled_from(["ENG", "QHM", "16C"]))
def test_any_population_file_leaves_a_sound_tree(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]], root: str
) -> None:
    folder = tmp_path_factory.mktemp("pops")
    text = BOOK
    if root != "ENG":  # a book of the root's own area: the levels above it are not in it
        lines = BOOK.strip().splitlines()
        kept = [lines[0]]
        for line in lines[1:]:
            _org, code, kind, parent = line.split()
            if code in AREAS[root]:
                kept.append(f"org {code} {kind} {'-' if code == root else parent}")
        text = "\n".join(kept)
    book = book_from_text(folder / "b.pcbook", text)
    path = folder / "pops.csv"
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(
        ["R23", "ICB23", "CCG23", "PCN_Code", "Practice_Code", "pop 2024/25", "Final PMC WP"]
    )
    out.writerows([(*chain, 1000, 1100) for chain in rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    before = _tree(book)
    try:
        try:
            report = import_populations(book, path)
        except BookError:
            assert _tree(book) == before
            return
        _sound(book)
        after = _tree(book)
        assert after[root][1] is None  # the root is still the root
        assert {c: k for c, (k, _p) in after.items() if c in before} == {
            c: k for c, (k, _p) in before.items()
        }
        if sum(report.added.values()) or report.moved:
            undo(book)
            assert _tree(book) == before
    finally:
        book.close()
