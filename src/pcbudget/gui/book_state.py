"""What the window remembers per book (in QSettings, keyed by the book's file): the chosen
organisation, the active scenario, the tab, the window's geometry and its panels, so a book
reopens where the user left it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from .main_window import MainWindow


def _group(window: MainWindow) -> str:
    path = str(window.session.book.path.resolve())
    return "books/" + hashlib.sha1(path.encode()).hexdigest()[:16]


def save_state(window: MainWindow) -> None:
    settings = QSettings()
    settings.beginGroup(_group(window))
    settings.setValue("path", str(window.session.book.path))
    settings.setValue("org", window.org_code)
    settings.setValue("scenario", window.session.scenario)
    settings.setValue("tab", window.tabs.tabText(window.tabs.currentIndex()))
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("panels", window.saveState())
    settings.endGroup()


def restore_state(window: MainWindow) -> None:
    """Put the window back as it was when this book was last closed; anything that no longer
    exists (an organisation or scenario since removed) is left at its default."""
    settings = QSettings()
    settings.beginGroup(_group(window))
    org, scenario, tab = (str(settings.value(k, "") or "") for k in ("org", "scenario", "tab"))
    geometry, panels = settings.value("geometry"), settings.value("panels")
    settings.endGroup()
    structure = window.session.structure
    if scenario and scenario in {s.name for s in structure.scenarios}:
        window.scenario_choice.setCurrentText(scenario)  # switches the session too
    if org and org in {o.code for o in structure.orgs}:
        window.navigator.select(org)
        if window.org_code != org:
            window.choose_org(org)
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i) == tab:
            window.tabs.setCurrentIndex(i)
    if isinstance(geometry, QByteArray | bytes):
        window.restoreGeometry(QByteArray(geometry))
    if isinstance(panels, QByteArray | bytes):
        window.restoreState(QByteArray(panels))
