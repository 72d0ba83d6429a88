"""GUI fixtures: settings in a temporary folder, a window on a copy of the sample book."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QMessageBox

from pcbudget.book import open_book
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    qapp.setOrganizationName("pcbudget-tests")
    qapp.setApplicationName("pcbudget-tests")
    # The app keeps the user's own copy of the sample in its data folder: start each test
    # without one, so a copy left by an older build never stands in for this one.
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    for stale in Path(data).glob("*.pcbook"):
        stale.unlink()
    yield


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes are recorded instead of shown (they would block the test)."""
    seen: list[tuple[str, str]] = []
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            staticmethod(lambda _p, title, text, *a, **k: seen.append((title, text))),
        )
    return seen


@pytest.fixture
def window(qtbot, sample_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(open_book(sample_path)))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    win.close()
