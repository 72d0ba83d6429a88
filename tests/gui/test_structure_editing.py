"""Editing the structure in the window: an organisation added below a PCN shows in the tree, a
move and a rename show at once, a local line gets its own row, and Undo takes each back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from pcbudget.book.organisations import move_org
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.navigator import CODE_ROLE
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


def _figures(window: MainWindow, code: str, line: str) -> list[str]:
    window.navigator.select(code)
    model = window.budget_model
    row = row_of(model, line)
    return [model.index(row, c).data() for c in range(len(window.session.structure.years))]


def test_a_practice_moved_from_a_year_shows_in_its_pcns_only_from_then(
    window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog, QInputDialog

    from pcbudget.book.edits import set_amount
    from pcbudget.book.organisations import add_line
    from pcbudget.gui.structure_actions import MoveDialog

    s = window.session.structure
    pcn_a, pcn_b = [o.code for o in s.orgs if o.kind == "pcn"][:2]
    years = s.years
    actions = window.structure_actions
    assert actions.add(pcn_a, "C99001", "New Surgery", "practice")
    book = window.session.book
    window.session.run(
        "gp it", lambda: add_line(book, "gp_it", "GP IT", section="pcn", budget_type="PC")
    )
    for y in years:
        window.session.run("amount", lambda y=y: set_amount(book, "C99001", "gp_it", y, 1_000_00))
    menu = [a.text() for a in actions.menu_for("C99001").actions()]
    assert "Close from a Year…" in menu and "Move To…" in menu
    dialog = MoveDialog("C99001", window)
    assert dialog.year.currentText() == years[0]  # the first year by default

    # the dialog as a user fills it: PCN B, from the third year
    def fill(self) -> QDialog.DialogCode:  # type: ignore[no-untyped-def]
        self.target.setCurrentIndex(self.target.findData(pcn_b))
        self.year.setCurrentText(years[2])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MoveDialog, "exec", fill)
    actions.ask_move("C99001")
    item = window.navigator.source.match(
        window.navigator.source.index(0, 0),
        CODE_ROLE,
        "C99001",
        1,
        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
    )[0]
    assert f"→ {pcn_b} from {years[2]}" in item.data()
    assert f"→ {pcn_b} from {years[2]}" in item.data(Qt.ItemDataRole.ToolTipRole)
    a_cells, b_cells = _figures(window, pcn_a, "gp_it"), _figures(window, pcn_b, "gp_it")
    assert a_cells == ["1,000", "1,000", "0", "0", "0"]  # £1,000 a year, under A until year 3
    assert b_cells == ["0", "0", "1,000", "1,000", "1,000"]  # then under B
    # closing from the last year: the practice's own cells are not held then
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *_a, **_k: (years[-1], True)))
    actions.ask_close("C99001")
    assert (
        f"closed from {years[-1]}"
        in window.navigator.source.match(
            window.navigator.source.index(0, 0),
            CODE_ROLE,
            "C99001",
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )[0].data()
    )
    model = window.session.model
    o = model.snapshot.org_index[model.structure.org("C99001").id]
    li = model.snapshot.line_index[model.structure.line("gp_it").id]
    assert model.results.status_at(o)[li, -1] == 0  # not held
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.session.structure.moves == {}


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
