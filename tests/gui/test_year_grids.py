"""Every grid over the book's years is one YearGridModel: each passes Qt's model checks, heads
its year columns with the book's years, right-aligns its figures and shows money one way."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QStyleFactory, QToolTip

from pcbudget.gui.kept_rows_view import KeptRowsView
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.year_grid import KeptRowsGrid, YearGridModel, format_amount


def _kinds(base: type) -> set[type]:
    found: set[type] = set()
    for sub in base.__subclasses__():
        found |= {sub, *_kinds(sub)}
    return found


def _year_grids(window: MainWindow) -> list[YearGridModel]:
    """Every year grid of the window, each filled (scenarios compared, organisations too)."""
    window.scenario_choice.setCurrentText("Outpatients -40% by 2023/24")
    window.tabs.setCurrentWidget(window.compare)
    window.compare.by_org.setChecked(True)
    return [
        window.budget_model,
        window.line_model,
        window.population_model,
        window.rate_model,
        window.allocation_model,
        window.leftshift.pod_model,
        window.leftshift.year_model,
        window.leftshift.results_model,
        window.compare.model,
        window.compare.org_model,
    ]


def test_every_year_grid_passes_qt_model_checks(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    models = _year_grids(window)
    bases = {KeptRowsGrid}
    concrete = {k for k in _kinds(YearGridModel) if not k.__name__.startswith("_")} - bases
    assert {type(m) for m in models} == concrete  # a new year grid must be added here
    assert window.compare.org_model.rowCount() > 0 and window.compare.model.rowCount() > 0
    for model in models:
        qtmodeltester.check(model)


def test_year_columns_are_headed_by_the_books_years(window: MainWindow) -> None:
    years = window.session.structure.years
    for model in _year_grids(window):
        if model is window.leftshift.pod_model:
            assert model.year_of(0) is None  # its columns are the point-of-delivery fields
            continue
        heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        for c, head in enumerate(heads):
            year = model.year_of(c)
            if year is not None:
                assert str(head).startswith(years[year]), (type(model).__name__, c, head)
        assert {model.year_of(c) for c in range(model.columnCount())} - {None} == set(
            range(len(years))
        )


def test_figures_are_right_aligned_and_money_is_shown_one_way(window: MainWindow) -> None:
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for model in _year_grids(window):
        for c in range(model.columnCount()):
            if model.year_of(c) is not None:
                assert model.index(0, c).data(Qt.ItemDataRole.TextAlignmentRole) == right
    line = window.line_model
    for unit in ("£", "£k"):
        window.session.set_unit(unit)
        assert line.index(0, 0).data() == format_amount(line.pence(0, 0), unit)
    assert format_amount(-123_456_78, "£") == "(123,457)"
    assert format_amount(-123_456_78, "£k") == "(123.5)"


def test_nothing_is_typed_into_a_figure_or_a_year_outside_the_grid(window: MainWindow) -> None:
    for model in _year_grids(window):
        assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
        assert not model.setData(QModelIndex(), "1")
    compare = window.compare.model
    assert not compare.flags(compare.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_the_practice_grid_shows_an_edit_at_once(window: MainWindow) -> None:
    """The line grid keeps each row worked out; an edit, undo or unit switch shows at once."""
    line = window.line_model
    row = next(
        r
        for r in range(line.rowCount())
        if line.flags(line.index(r, 0)) & Qt.ItemFlag.ItemIsEditable
    )
    before = line.pence(row, 0)
    assert line.index(row, 0).data()  # kept before the edit
    assert line.setData(line.index(row, 0), "1234")
    assert line.index(row, 0).data() == "1,234"
    assert line.pence(row, len(window.session.structure.years)) == sum(
        line.pence(row, c) for c in range(len(window.session.structure.years))
    )
    window.undo_action.trigger()
    assert line.pence(row, 0) == before
    total = line.columnCount() - 1
    assert not line.flags(line.index(row, total)) & Qt.ItemFlag.ItemIsEditable  # never typed


def test_the_practice_grid_looks_as_qt_paints_it(window: MainWindow) -> None:
    """The line grid paints its shown cells itself; the picture is the one Qt's own table and
    delegate give: tints, a negative in red, selected cells, the current cell with its focus,
    money in £k, and a figure too wide for a narrowed column elided."""
    line, view = window.line_model, window.line_view
    assert isinstance(view, KeptRowsView)
    window.tabs.setCurrentIndex(1)
    row = next(
        r
        for r in range(line.rowCount())
        if line.flags(line.index(r, 0)) & Qt.ItemFlag.ItemIsEditable
    )
    assert line.setData(line.index(row, 0), "-5000")
    view.setFocus()
    view.setCurrentIndex(line.index(row, 1))
    chosen = view.selectionModel()
    chosen.select(line.index(row + 1, 2), QItemSelectionModel.SelectionFlag.Select)
    chosen.select(line.index(row + 2, 0), QItemSelectionModel.SelectionFlag.Select)

    def same_as_qt() -> bool:
        view.as_qt = False
        own = view.grab().toImage()
        view.as_qt = True
        qt = view.grab().toImage()
        view.as_qt = False
        return own == qt

    assert same_as_qt()
    window.session.set_unit("£k")
    assert same_as_qt()
    window.session.set_unit("£")
    view.horizontalHeader().setMinimumSectionSize(10)
    view.horizontalHeader().resizeSection(1, 30)
    assert same_as_qt()
    view.clearFocus()
    assert same_as_qt()
    view.setStyle(QStyleFactory.create("Windows"))  # a style other than Fusion: Qt paints
    assert same_as_qt()  # (Windows' native styles, not available here, draw unlike Fusion)


def test_the_practice_grid_edits_and_explains_as_before(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Painting the cells itself leaves the table's own editing and tooltips: a double-click
    opens an editor on a held cell, typed figures become the cell, and a cell explains itself."""
    line, view = window.line_model, window.line_view
    window.tabs.setCurrentIndex(1)
    row = next(
        r
        for r in range(line.rowCount())
        if line.flags(line.index(r, 0)) & Qt.ItemFlag.ItemIsEditable
    )
    view.scrollTo(line.index(row, 0))
    centre = view.visualRect(line.index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.state() == QAbstractItemView.State.EditingState
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "4321")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on Return, queued
    qtbot.waitUntil(lambda: line.index(row, 0).data() == "4,321")
    explained = line.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    ask = QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre))
    QApplication.sendEvent(view.viewport(), ask)
    assert explained and QToolTip.text() == explained
