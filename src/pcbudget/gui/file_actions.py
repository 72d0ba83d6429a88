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
    QDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from ..book import BookError
from ..book.operations import labelled
from .file_dialogs import ask_open_file, ask_save_file, safe_file_name
from .return_dialogs import ExportDialog, ReturnDialog

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
        window: QWidget,
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
    window: QWidget,
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
    # The worker is not deleted on its own thread (deleteLater there): its wrapper's teardown
    # takes the GIL while Qt holds a connection lock, and the main thread, holding the GIL,
    # may be making a connection at that moment (a dialog built in `done`): a deadlock. It is
    # dropped in the main thread when the next job replaces it, its thread long finished.
    thread.start()
    window._worker = (thread, worker, relay)  # type: ignore[attr-defined]  # kept alive until done
    return thread


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
        if window.session.read_only:  # asked nothing, then refused: say so on the menu instead
            for action in (self.populations_action, self.pcns_action):
                action.setEnabled(False)
                action.setStatusTip("This book is open read-only: imports would change it.")

    def actions(self) -> list[QAction]:
        return [self.export_action, self.import_action, self.populations_action, self.pcns_action]

    # -- export ----------------------------------------------------------------------------
    def ask_export(self) -> None:
        """Name the scenario (and any comparison), then where to save the return."""
        session = self.window.session
        scenarios = [sc.name for sc in session.structure.scenarios]
        org = session.structure.org(self.window.org_code)
        chooser = ExportDialog(
            scenarios, session.scenario, self.window.compare.chosen(), f"{org.code} {org.name}"
        )
        chooser.setParent(self.window, chooser.windowFlags())
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = chooser.scenarios()
        stem = session.book.path.stem
        if chosen[0].lower() != "baseline":
            stem += f" - {safe_file_name(chosen[0])}"
        path = ask_save_file(
            self.window, "Export return", f"{stem}.xlsx", "Excel workbooks (*.xlsx)"
        )
        if path:
            self.export(path, chosen)

    def export(self, path: str, scenarios: list[str]) -> QThread:
        from ..io.excel_return import export_return

        session, org = self.window.session, self.window.org_code

        def done(summary: Any) -> None:
            self.window.statusBar().showMessage(
                f"Exported {Path(path).name} (scenario {summary.scenario}): "
                f"{len(summary.sheets)} sheets, "
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
        self,
        path: str,
        *,
        scenario: str | None = None,
        confirm: Callable[[ReturnDialog], bool] | None = None,
    ) -> QThread:
        """Read a return on a worker, show its edits (conflicts unticked), apply those ticked."""
        from ..io.return_import import apply_return, read_return  # openpyxl: only when asked

        session = self.window.session

        def done(edits: Any) -> None:
            name = Path(path).name
            if not edits:
                QMessageBox.information(
                    self.window,
                    "Import return",
                    f"{name} holds nothing new for scenario '{edits.scenario}' of this book.",
                )
                return
            scenarios = [sc.name for sc in session.structure.scenarios]
            s = session.structure
            labels = {ln.code: ln.name for ln in s.lines}
            labels |= {bt.code: f"Allocation ({bt.name})" for bt in s.budget_types}
            dialog = ReturnDialog(edits, scenarios, name, self.window, labels)
            accepted = confirm(dialog) if confirm else dialog.exec() == QDialog.DialogCode.Accepted
            if dialog.rescope is not None:
                self.import_return(path, scenario=dialog.rescope, confirm=confirm)
                return
            if not accepted or not dialog.chosen():
                return
            try:
                with labelled(session.book, f"Import return {name} into {edits.scenario}"):
                    change = apply_return(session.book, dialog.chosen(), overrides=True, force=True)
            except BookError as exc:
                QMessageBox.warning(self.window, "Import return", str(exc))
                return
            if change is not None:
                session.reload()

        return run_with_progress(
            self.window,
            "Import return",
            lambda p: read_return(session.book, path, scenario=scenario),
            done,
        )

    # -- import populations ----------------------------------------------------------------------
    def ask_import_populations(self) -> QThread | None:
        """Pick the file, choose its columns where it offers a choice, then import (None if
        the user cancelled either)."""
        from .column_dialog import ask_columns

        path = ask_open_file(
            self.window,
            "Import populations (NHS England file, or org_code,measure,year,value)",
            "Population files (*.csv *.xlsx)",
        )
        if not path:
            return None
        asked = ask_columns(self.window, path)
        if asked is None:
            return None
        columns, needs_year = asked
        year = self._ask_year(path) if needs_year else None
        if year == "":
            return None
        return self.import_populations(path, columns=columns or None, year=year)

    def _ask_year(self, path: str) -> str:
        """The year of a file that does not say it, asked (as --year is on the command line);
        '' if the user cancelled."""
        years = self.window.session.structure.years
        year, ok = QInputDialog.getItem(
            self.window,
            "Import populations",
            f"{Path(path).name} does not say which year its figures are for.\nYear:",
            years,
            0,
            False,
        )
        return year if ok and year else ""

    def import_populations(
        self, path: str, *, columns: dict[str, str] | None = None, year: str | None = None
    ) -> QThread:
        """An NHS England practice file (each measure from `columns` where given, as the
        command line's --column; `year` where the file does not say it), or a plain
        `org_code,measure,year,value` csv."""
        from ..io.population_import import import_population_file

        session = self.window.session

        def job(p: Callable[[float, str], None]) -> Any:
            return import_population_file(
                session.book, path, columns=columns, year=year, progress=p
            )

        def done(report: Any) -> None:
            self.window.structure_changed()
            QMessageBox.information(self.window, "Import populations", "\n".join(report.lines()))

        return run_with_progress(
            self.window,
            "Import populations",
            job,
            done,
        )

    # -- import PCN membership -------------------------------------------------------------------
    def ask_import_pcns(self) -> None:
        path = ask_open_file(
            self.window,
            "Import PCN membership (NHS Payments, ePCN, or practice_code,pcn_code)",
            "Membership files (*.csv *.xlsx)",
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
