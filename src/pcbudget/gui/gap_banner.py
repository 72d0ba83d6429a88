"""A banner above the budget naming every line whose rate has nothing to apply to (no silent £0)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ..engine.gaps import missing_populations
from .session import Session


class GapBanner(QLabel):
    """Hidden while every per-head line has a population to apply its rate to."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c060;"
            " padding: 4px 6px; }"
        )
        session.resultsChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, _change: object = None) -> None:
        gaps = missing_populations(self.session.model.results)
        self.setVisible(bool(gaps))
        if not gaps:
            self.setText("")
            return
        shown = gaps[:4]
        more = f"<br>…and {len(gaps) - len(shown)} more lines." if len(gaps) > len(shown) else ""
        items = "<br>".join(f"• {g.sentence()}" for g in shown)
        self.setText(f"<b>These figures cannot be worked out yet:</b><br>{items}{more}")
        self.setToolTip("\n".join(g.sentence() for g in gaps))
