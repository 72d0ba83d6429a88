"""New ICB Book: the organisation, the years, NHS England's files and where to save, in one
dialog, built on a worker thread behind a progress bar (io.new_book does the work)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThread
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..book.years import year_run
from ..io.new_book import NewBookPlan
from .column_dialog import ask_columns, columns_summary
from .file_dialogs import ask_open_file, ask_save_file
from .ok_cancel import ok_cancel

if TYPE_CHECKING:
    from .app import App
    from .main_window import MainWindow

FIRST_YEARS = year_run("2024/25", 6)


class _FileField(QWidget):
    """A path box with a Choose… button; empty means no file. `on_pick`, if set, is asked
    about a file just chosen and may refuse it (the box then keeps what it had)."""

    def __init__(self, title: str, filters: str, *, save: bool = False, name: str = "") -> None:
        super().__init__()
        self.title, self.filters, self.save, self.name = title, filters, save, name
        self.on_pick: Callable[[Path], bool] | None = None
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("none" if not save else "choose where to save")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(choose)

    def choose(self) -> None:
        if self.save:
            path = ask_save_file(self, self.title, self.name, self.filters)
        else:
            path = ask_open_file(self, self.title, self.filters)
        if path and (self.on_pick is None or self.on_pick(Path(path))):
            self.edit.setText(path)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None


class NewBookDialog(QDialog):
    """Everything a new ICB book needs, asked once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New ICB book")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ODS code, e.g. QHM")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. NHS Cheshire and Merseyside ICB")
        self.first_year = QComboBox()
        self.first_year.addItems(FIRST_YEARS)
        self.first_year.setCurrentText("2026/27")
        self.years = QSpinBox()
        self.years.setRange(1, 30)
        self.years.setValue(5)
        self.populations = _FileField(
            "NHS England population file", "Population files (*.csv *.xlsx)"
        )
        self.populations.on_pick = self._choose_columns
        self.populations.edit.textChanged.connect(self._columns_still_apply)
        #: The population file's columns as the user chose them, and the file chosen for.
        self.columns: dict[str, str] | None = None
        self.columns_for: Path | None = None
        self.columns_note = QLabel()
        self.columns_note.setWordWrap(True)
        self.columns_note.setStyleSheet("color: palette(placeholder-text);")
        #: Asked only when the population file does not say which year it is for.
        self.population_year = QComboBox()
        self.population_year.setToolTip(
            "The population file does not say which year its figures are for: choose it."
        )
        self.first_year.currentTextChanged.connect(self._offer_years)
        self.years.valueChanged.connect(self._offer_years)
        self._offer_years()
        self.membership = _FileField(
            "PCN membership (NHS Payments, ePCN, or practice_code,pcn_code)",
            "Membership files (*.csv *.xlsx)",
        )
        self.measures = _FileField(
            "Other measures (org_code,measure,year,value)", "csv files (*.csv)"
        )
        self.target = _FileField(
            "Save the new book as", "Budget books (*.pcbook)", save=True, name="ICB.pcbook"
        )
        form = QFormLayout()
        form.addRow("ICB code:", self.code)
        form.addRow("ICB name:", self.name)
        form.addRow("First year:", self.first_year)
        form.addRow("Years:", self.years)
        form.addRow("Practice populations:", self.populations)
        form.addRow("", self.columns_note)
        self.columns_note.hide()  # shown once a population file's columns are chosen
        form.addRow("Population year:", self.population_year)
        self._form = form
        self._show_year(False)  # shown for a file that does not say its year
        form.addRow("PCN membership:", self.membership)
        form.addRow("Adjusted population, beds:", self.measures)
        form.addRow("Save as:", self.target)
        note = QLabel(
            "The book gets the national PCN DES and core contract lines for its years. The files "
            "are optional: the practices, sub-ICB locations and PCNs come from NHS England's "
            "population file and the membership file; anything refused is named and nothing is "
            "left half-built."
        )
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = ok_cancel(self, "Build the book", accept=self._accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 0)

    def plan(self) -> NewBookPlan:
        """The choices as a plan for io.new_book (checked there)."""
        target = self.target.path()
        return NewBookPlan(
            path=target if target is not None else Path(),
            code=self.code.text().strip().upper(),
            name=self.name.text().strip(),
            first_year=self.first_year.currentText(),
            years=self.years.value(),
            populations=self.populations.path(),
            membership=self.membership.path(),
            measures=self.measures.path(),
            columns=self.columns if self.populations.path() == self.columns_for else None,
            population_year=self.population_year.currentText() if self._year_asked() else None,
        )

    def problem(self) -> str | None:
        """What must be filled in before building, in words (None when ready)."""
        if not self.code.text().strip():
            return "Give the ICB's ODS code."
        target = self.target.path()
        if target is None:
            return "Choose where to save the book."
        if target.suffix.lower() != ".pcbook":
            return "A book's file name ends in .pcbook."
        if target.exists():
            return f"{target.name} already exists: choose a new name."
        return None

    def _choose_columns(self, path: Path) -> bool:
        """Ask which column fills which measure where the file offers a choice; False if the
        user cancelled (the file is then not taken)."""
        asked = ask_columns(self, path)
        if asked is None:
            return False
        chosen, needs_year = asked
        self.columns, self.columns_for = chosen or None, path
        self.columns_note.setText(columns_summary(chosen))
        self.columns_note.setVisible(bool(chosen))
        self._show_year(needs_year)
        return True

    def _columns_still_apply(self) -> None:
        if self.populations.path() != self.columns_for:
            self.columns_note.clear()
            self.columns_note.hide()
            self._show_year(False)

    def _offer_years(self) -> None:
        """The book's years, for a population file that does not say its own."""
        kept = self.population_year.currentText()
        self.population_year.clear()
        self.population_year.addItems(year_run(self.first_year.currentText(), self.years.value()))
        if kept:
            self.population_year.setCurrentText(kept)

    def _show_year(self, shown: bool) -> None:
        self._form.setRowVisible(self.population_year, shown)

    def _year_asked(self) -> bool:
        return self._form.isRowVisible(self.population_year)

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        typed = self.populations.path()
        if typed is not None and typed != self.columns_for and typed.is_file():
            taken = self._choose_columns(typed)  # typed rather than picked: ask now
            if not taken:
                self.error.setText("Choose the population file's columns, or clear the file.")
                return
            if self._year_asked():  # typed, so the year row was not seen yet
                self.error.setText(
                    f"{typed.name} does not say which year it is for: choose its year, then build."
                )
                return
        self.accept()


def build_book(
    app: App,
    plan: NewBookPlan,
    parent: QWidget,
    opened: Callable[[MainWindow], object] | None = None,
) -> QThread:
    """Build on a worker thread behind a progress bar, then open the book and say what was read."""
    from ..io.new_book import build_new_book
    from .file_actions import run_with_progress

    def done(report: Any) -> None:
        window = app.open(report.path, parent)
        if window is None:
            return
        if opened is not None:
            opened(window)
        if report.lines:
            QMessageBox.information(window, "New ICB book", "\n".join(report.lines))

    return run_with_progress(
        parent, "New ICB book", lambda progress: build_new_book(plan, progress), done
    )


def ask_new_book(
    app: App, parent: QWidget, opened: Callable[[MainWindow], object] | None = None
) -> QThread | None:
    """The dialog, then the build (None if the user cancelled)."""
    dialog = NewBookDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return build_book(app, dialog.plan(), parent, opened)
