"""Help: the user guide (docs/user-guide.md rendered) and About (version, licence, sources)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from .. import __version__

SOURCES = (
    "Network Contract DES specifications 2019/20 to 2025/26 (NHS England): PCN DES per-head rates.",
    "NHS England 2025/26 income ready reckoner: ARRS sum per weighted patient.",
    "Leicester, Leicestershire and Rutland 2019/20-2023/24 Primary Care Strategy: the sample book.",
    "NHS England practice registered and weighted population files: population imports.",
)


def guide_path() -> Path:
    """docs/user-guide.md beside the package or in the source tree."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here / "docs" / "user-guide.md",
        here.parent.parent / "docs" / "user-guide.md",
    ):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("user-guide.md")


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("pcbudget user guide")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        path = guide_path()
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(900, 760)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About pcbudget")
        text = QLabel(
            f"<h3>pcbudget {__version__}</h3>"
            "<p>Five-year NHS primary care budget planning: budget books, left-shift scenarios, "
            "comparisons and Excel returns.</p><p>Licence: MIT.</p><p><b>Data sources of the rate "
            "catalogue and samples</b></p><ul>"
            + "".join(f"<li>{s}</li>" for s in SOURCES)
            + "</ul>"
            "<p>Rates marked <i>uncertain</i> or <i>assumed</i> in the catalogue are shown "
            "as such.</p>"
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(560, 380)
