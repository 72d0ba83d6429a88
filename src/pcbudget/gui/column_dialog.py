"""Import Populations: which column of the file fills which measure, asked once the file is
picked. The columns offered, the importer's own choice and the words saying what each column is
all come from io.population_columns; this dialog only shows them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..book import BookError
from ..io.population_columns import FILLS, MEASURE_WORDS, NONE, REQUIRED, ColumnChoices
from .ok_cancel import ok_cancel


class ColumnDialog(QDialog):
    """A combo per measure the file can fill (its number columns, or none), pre-set as the
    importer would read it, with a sentence under each saying what the chosen column is."""

    def __init__(self, choices: ColumnChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self.setWindowTitle("Columns to import")
        intro = QLabel(
            f"{choices.file} gives several population figures for each practice. Choose the "
            f"column each measure is read from, or {NONE} to leave that measure as it is."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        self.combos: dict[str, QComboBox] = {}
        self.notes: dict[str, QLabel] = {}
        for n, measure in enumerate(FILLS):
            combo = QComboBox()
            for header in choices.candidates:
                combo.addItem(header, header)
            combo.addItem(NONE, NONE)
            combo.setCurrentIndex(combo.findData(choices.defaults[measure] or NONE))
            words = MEASURE_WORDS[measure]
            label = QLabel(f"{words[:1].upper()}{words[1:]}:")
            label.setBuddy(combo)
            note = QLabel()
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            note.setStyleSheet("color: palette(placeholder-text);")
            combo.currentIndexChanged.connect(lambda _i, m=measure: self._describe(m))
            grid.addWidget(label, 3 * n, 0)
            grid.addWidget(combo, 3 * n, 1)
            grid.addWidget(note, 3 * n + 1, 1)
            # room for three lines whatever is chosen, so the dialog keeps its size
            note.setMinimumHeight(3 * note.fontMetrics().lineSpacing())
            grid.setRowMinimumHeight(3 * n + 2, 8)
            self.combos[measure], self.notes[measure] = combo, note
            self._describe(measure)
        buttons = ok_cancel(self, "Import")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.resize(660, 0)

    def _describe(self, measure: str) -> None:
        header = self.combos[measure].currentData()
        self.notes[measure].setText(self.choices.describe(header, measure))

    def chosen(self) -> dict[str, str]:
        """Each measure's column as the header text, or 'none', for the importer's `columns`."""
        return {measure: str(combo.currentData()) for measure, combo in self.combos.items()}


def ask_columns(parent: QWidget, path: str | Path) -> tuple[dict[str, str], bool] | None:
    """The columns the user chose for the population file at `path` ({} when there is nothing
    to choose, or the file is one the import will refuse and say why) and whether the file
    leaves its year unsaid, from one look at the file; None if cancelled."""
    from ..io.population_import import file_facts

    try:
        facts = file_facts(path)
    except BookError:
        return {}, False  # the import itself refuses the file, with its reason
    choices = facts.choices
    if choices is None or not choices.needs_choice():
        return {}, facts.needs_year
    dialog = ColumnDialog(choices, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen(), facts.needs_year


def columns_summary(columns: dict[str, str]) -> str:
    """The chosen columns in a line ('Registered list from Patients; no weighted list.'): the
    measures read, and registered or weighted left unread; empty when there was no choice."""
    parts = [
        f"no {MEASURE_WORDS[m]}" if header == NONE else f"{MEASURE_WORDS[m]} from {header}"
        for m, header in columns.items()
        if header != NONE or m in REQUIRED
    ]
    said = "; ".join(parts)
    return f"{said[:1].upper()}{said[1:]}." if parts else ""
