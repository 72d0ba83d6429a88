"""File dialogs start in the user's Documents folder, then in the last folder they used
(not the hidden app-data folder where the sample lives, nor the program's folder).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog

from pcbudget.gui.app import App
from pcbudget.gui.file_dialogs import documents_folder
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.return_dialogs import ExportDialog


class Dialogs:
    """Stands in for QFileDialog: records where each dialog started, answers with `answer`."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.started: list[tuple[str, str]] = []
        self.answer = ""
        for name in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, name, staticmethod(self._ask))
        # The export's scenario question is answered with its default (the current scenario).
        monkeypatch.setattr(ExportDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)

    def _ask(self, _parent, title, start, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        self.started.append((title, start))
        return self.answer, ""


def test_dialogs_start_in_documents_then_in_the_last_folder(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialogs = Dialogs(monkeypatch)
    docs = documents_folder()
    window.file_actions.export_action.trigger()
    assert dialogs.started[-1] == ("Export return", str(docs / "llr.xlsx"))
    assert Path(dialogs.started[-1][1]).parent != window.session.book.path.parent
    App().ask_open(window)
    assert dialogs.started[-1] == ("Open a budget book", str(docs))
    # The user picks a folder of their own; every dialog starts there from now on.
    folder = tmp_path / "Budgets 2026"
    folder.mkdir()
    dialogs.answer = str(folder / "board.xlsx")
    window.file_actions.export_action.trigger()
    qtbot.waitUntil(lambda: (folder / "board.xlsx").exists(), timeout=30000)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=30000)
    dialogs.answer = ""
    window.file_actions.import_action.trigger()
    assert dialogs.started[-1] == ("Import return", str(folder))
    App().new_from_sample(window)
    assert dialogs.started[-1] == ("New book from the LLR sample", str(folder / "LLR.pcbook"))
    window.save_chart()
    assert dialogs.started[-1] == ("Save chart", str(folder / "chart.png"))
