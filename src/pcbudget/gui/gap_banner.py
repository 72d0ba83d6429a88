"""A banner above the budget naming every line whose rate has nothing to apply to (no silent £0)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ..book.errors import BookError
from ..book.operations import Change
from ..book.organisations import set_line_level
from ..engine.gaps import missing_populations
from .session import Session


class GapBanner(QLabel):
    """Hidden while every per-head line the organisation shown holds (itself or below it) has a
    population to apply its rate to; the book's top organisation shows the whole book's."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c060;"
            " padding: 4px 6px; }"
        )
        self.pcn_lines: list[str] = []
        self.needs_adjusted = False
        self.org_code: str | None = None  # None: the book's top organisation
        self.setTextFormat(Qt.TextFormat.RichText)
        self.linkActivated.connect(self._take)
        session.resultsChanged.connect(self.refresh)
        self.refresh()

    def set_org(self, code: str) -> None:
        """Show the gaps of the organisation chosen: a line reads £0 there when nothing under
        it has a population, even where the rest of the book has one."""
        self.org_code = code
        self.refresh()

    def refresh(self, _change: object = None) -> None:
        results = self.session.model.results
        org = self._org()
        gaps = missing_populations(results, org=org)
        self.setVisible(bool(gaps))
        if not gaps:
            self.setText("")
            return
        shown = gaps[:4]
        more = f"<br>…and {len(gaps) - len(shown)} more lines." if len(gaps) > len(shown) else ""
        items = "<br>".join(f"• {g.sentence()}" for g in shown)
        # holding a line at practices changes it for the whole book: offered only for the
        # PCN lines the whole book cannot work out, not for one ICB's missing lists
        pcn = [g.line for g in gaps if g.level == "pcn"]
        book_wide = {
            g.line for g in (gaps if org is None or not pcn else missing_populations(results))
        }
        self.pcn_lines = [line for line in pcn if line in book_wide]
        offer = (
            "<br>The PCNs have no population (population files since 2023/24 name no PCNs):"
            " import PCN membership (File menu), or"
            ' <a href="practice">hold these PCN lines at practice level</a>.'
            if self.pcn_lines
            else ""
        )
        kinds = {o.kind for o in self.session.structure.orgs}
        self.needs_adjusted = any(g.measure == "adjusted" and g.level in kinds for g in gaps)
        if self.needs_adjusted:
            offer += (
                "<br>No PCN adjusted population was given: import it (File > Import"
                " Populations, org_code,measure,year,value), or"
                ' <a href="adjusted">estimate it from the weighted list (x 1.00, noted as an'
                " estimate)</a>."
            )
        self.setText(f"<b>These figures cannot be worked out yet:</b><br>{items}{more}{offer}")
        self.setToolTip("\n".join(g.sentence() for g in gaps))

    def _org(self) -> int | None:
        """The position of the organisation shown; None for the whole book (none chosen, or
        one an undo has just removed: the window then chooses the top)."""
        if self.org_code is None or self.org_code == self.session.structure.root.code:
            return None  # the whole book: looked at once, not a second time for its top
        try:
            return self.session.org_index(self.org_code)
        except BookError:
            return None

    def _take(self, link: str) -> None:
        if link == "practice":
            self.hold_at_practice()
        elif link == "adjusted":
            self.estimate_adjusted()

    def estimate_adjusted(self) -> bool:
        """The offer taken: the weighted list x 1.00 where no adjusted population was given,
        each figure noted as an estimate (one undoable step)."""
        from ..io.adjusted_estimate import estimate_adjusted

        return self.session.run(
            "Estimate adjusted population",
            lambda: _change_of(estimate_adjusted(self.session.book)),
        )

    def hold_at_practice(self) -> bool:
        """The offer taken: the PCN-level lines with nothing to apply to, held at practices
        instead (one undoable step)."""
        lines = list(self.pcn_lines)
        if not lines:
            return False
        return self.session.run(
            "Hold PCN lines at practice level",
            lambda: set_line_level(self.session.book, lines, "practice"),
        )


def _change_of(done: Any) -> Change:
    if done.change is None:
        raise BookError("Nothing was estimated.")
    return done.change
