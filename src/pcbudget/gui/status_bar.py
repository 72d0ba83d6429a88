"""The window's status bar: messages in their own elided label, kept apart from the book's
path, scenario and saved state, so a long refusal never runs into the path.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QStatusBar, QWidget


class ElidedLabel(QLabel):
    """One line of text that ends in '…' when it does not fit; the whole text is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text if text else "")
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 0)
        self.setText(
            self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        )


class StatusBar(QStatusBar):
    """`showMessage` writes to a label of its own (elided, with the full text as its tooltip);
    `add_field` adds the permanent fields on the right, each after a separator."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message_label = ElidedLabel()
        self.message_label.setObjectName("status_message")
        self.addWidget(self.message_label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def add_field(self, label: QLabel) -> None:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.addPermanentWidget(line)
        self.addPermanentWidget(label)

    def showMessage(self, text: str, timeout: int | None = 0) -> None:
        self.message_label.set_full_text(text)
        self.messageChanged.emit(text)
        if timeout:
            self._timer.start(timeout)
        else:
            self._timer.stop()

    def clearMessage(self) -> None:
        self._timer.stop()
        if self.message_label.full_text:
            self.message_label.set_full_text("")
            self.messageChanged.emit("")

    def currentMessage(self) -> str:
        return self.message_label.full_text
