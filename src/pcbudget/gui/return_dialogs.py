"""The two questions a return asks: which scenario to export, and which edits to take back.

Neither is decided silently. Export names the scenario whose inputs the return holds (and any
it is compared with); import names the scenario the return came from, lets the user apply it to
another, and shows a cell the book has changed since the export as a conflict, with the book at
export, the book now and the return side by side, unticked until the user ticks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..book.money import format_money
from .ok_cancel import ok_cancel

if TYPE_CHECKING:  # reading returns (openpyxl, calamine) is loaded only when one is imported
    from ..io.return_import import ReturnEdit, ReturnEdits

CONFLICT_TINT = QColor("#FCE4D6")  # the book changed the cell since the export
RESCOPE = 2  # the dialog's result when the user picked another scenario to apply to
WAS = {"entered": "typed", "overridden": "override", "calculated": "calculated"}
WAS["formula"] = "calculated"  # a formula in the return, worked out by pcbudget in the book


class ExportDialog(QDialog):
    """Which scenario the return is for, and which others it compares with."""

    def __init__(
        self,
        scenarios: list[str],
        current: str,
        compared: list[str],
        org: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export return")
        self.scenario_box = QComboBox()
        self.scenario_box.addItems(scenarios)
        self.scenario_box.setCurrentText(current)
        self.scenario_box.setAccessibleName("Scenario of the return")
        self.others = QListWidget()
        self.others.setAccessibleName("Scenarios to compare with")
        for name in scenarios:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = name in compared and name != current
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.others.addItem(item)
        self.others.setMaximumHeight(120)
        self.scenario_box.currentTextChanged.connect(self._main_changed)
        self._main_changed(current)
        form = QFormLayout()
        form.addRow("Organisation:", QLabel(org))
        form.addRow("Scenario:", self.scenario_box)
        form.addRow("Compare with:", self.others)
        note = QLabel(
            "The return's input cells hold the chosen scenario's figures; a return edited in "
            "Excel is imported back into that scenario unless you choose another."
        )
        note.setWordWrap(True)
        buttons = ok_cancel(self, "Export…")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _main_changed(self, name: str) -> None:
        """The return's own scenario is not offered as a comparison with itself."""
        for i in range(self.others.count()):
            item = self.others.item(i)
            item.setHidden(item.text() == name)

    def scenarios(self) -> list[str]:
        """The return's scenario first, then those it is compared with."""
        main = self.scenario_box.currentText()
        return [main] + [
            self.others.item(i).text()
            for i in range(self.others.count())
            if self.others.item(i).checkState() == Qt.CheckState.Checked
            and self.others.item(i).text() != main
        ]


class ReturnDialog(QDialog):
    """The edits found in a return, ticked to apply as one undoable change."""

    COLUMNS = (
        "Apply",
        "Cell",
        "Organisation",
        "Line",
        "Year",
        "Book at export",
        "Book now",
        "In the return",
        "Was",
    )

    def __init__(
        self,
        edits: ReturnEdits,
        scenarios: list[str],
        name: str,
        parent: QWidget | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import return")
        self.labels = labels or {}
        self.edits = list(edits)
        self.rescope: str | None = None
        self.ticks: list[QTableWidgetItem] = []
        self.scenario_box = QComboBox()
        self.scenario_box.addItems(scenarios)
        self.scenario_box.setCurrentText(edits.scenario)
        self.scenario_box.currentTextChanged.connect(self._rescope)
        self.table = QTableWidget(len(self.edits), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        for i, e in enumerate(self.edits):
            self._fill(i, e)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        calculated = sum(e.calculated for e in self.edits)
        self.overrides = QCheckBox(
            f"Also make the {calculated} changed calculated cell(s) overrides"
        )
        self.overrides.setVisible(calculated > 0)
        self.overrides.toggled.connect(self._tick_calculated)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        origin = f"{name} holds the inputs of scenario '{edits.exported_from}'."
        form = QFormLayout()
        form.addRow(QLabel(origin))
        form.addRow("Apply to scenario:", self.scenario_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self._summary(edits)))
        layout.addWidget(self.table)
        layout.addWidget(self.overrides)
        layout.addWidget(buttons)
        self.resize(980, 460)

    @staticmethod
    def _summary(edits: ReturnEdits) -> str:
        text = (
            f"{len(edits)} input cell(s) differ from the book. Totals in the return are "
            "formulas and are ignored."
        )
        if edits.conflicts:
            text += (
                f"\n{len(edits.conflicts)} of them were also changed in the book since the "
                "export (shaded, not ticked): tick one to take the return's figure over the "
                "book's newer one."
            )
        return text

    def _fill(self, row: int, e: ReturnEdit) -> None:
        tick = QTableWidgetItem()
        tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        wanted = not e.calculated and not e.conflict
        tick.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.table.setItem(row, 0, tick)
        self.ticks.append(tick)
        exported = format_money(e.exported) if e.exported is not None else ""
        texts = (
            f"{e.sheet}!{e.cell}",
            e.org,
            self.labels.get(e.target, e.target),
            e.year,
            exported,
            format_money(e.old),
            format_money(e.new),
            WAS.get(e.status, e.status),
        )
        for j, text in enumerate(texts, start=1):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if j >= 5:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if e.conflict:
                item.setBackground(QBrush(CONFLICT_TINT))
                item.setToolTip(
                    f"Changed in the book since the export ({exported} then, "
                    f"{format_money(e.old)} now): applying takes the return's "
                    f"{format_money(e.new)}."
                )
            self.table.setItem(row, j, item)

    def _tick_calculated(self, on: bool) -> None:
        for i, e in enumerate(self.edits):
            if e.calculated and not e.conflict:
                state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
                self.ticks[i].setCheckState(state)

    def _rescope(self, name: str) -> None:
        """Another scenario: the return is read again against it (its 'book now' differs)."""
        self.rescope = name
        self.done(RESCOPE)

    def chosen(self) -> list[ReturnEdit]:
        """The edits the user ticked."""
        return [
            e
            for i, e in enumerate(self.edits)
            if self.ticks[i].checkState() == Qt.CheckState.Checked
        ]
