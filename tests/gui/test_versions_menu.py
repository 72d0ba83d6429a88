"""Versions menu: mark a version, compare it with now, open it read-only beside the book."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog

from pcbudget.gui.dialogs import VersionDiffDialog
from pcbudget.gui.main_window import MainWindow

from .test_budget_window import row_of


def test_mark_compare_and_open_a_version(qtbot, window: MainWindow, monkeypatch, messages) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *_a, **_k: ("Board draft", True))
    )
    monkeypatch.setattr(
        QInputDialog, "getItem", staticmethod(lambda *_a, **_k: ("Board draft", True))
    )
    versions = window.version_actions
    versions.mark_action.trigger()
    assert "Version 'Board draft' marked" in window.statusBar().currentMessage()
    window.navigator.select("LC")
    model = window.budget_model
    row = row_of(model, "premises")
    assert model.setData(model.index(row, 0), "7,000,000")  # a change after the mark
    shown: list[VersionDiffDialog] = []

    def record(dialog: VersionDiffDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VersionDiffDialog, "exec", record)
    versions.compare_action.trigger()
    assert shown and "Board draft" in shown[0].windowTitle()
    versions.open_action.trigger()
    (old,) = versions.windows
    qtbot.addWidget(old)
    assert "[read-only]" in old.windowTitle()
    old.navigator.select("LC")
    then = old.budget_model
    assert then.index(row_of(then, "premises"), 0).data() != "7,000,000"  # as it was at the mark
    old.close()
