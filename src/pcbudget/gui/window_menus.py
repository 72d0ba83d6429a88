"""The main window's menus and toolbar: File, Edit, View, Versions and Help, each action wired
to the window, and every menu shortcut made the window's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMenu

from .file_actions import FileActions
from .help_dialogs import AboutDialog, GuideDialog
from .scenario_actions import ScenarioActions
from .structure_actions import StructureActions
from .undo_history import UndoActions
from .version_actions import VersionActions

if TYPE_CHECKING:
    from .main_window import MainWindow


def build_menus(self: MainWindow) -> None:
    """The File, Edit, View, Versions and Help menus and the toolbar of `self`."""
    self.undo_actions = UndoActions(self.session, self)
    self.undo_action, self.redo_action = self.undo_actions.undo, self.undo_actions.redo

    file_menu = self.menuBar().addMenu("&File")
    if self.app_actions is not None:
        for action in self.app_actions.file_actions(self):
            file_menu.addAction(action) if action is not None else file_menu.addSeparator()
    self.file_actions = FileActions(self)
    for action in self.file_actions.actions():
        file_menu.addAction(action)
    file_menu.addSeparator()
    copy_as = QAction("Save a Copy As…", self)
    copy_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
    copy_as.triggered.connect(self.save_copy_as)
    file_menu.addAction(copy_as)
    close = QAction("Close", self)
    close.setShortcut(QKeySequence.StandardKey.Close)
    close.triggered.connect(self.close)
    file_menu.addAction(close)

    edit = self.menuBar().addMenu("&Edit")
    for action in (
        self.undo_action,
        self.redo_action,
        None,
        self.grid.copy_action,
        self.grid.paste_action,
        self.grid.revert_action,
        self.grid.fill_action,
    ):
        edit.addAction(action) if action is not None else edit.addSeparator()

    view = self.menuBar().addMenu("&View")
    units = QActionGroup(self)
    for unit, key in (("£", "Ctrl+1"), ("£k", "Ctrl+2")):
        act = QAction(f"Amounts in {unit}", self, checkable=True, checked=unit == "£")
        act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _=False, u=unit: self.set_unit(u))
        units.addAction(act)
        view.addAction(act)
    self.unit_actions = units.actions()
    save_chart = QAction("Save Chart as PNG…", self)
    save_chart.triggered.connect(self.save_chart)
    self.chart.save_button.clicked.connect(self.save_chart)
    view.addAction(save_chart)
    view.addSeparator()
    self.chart_action = QAction("Chart beside the Budget", self, checkable=True, checked=True)
    self.chart_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
    self.chart_action.toggled.connect(self.show_chart)
    view.addAction(self.chart_action)
    for dock in self.findChildren(QDockWidget):
        panel = dock.toggleViewAction()  # a closed panel comes back from here
        panel.setText(f"{dock.windowTitle()} Panel")
        view.addAction(panel)
    view.addSeparator()
    find = QAction("Find Organisation", self)
    find.setShortcut(QKeySequence.StandardKey.Find)
    find.triggered.connect(lambda: self.navigator.filter.setFocus())
    view.addAction(find)
    import_actuals = QAction("Import Actuals (ledger csv)…", self)
    import_actuals.triggered.connect(lambda: self.months.ask_import())
    file_menu.addAction(import_actuals)
    reconcile_action = QAction("Reconciliation with Published Figures", self)
    reconcile_action.triggered.connect(self.show_reconciliation)
    view.addAction(reconcile_action)

    self.scenario_actions = ScenarioActions(self)
    self.structure_actions = StructureActions(self)
    edit.addSeparator()
    edit.addAction(self.structure_actions.add_line_action)
    self.version_actions = VersionActions(self)
    versions = self.menuBar().addMenu("&Versions")
    for action in self.version_actions.actions():
        versions.addAction(action)

    help_menu = self.menuBar().addMenu("&Help")
    guide = QAction("User Guide", self)
    guide.setShortcut(QKeySequence.StandardKey.HelpContents)
    guide.triggered.connect(lambda: GuideDialog(self).exec())
    about = QAction("About pcbudget", self)
    about.triggered.connect(lambda: AboutDialog(self).exec())
    help_menu.addAction(guide)
    help_menu.addAction(about)

    bar = self.addToolBar("Main")
    bar.setObjectName("main")
    bar.addAction(self.undo_action)
    bar.addAction(self.redo_action)
    bar.addSeparator()
    bar.addWidget(QLabel(" Scenario: "))
    self.scenario_choice = QComboBox()
    self._fill_scenarios()
    self.scenario_choice.currentTextChanged.connect(self._scenario_chosen)
    bar.addWidget(self.scenario_choice)
    bar.addSeparator()
    for act in self.unit_actions:
        bar.addAction(act)
    _shortcuts_on_window(self)


def _shortcuts_on_window(self: MainWindow) -> None:
    """Make every menu shortcut the window's own. A shortcut that lives only in a menu
    stops working where the menu bar leaves the window (a desktop's global menu bar,
    macOS), and Ctrl+O then does nothing while a typed path goes into the cell."""
    menus = [a.menu() for a in self.menuBar().actions()]
    for menu in (m for m in menus if isinstance(m, QMenu)):
        for action in menu.actions():
            window_wide = action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
            if action.shortcuts() and window_wide and action not in self.actions():
                self.addAction(action)
