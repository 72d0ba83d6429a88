"""The organisation tree: a model Qt's checks accept, read as the view asks, that shows each
organisation's dated moves, filters to a practice deep in it and selects by code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pcbudget.book import load_structure
from pcbudget.book.org_moves import close_org
from pcbudget.book.organisations import move_org
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.navigator import CODE_ROLE, OrgTreeModel
from pcbudget.gui.session import Session

from ..engine.test_moves import PRACTICES
from ..helpers import book_from_text


def shown(model: OrgTreeModel, parent: QModelIndex | None = None) -> list[str]:
    """Every item's text, depth-first, as a user expanding the whole tree reads it."""
    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append(index.data())
        out += shown(model, index)
    return out


def test_the_tree_passes_qts_model_checks_and_names_moves(
    tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    book = book_from_text(tmp_path / "t.pcbook", PRACTICES)
    try:
        move_org(book, "X2", "P2", from_year="2026/27")
        close_org(book, "Y1", "2025/26")
        model = OrgTreeModel(load_structure(book.conn))
        qtmodeltester.check(model)
        assert [t.split("  ")[0] for t in shown(model)] == ["ICB", "P1", "X1", "X2", "P2", "Y1"]
        x2 = model.index_of("X2")
        assert x2.data().endswith("(→ P2 from 2026/27)")
        tip = x2.data(Qt.ItemDataRole.ToolTipRole)
        assert "In this tree from 2024/25; → P2 from 2026/27" in tip
        assert model.index_of("Y1").data().endswith("(closed from 2025/26)")
        assert x2.parent().data(CODE_ROLE) == "P1" and x2.row() == 1
        assert not model.index_of("NOPE").isValid()
    finally:
        book.close()


def test_filtering_finds_a_practice_and_choosing_it_shows_its_budget(
    tmp_path: Path, qtbot: QtBot
) -> None:
    window = MainWindow(Session(book_from_text(tmp_path / "f.pcbook", PRACTICES)))
    qtbot.addWidget(window)
    window.show()
    nav = window.navigator
    qtbot.keyClicks(nav.filter, "Y1")
    tree = nav.source
    top = tree.index(0, 0)
    assert tree.rowCount() == 1 and tree.rowCount(top) == 1  # ICB > P2 > Y1 only
    assert tree.index(0, 0, tree.index(0, 0, top)).data(CODE_ROLE) == "Y1"
    nav.select("Y1")
    chosen: list[str] = []
    nav.orgChosen.connect(chosen.append)
    nav.filter.setText("Y")  # Y1 still shown: it stays the current item, not chosen again
    assert nav.tree.currentIndex().data(CODE_ROLE) == "Y1" and chosen == []
    nav.select("X1")  # hidden by the filter: the filter is cleared to show it
    assert window.org_label.text().startswith("X1") and nav.filter.text() == ""
    window.close()


def test_the_models_own_parent_is_still_its_qobject_parent(tmp_path: Path) -> None:
    book = book_from_text(tmp_path / "q.pcbook", PRACTICES)
    try:
        model = OrgTreeModel(load_structure(book.conn))
        assert model.parent() is None  # QObject.parent, not an index
        model.set_filter("x")  # X1, X2 and what is above them
        assert shown(model) == ["ICB  ICB", "P1  P1", "X1  X1", "X2  X2"]
        assert not model.index_of("Y1").isValid()  # hidden by the filter
    finally:
        book.close()
