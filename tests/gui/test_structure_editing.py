"""Editing the structure in the window: an organisation added below a PCN shows in the tree, a
move and a rename show at once, a local line gets its own row, and Undo takes each back.
"""

from __future__ import annotations

from pcbudget.book.organisations import move_org
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.structure_actions import LineDialog

from .test_budget_window import row_of, shown


def tree_codes(window: MainWindow) -> list[str]:
    model = window.navigator.source
    out: list[str] = []

    def walk(parent) -> None:  # type: ignore[no-untyped-def]
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            out.append(index.data().split("  ", 1)[0])
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return out


def test_an_added_practice_shows_in_the_tree_and_undo_removes_it(window: MainWindow) -> None:
    pcn = next(o.code for o in window.session.structure.orgs if o.kind == "pcn")
    assert window.structure_actions.add(pcn, "C99001", "New Surgery", "practice")
    assert "C99001" in tree_codes(window)
    assert window.org_code == "C99001" or window.session.structure.org("C99001")
    assert "Add practice C99001" in window.undo_action.text()
    window.undo_action.trigger()
    assert "C99001" not in tree_codes(window)


def test_a_refused_move_says_why_and_changes_nothing(window: MainWindow) -> None:
    errors: list[str] = []
    window.session.errorRaised.connect(errors.append)
    before = tree_codes(window)
    root = window.session.structure.root.code
    child = next(o.code for o in window.session.structure.orgs if o.parent_id is not None)
    window.session.run("Move", lambda: move_org(window.session.book, root, child))
    assert errors and "top organisation" in errors[0]
    assert tree_codes(window) == before


def test_a_local_line_added_in_the_dialog_gets_a_row(window: MainWindow) -> None:
    window.navigator.select("LC")
    dialog = LineDialog(window)
    dialog.code.setText("gp_it")
    dialog.name.setText("GP IT (local)")
    dialog.basis.setCurrentText("entered")
    assert window.structure_actions.add_line_from(dialog)
    window.navigator.select("LC")
    assert row_of(window.budget_model, "gp_it") >= 0
    assert window.line_choice.findData("gp_it") >= 0


def test_the_line_dialog_enables_rate_only_for_per_head(window: MainWindow) -> None:
    dialog = LineDialog(window)
    dialog.basis.setCurrentText("entered")
    assert not dialog.rate.isEnabled()
    dialog.basis.setCurrentText("per_head")
    assert dialog.rate.isEnabled() and dialog.measure.isEnabled()


def test_a_contingency_added_in_the_dialog_is_half_a_percent_and_cuts_headroom(
    window: MainWindow,
) -> None:
    window.navigator.select("LC")
    dialog = LineDialog(window)
    dialog.code.setText("contingency")
    dialog.name.setText("Contingency")
    dialog.section.setCurrentIndex(dialog.section.findData("co_commissioning"))
    dialog.budget_type.setCurrentIndex(dialog.budget_type.findData("CC"))
    dialog.basis.setCurrentText("allocation_share")
    assert dialog.rate.isEnabled() and not dialog.measure.isEnabled()
    assert "share" in dialog.rate.placeholderText()
    dialog.level.setCurrentText("ccg")
    dialog.rate.setText("0.5%")
    assert window.structure_actions.add_line_from(dialog)
    window.navigator.select("LC")
    model = window.budget_model
    assert shown(model, row_of(model, "contingency"), 0) == "272,940"  # 0.5% of £54,588,000
    headroom = next(i for i, r in enumerate(model.rows) if r.kind == "headroom")
    assert shown(model, headroom, 0) == "133,460"  # £406,400 less the contingency
