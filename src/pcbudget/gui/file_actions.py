"""File menu work that takes time: export a return, take one back, import populations and PCN
membership.

Each runs on one worker thread behind a progress dialog (the window stays responsive and the
book is not touched meanwhile); a refused file is reported in a dialog with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..book import BookError
from ..book.money import format_money
from ..book.operations import labelled
from ..io.return_import import ReturnEdit, apply_return, read_return
from .file_dialogs import ask_open_file, ask_save_file

if TYPE_CHECKING:
    from .main_window import MainWindow


class _Worker(QObject):
    progressed = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Callable[[float, str], None]], Any]) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        try:
            self.finished.emit(self.job(lambda f, m: self.progressed.emit(f, m)))
        except BookError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            self.failed.emit(
                f"Unexpected error ({type(exc).__name__}: {exc}); nothing was changed."
            )


class _Relay(QObject):
    """Lives on the GUI thread, so the worker's signals reach the window there (queued)."""

    def __init__(
        self,
        dialog: QProgressDialog,
        thread: QThread,
        window: MainWindow,
        title: str,
        done: Callable[[Any], None],
    ) -> None:
        super().__init__(window)
        self.dialog, self.worker_thread, self.window, self.title, self.done = (
            dialog,
            thread,
            window,
            title,
            done,
        )

    @Slot(float, str)
    def progressed(self, fraction: float, message: str) -> None:
        self.dialog.setValue(int(fraction * self.dialog.maximum()))
        self.dialog.setLabelText(message)

    @Slot(object)
    def finished(self, result: object) -> None:
        self.dialog.close()
        self.worker_thread.quit()
        self.done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self.dialog.close()
        self.worker_thread.quit()
        QMessageBox.warning(self.window, self.title, message)


def run_with_progress(
    window: MainWindow,
    title: str,
    job: Callable[[Callable[[float, str], None]], Any],
    done: Callable[[Any], None],
) -> QThread:
    """Run `job(progress)` on a worker thread with a modal progress dialog, then `done(result)`."""
    dialog = QProgressDialog(title, "", 0, 100, window)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    thread = QThread(window)
    worker = _Worker(job)
    worker.moveToThread(thread)
    relay = _Relay(dialog, thread, window, title, done)
    thread.started.connect(worker.run)
    worker.progressed.connect(relay.progressed)
    worker.finished.connect(relay.finished)
    worker.failed.connect(relay.failed)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    window._worker = (thread, worker, relay)  # keep them alive until done
    return thread


class ReturnDialog(QDialog):
    """The edits found in a return, to apply as one undoable change."""

    def __init__(self, edits: list[ReturnEdit], parent: MainWindow) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import return")
        self.table = QTableWidget(len(edits), 7)
        self.table.setHorizontalHeaderLabels(
            ["Cell", "Organisation", "Line", "Year", "In the book", "In the return", "Was"]
        )
        for i, e in enumerate(edits):
            for j, text in enumerate(
                (
                    f"{e.sheet}!{e.cell}",
                    e.org,
                    e.target,
                    e.year,
                    format_money(e.old),
                    format_money(e.new),
                    e.status,
                )
            ):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        calculated = sum(e.calculated for e in edits)
        self.overrides = QCheckBox(
            f"Also make the {calculated} changed calculated cell(s) overrides"
        )
        self.overrides.setVisible(calculated > 0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{len(edits)} input cell(s) differ from the book. Totals in the return are "
                "formulas and are ignored."
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(self.overrides)
        layout.addWidget(buttons)
        self.resize(820, 420)


class FileActions:
    """Export Return, Import Return, Import Populations and Import PCN Membership for a window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.export_action = QAction("Export Return…", window)
        self.export_action.setShortcut("Ctrl+E")
        self.export_action.triggered.connect(self.ask_export)
        self.import_action = QAction("Import Return…", window)
        self.import_action.triggered.connect(self.ask_import_return)
        self.populations_action = QAction("Import Populations…", window)
        self.populations_action.triggered.connect(self.ask_import_populations)
        self.pcns_action = QAction("Import PCN Membership…", window)
        self.pcns_action.triggered.connect(self.ask_import_pcns)

    def actions(self) -> list[QAction]:
        return [self.export_action, self.import_action, self.populations_action, self.pcns_action]

    # -- export ----------------------------------------------------------------------------
    def ask_export(self) -> None:
        session = self.window.session
        name = session.book.path.with_suffix(".xlsx").name
        path = ask_save_file(self.window, "Export return", name, "Excel workbooks (*.xlsx)")
        if path:
            self.export(
                path,
                self.window.compare.chosen()
                if len(self.window.compare.chosen()) > 1
                else [session.scenario],
            )

    def export(self, path: str, scenarios: list[str]) -> QThread:
        from ..io.excel_return import export_return

        session, org = self.window.session, self.window.org_code

        def done(summary: Any) -> None:
            self.window.statusBar().showMessage(
                f"Exported {Path(path).name}: {len(summary.sheets)} sheets, "
                f"{summary.formulas:,} formulas.",
                10000,
            )

        return run_with_progress(
            self.window,
            "Export return",
            lambda p: export_return(session.book, path, scenarios=scenarios, org=org, progress=p),
            done,
        )

    # -- import a return ----------------------------------------------------------------------
    def ask_import_return(self) -> None:
        path = ask_open_file(self.window, "Import return", "Excel workbooks (*.xlsx)")
        if path:
            self.import_return(path)

    def import_return(
        self, path: str, *, confirm: Callable[[ReturnDialog], bool] | None = None
    ) -> QThread:
        session = self.window.session

        def done(edits: Any) -> None:
            if not edits:
                QMessageBox.information(
                    self.window, "Import return", "The return holds nothing new for this book."
                )
                return
            dialog = ReturnDialog(edits, self.window)
            accepted = confirm(dialog) if confirm else dialog.exec() == QDialog.DialogCode.Accepted
            if not accepted:
                return
            try:
                with labelled(session.book, f"Import return {Path(path).name}"):
                    change = apply_return(
                        session.book, edits, overrides=dialog.overrides.isChecked()
                    )
            except BookError as exc:
                QMessageBox.warning(self.window, "Import return", str(exc))
                return
            if change is not None:
                session.reload()

        return run_with_progress(
            self.window, "Import return", lambda p: read_return(session.book, path), done
        )

    # -- import populations ----------------------------------------------------------------------
    def ask_import_populations(self) -> None:
        path = ask_open_file(
            self.window, "Import NHS England populations", "Population files (*.csv *.xlsx)"
        )
        if path:
            self.import_populations(path)

    def import_populations(self, path: str) -> QThread:
        from ..io.nhs_populations import import_populations

        session = self.window.session

        def done(report: Any) -> None:
            self.window.structure_changed()
            QMessageBox.information(self.window, "Import populations", "\n".join(report.lines()))

        return run_with_progress(
            self.window,
            "Import populations",
            lambda p: import_populations(session.book, path, progress=p),
            done,
        )

    # -- import PCN membership -------------------------------------------------------------------
    def ask_import_pcns(self) -> None:
        path = ask_open_file(
            self.window,
            "Import PCN membership (NHS Payments to General Practice, or practice_code,pcn_code)",
            "csv files (*.csv)",
        )
        if path:
            self.import_pcns(path)

    def import_pcns(self, path: str) -> QThread:
        from ..io.pcn_membership import import_membership

        session = self.window.session

        def done(report: Any) -> None:
            self.window.structure_changed()
            QMessageBox.information(self.window, "Import PCN membership", "\n".join(report.lines()))

        return run_with_progress(
            self.window,
            "Import PCN membership",
            lambda p: import_membership(session.book, path, progress=p),
            done,
        )
