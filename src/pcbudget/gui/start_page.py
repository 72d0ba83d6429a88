"""The first window when no book is given: recent books, the sample, a new book, an import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from .app import App


class StartPage(QWidget):
    """Buttons for the common first steps of a planning round."""

    def __init__(self, app: App) -> None:
        super().__init__()
        self.app = app
        self.setWindowTitle("pcbudget")
        title = QLabel(
            "<h2>pcbudget</h2><p>Five-year primary care budgets: plan, model left shift, "
            "compare, and hand in the return.</p>"
        )
        title.setWordWrap(True)
        self.sample = QPushButton("Open the Leicester, Leicestershire && Rutland sample")
        self.new_book = QPushButton(
            "New ICB book: years, NHS England's population file and PCN membership…"
        )
        self.open_other = QPushButton("Open a book…")
        self.guide = QPushButton("Read the user guide")
        self.recent = QListWidget()
        for path in app.recent():
            item = QListWidgetItem(Path(path).name)
            item.setToolTip(path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        for button in (self.sample, self.new_book, self.open_other, self.guide):
            layout.addWidget(button)
        if self.recent.count():
            layout.addWidget(QLabel("Recent books:"))
            layout.addWidget(self.recent)
        self.sample.clicked.connect(lambda: self._then_close(app.open_sample()))
        self.new_book.clicked.connect(lambda: app.new_icb_book(self, self._then_close))
        self.open_other.clicked.connect(lambda: self._then_close(app.ask_open(self)))
        self.guide.clicked.connect(lambda: app.show_guide(self))
        self.recent.itemActivated.connect(
            lambda item: self._then_close(app.open(item.data(Qt.ItemDataRole.UserRole), self))
        )
        self.resize(520, 460)

    def _then_close(self, window: object) -> None:
        if window is not None:
            self.close()
