"""The Scenario menu: create, duplicate, rename, describe, delete, and what a scenario changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..book import BookError
from ..book import scenarios as ops
from ..book.differences import Difference, differences
from ..engine.leftshift_labels import param_label, show_value

if TYPE_CHECKING:
    from .main_window import MainWindow


class DifferencesDialog(QDialog):
    """Every assumption a scenario sets, with the baseline's value beside it."""

    def __init__(self, name: str, rows: list[Difference], parent: MainWindow) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"What '{name}' changes")
        self.table = QTableWidget(len(rows), 5)
        self.table.setHorizontalHeaderLabels(
            ["Assumption", "Organisation, line, year", "Baseline", "Scenario", "Set in"]
        )
        for i, d in enumerate(rows):
            for j, text in enumerate(shown(d)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(rows)} assumptions differ from the baseline."))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 460)


def shown(d: Difference) -> tuple[str, str, str, str, str]:
    """A difference as the dialog's row; a left-shift parameter in the grid's words ('LLR
    Outpatient first: reduction target', '40%'), not the book's key and fraction."""
    target, value = d.target, d.scenario
    if d.assumption == "left shift":
        org, _, key = d.target.rpartition(" ")  # keys have no spaces; organisation codes might
        target, value = f"{org} {param_label(key)}", show_value(key, d.scenario)
    return (d.assumption, target, d.baseline, value, d.layer)


class ScenarioActions:
    """Menu actions over the window's book; each is one logged change."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        menu = window.menuBar().addMenu("&Scenario")
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (
            ("new", "New Scenario…", self.new),
            ("copy", "Duplicate Scenario…", self.copy),
            ("rename", "Rename Scenario…", self.rename),
            ("describe", "Describe Scenario…", self.describe),
            ("delete", "Delete Scenario", self.delete),
            ("diff", "What This Scenario Changes…", self.what_differs),
        ):
            action = QAction(text, window)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[key] = action

    @property
    def book(self):
        return self.window.session.book

    def _done(self, switch_to: str | None = None) -> None:
        self.window.refresh_scenarios(switch_to)

    def _ask(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.window, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def _run(self, operation) -> bool:
        try:
            operation()
        except BookError as exc:
            QMessageBox.warning(self.window, "Scenario", str(exc))
            return False
        return True

    def new(self, name: str | None = None) -> None:
        current = self.window.session.scenario
        name = name or self._ask("New scenario", f"Name (it starts equal to {current}):")
        if name and self._run(lambda: ops.create_scenario(self.book, name, parent=current)):
            self._done(name)

    def copy(self) -> None:
        current = self.window.session.scenario
        name = self._ask("Duplicate scenario", f"Name of the copy of {current}:", f"{current} copy")
        if name and self._run(lambda: ops.copy_scenario(self.book, current, name)):
            self._done(name)

    def rename(self) -> None:
        current = self.window.session.scenario
        name = self._ask("Rename scenario", f"New name for {current}:", current)
        if name and self._run(lambda: ops.rename_scenario(self.book, current, name)):
            self._done(name)

    def describe(self) -> None:
        current = self.window.session.scenario
        text = self._ask("Describe scenario", f"What {current} tests:")
        if text and self._run(lambda: ops.describe_scenario(self.book, current, text)):
            self._done(current)

    def delete(self) -> None:
        current = self.window.session.scenario
        answer = QMessageBox.question(
            self.window,
            "Delete scenario",
            f"Delete '{current}' and its overrides? The change log keeps the record.",
        )
        if answer == QMessageBox.StandardButton.Yes and self._run(
            lambda: ops.delete_scenario(self.book, current)
        ):
            self._done("baseline")

    def what_differs(self) -> None:
        current = self.window.session.scenario
        rows: list[Difference] = []
        if self._run(lambda: rows.extend(differences(self.book, current, against="baseline"))):
            DifferencesDialog(current, rows, self.window).exec()
