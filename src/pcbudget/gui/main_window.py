"""The main window: navigator, budget grid with chart, input grids, change log and undo history."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..book import BookError
from ..book.copies import write_copy
from ..book.money import format_money
from ..book.schema import MEASURES
from ..book.structure import load_scenarios
from ..io.reconciliation import reconcile
from .amounts import unit_hint
from .book_state import restore_state, save_state
from .budget_grid import BudgetGrid
from .budget_model import BudgetModel
from .changelog_view import ChangeLogView
from .charts import BudgetChart
from .compare_panel import ComparePanel
from .file_actions import FileActions
from .file_dialogs import ask_save_file
from .gap_banner import GapBanner
from .input_models import AllocationModel, PopulationModel, RateModel
from .leftshift_panel import LeftShiftPanel
from .legend import legend_widget
from .line_grid import LineByOrgModel
from .months_panel import MonthsPanel, ViewSwitch
from .navigator import Navigator
from .rates_panel import RatesPanel
from .reconciliation_dialog import ReconciliationDialog
from .scenario_actions import ScenarioActions
from .session import Session
from .status_bar import StatusBar
from .structure_actions import StructureActions
from .undo_history import UndoActions, UndoHistoryView
from .version_actions import VersionActions
from .window_menus import build_menus
from .year_grid import year_table

CHART_MIN_WIDTH = 220


class AppActions(Protocol):
    """What a window asks of the application: its File menu's book-level actions (New, Open,
    Open Recent), which belong to the app because they open other windows."""

    def file_actions(self, window: QWidget) -> list[QAction | None]: ...


class MainWindow(QMainWindow):
    """One window per open book."""

    # Made by window_menus.build_menus: the menus' actions and the toolbar's scenario choice.
    undo_actions: UndoActions
    undo_action: QAction
    redo_action: QAction
    file_actions: FileActions
    unit_actions: list[QAction]
    chart_action: QAction
    scenario_actions: ScenarioActions
    structure_actions: StructureActions
    version_actions: VersionActions
    scenario_choice: QComboBox

    def __init__(self, session: Session, app_actions: AppActions | None = None) -> None:
        super().__init__()
        self.session = session
        self.app_actions = app_actions
        self._worker: tuple[object, ...] | None = None  # the running file job, kept alive
        s = session.structure
        self.org_code = s.root.code
        self.budget_model = BudgetModel(session)
        self.grid = BudgetGrid(self.budget_model)
        self.chart = BudgetChart(session)
        self.navigator = Navigator(s)
        self.line_model = LineByOrgModel(session)
        self.population_model = PopulationModel(session)
        self.rate_model = RateModel(session)
        self.allocation_model = AllocationModel(session)
        self.changelog = ChangeLogView(session)
        self.leftshift = LeftShiftPanel(session)
        self.compare = ComparePanel(session)
        self.months = MonthsPanel(session)
        self.view_switch = ViewSwitch(self.budget_model, self.grid)
        self._build_central()
        self._build_docks()
        build_menus(self)
        self._build_status()
        self.navigator.orgChosen.connect(self.choose_org)
        session.resultsChanged.connect(self._saved)
        session.resultsChanged.connect(self._after_structural)
        session.errorRaised.connect(self._error)
        session.scenarioChanged.connect(lambda _: self._update_title())
        self._update_title()
        self.resize(1400, 860)
        restore_state(self)  # where the user left this book: organisation, scenario, tab, size

    # -- layout --------------------------------------------------------------------------
    def _build_central(self) -> None:
        budget = QWidget()
        layout = QVBoxLayout(budget)
        layout.setContentsMargins(4, 4, 4, 4)
        self.org_label = QLabel()
        self.org_label.setStyleSheet("font-weight: bold; font-size: 14px;")
        layout.addWidget(self.org_label)
        self.gap_banner = GapBanner(self.session)
        layout.addWidget(self.gap_banner)
        layout.addWidget(self.view_switch)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.grid)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 1)  # the grid takes the room; the chart what is left
        split.setStretchFactor(1, 0)
        split.setCollapsible(0, False)
        split.setSizes([1000, 420])
        self.chart.setMinimumWidth(CHART_MIN_WIDTH)
        split.splitterMoved.connect(self._splitter_moved)
        self.budget_split = split
        self._chart_dragged = False  # the user set the chart's width: keep it
        layout.addWidget(split, 1)
        layout.addWidget(legend_widget())

        by_org = QWidget()
        by_layout = QVBoxLayout(by_org)
        self.line_choice = QComboBox()
        self.line_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.line_choice.setMinimumContentsLength(30)  # long line names do not widen the window
        self._fill_line_choice()
        self.line_choice.currentIndexChanged.connect(
            lambda i: self.line_model.set_scope(line_code=self.line_choice.itemData(i))
        )
        self.line_view = year_table(self.statusBar(), self.line_model)
        by_layout.addWidget(self.line_choice)
        by_layout.addWidget(self.line_view)

        pops = QWidget()
        pop_layout = QVBoxLayout(pops)
        self.measure_choice = QComboBox()
        self.measure_choice.addItems(MEASURES)
        self.measure_choice.currentTextChanged.connect(self.population_model.set_measure)
        pop_layout.addWidget(self.measure_choice)
        self.population_view = year_table(self.statusBar(), self.population_model)
        pop_layout.addWidget(self.population_view)
        pop_hint = QLabel(
            "Bold on yellow: known. Italic grey: projected with growth, or the sum of "
            "its organisations. Type a figure to make it known; clear it to project."
        )
        pop_hint.setWordWrap(True)  # wraps in a small window rather than widening it
        pop_layout.addWidget(pop_hint)

        self.tabs = QTabWidget()
        self.tabs.addTab(budget, "Budget")
        self.tabs.addTab(by_org, "By organisation")
        self.tabs.addTab(pops, "Populations")
        self.rate_view = year_table(self.statusBar(), self.rate_model)
        self.rates = RatesPanel(self.session, self.rate_view)
        self.tabs.addTab(self.rates, "Rates")
        self.allocation_view = year_table(self.statusBar(), self.allocation_model)
        self.tabs.addTab(self.allocation_view, "Allocations")
        self.tabs.addTab(self.leftshift, "Left shift")
        self.tabs.addTab(self.compare, "Compare")
        self.tabs.addTab(self.months, "Months")
        self.tabs.addTab(self.changelog, "Change log")
        self.setCentralWidget(self.tabs)

    def _build_docks(self) -> None:
        nav = QDockWidget("Organisations", self)
        nav.setObjectName("organisations")
        nav.setWidget(self.navigator)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, nav)
        self.undo_view = UndoHistoryView(self.session)
        history = QDockWidget("Undo history", self)
        history.setObjectName("undo")
        history.setWidget(self.undo_view)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, history)

    # -- room for the budget ---------------------------------------------------------------
    def show_chart(self, shown: bool) -> None:
        """Show or hide the chart beside the budget; hidden, the grid takes its room."""
        self.chart.setVisible(shown)
        if shown:
            self._chart_dragged = False
            self.share_budget_room()
        if self.chart_action.isChecked() != shown:
            self.chart_action.setChecked(shown)

    def _splitter_moved(self, _pos: int, _index: int) -> None:
        chart_width = self.budget_split.sizes()[1]
        self._chart_dragged = True
        if chart_width == 0 and self.chart_action.isChecked():  # dragged shut
            self.chart_action.setChecked(False)

    def share_budget_room(self) -> None:
        """Give the grid the width that shows every year and the total; the chart the rest
        (at least its minimum), unless the user has dragged the divider."""
        if self._chart_dragged or not self.chart.isVisible():
            return
        total = sum(self.budget_split.sizes())
        if total <= 0:
            return
        handle = self.budget_split.handleWidth()
        grid = min(self.grid.full_width(), total - CHART_MIN_WIDTH - handle)
        self.budget_split.setSizes([grid, total - grid - handle])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.share_budget_room()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.share_budget_room()

    def set_unit(self, unit: str) -> None:
        """Show amounts in £ or £k; typing, pasting and copying follow the unit shown."""
        self.session.set_unit(unit)
        self.statusBar().showMessage(unit_hint(unit), 8000)

    def _fill_scenarios(self) -> None:
        self.scenario_choice.blockSignals(True)
        self.scenario_choice.clear()
        self.scenario_choice.addItems([x.name for x in load_scenarios(self.session.book.conn)])
        self.scenario_choice.setCurrentText(self.session.scenario)
        self.scenario_choice.blockSignals(False)

    def _after_structural(self, change: object) -> None:
        """After an operation that changed organisations, lines or scenarios (or its undo)."""
        if not getattr(change, "structural", False):
            return
        s = self.session.structure
        self.navigator.set_structure(s)
        self._fill_line_choice()
        self._fill_scenarios()
        known = {o.code for o in s.orgs}
        # choosing it in the tree shows it (the new tree has no current item, so it is chosen)
        self.navigator.select(self.org_code if self.org_code in known else s.root.code)

    def _fill_line_choice(self) -> None:
        current = self.line_choice.currentData()
        self.line_choice.blockSignals(True)
        self.line_choice.clear()
        for line in self.session.structure.lines:
            where = "any organisation" if line.level == "any" else f"each {line.level}"
            self.line_choice.addItem(f"{line.name} ({line.code}, held by {where})", line.code)
        found = self.line_choice.findData(current)
        self.line_choice.setCurrentIndex(max(found, 0))
        self.line_choice.blockSignals(False)

    def structure_changed(self) -> None:
        """After organisations were added (an import): the tree, the models, the charts."""
        self.session.reload()
        self.navigator.set_structure(self.session.structure)
        self.choose_org(self.org_code)

    def refresh_scenarios(self, switch_to: str | None = None) -> None:
        """After scenarios were added, renamed or deleted: the chooser, the comparison, the log."""
        self._fill_scenarios()
        if switch_to:
            self.scenario_choice.setCurrentText(switch_to)
            self._scenario_chosen(switch_to)
        self.compare.refresh_scenarios()
        self.changelog.model.reload()

    def _scenario_chosen(self, name: str) -> None:
        if name and name != self.session.scenario:
            self.session.set_scenario(name)
            self.scenario_label.setText(f"Scenario: {name}")

    def _build_status(self) -> None:
        bar = StatusBar()
        self.setStatusBar(bar)
        self.path_label = QLabel(str(self.session.book.path))
        self.scenario_label = QLabel(f"Scenario: {self.session.scenario}")
        self.read_only_label = QLabel()
        self.saved_label = QLabel("All changes saved")
        for label in (self.path_label, self.scenario_label, self.read_only_label, self.saved_label):
            bar.add_field(label)
        if self.session.read_only:
            self.read_only_label.setText("Read-only")
            self.read_only_label.setToolTip(self.session.book.read_only_reason or "")
            self.read_only_label.setStyleSheet("color: #b00; font-weight: bold;")
            self.saved_label.setText("Read-only: nothing can be changed")
            self.undo_action.setEnabled(False)
        self.choose_org(self.org_code)

    # -- behaviour -------------------------------------------------------------------------
    def choose_org(self, code: str) -> None:
        self.org_code = code
        org = self.session.structure.org(code)
        self.org_label.setText(f"{org.code}  {org.name} ({org.kind})")
        self.budget_model.set_org(code)
        self.chart.set_org(code)
        self.line_model.set_scope(org_code=code)
        self.population_model.set_org(code)
        self.allocation_model.set_org(code)
        self.leftshift.set_org(self.budget_model.org)
        self.compare.set_org(self.budget_model.org)
        self.months.set_org(code)
        self.gap_banner.set_org(code)  # the lines that read £0 here for want of a population
        for row, r in enumerate(self.budget_model.rows):
            self.grid.setRowHeight(row, self.grid.verticalHeader().defaultSectionSize())
            if r.kind == "headroom" and (r.pence < 0).any():
                self.statusBar().showMessage(
                    f"{org.code}: headroom below zero in "
                    f"{sum(bool(p < 0) for p in r.pence)} year(s)",
                    8000,
                )

    def _saved(self, change: object = None) -> None:
        if not self.session.read_only:
            self.saved_label.setText("All changes saved")
        bar = self.statusBar()
        if change is not None and bar.currentMessage() == self.grid.last_message:
            bar.clearMessage()  # a change went in: the refusal before it is no longer news

    def _error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        self.grid.show_message(message, self.grid.currentIndex())

    def _update_title(self) -> None:
        name = self.session.book.meta("name") or self.session.book.path.stem
        flag = " [read-only]" if self.session.read_only else ""
        self.setWindowTitle(f"{name} — {self.session.book.path.name}{flag} — pcbudget")

    def save_copy_as(self) -> None:
        path = ask_save_file(
            self,
            "Save a copy as",
            self.session.book.path.stem + " copy.pcbook",
            "Budget books (*.pcbook)",
        )
        if path:
            self.save_copy(path)

    def save_copy(self, path: str) -> bool:
        """Copy the open book to `path`, never over a book someone has open, nor onto itself."""
        try:
            write_copy(self.session.book.conn, path, own=self.session.book.path)
        except BookError as exc:
            QMessageBox.warning(self, "Save a copy", str(exc))
            return False
        self.statusBar().showMessage(f"Saved a copy as {path}", 8000)
        return True

    def show_reconciliation(self) -> ReconciliationDialog:
        """Each published figure beside the book's own (non-modal, so the grid stays usable)."""
        dialog = ReconciliationDialog(
            reconcile(self.session.book, self.session.model.results), self
        )
        dialog.show()
        return dialog

    def save_chart(self) -> None:
        path = ask_save_file(self, "Save chart", "chart.png", "PNG images (*.png)")
        if path:
            self.chart.save_png(path)

    def closeEvent(self, event) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()  # a cell still being edited commits now, while the book is open
        save_state(self)
        self.session.close()
        self.session.disconnect_all()  # its connections held the models and this window
        super().closeEvent(event)

    def totals_text(self) -> str:
        """The grand total row as shown (for tests and the status bar)."""
        total = next(r for r in self.budget_model.rows if r.kind == "total")
        return " ".join(format_money(int(p), decimals=0) for p in total.pence)
