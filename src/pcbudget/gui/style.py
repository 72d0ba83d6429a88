"""Cell colours and fonts shared by every grid: tints that read on light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from ..engine.cell_status import CALCULATED, ENTERED_CELL, NOT_HELD, OVERRIDDEN

#: Translucent tints so the system palette (light or dark) shows through.
STATUS_TINT = {
    ENTERED_CELL: QColor(255, 214, 0, 70),  # yellow: typed input (NHS template convention)
    OVERRIDDEN: QColor(255, 140, 0, 90),  # orange: a calculated cell overridden
    CALCULATED: QColor(0, 0, 0, 0),
    NOT_HELD: QColor(0, 0, 0, 0),
}
TOTAL_TINT = QColor(120, 130, 150, 55)
SCENARIO_TINT = QColor(150, 90, 230, 80)  # purple: set in the active scenario, not the baseline
NEGATIVE = QColor(200, 30, 30)
HEADROOM_SHORT = QColor(220, 0, 0, 80)
PROJECTED_TEXT = QColor(110, 110, 110)
ASSUMED_TINT = QColor(0, 150, 200, 60)  # teal: calculated on a rate not yet confirmed
OVERSPEND = QColor(220, 0, 0, 70)  # variance view: forecast above plan
UNDERSPEND = QColor(0, 160, 60, 70)  # variance view: forecast below plan

LEGEND = (
    ("Entered", STATUS_TINT[ENTERED_CELL], "typed or imported input"),
    ("Overridden", STATUS_TINT[OVERRIDDEN], "a calculated cell with a typed value; Delete reverts"),
    ("Scenario", SCENARIO_TINT, "set in the active scenario; the baseline is unchanged"),
    ("Calculated", None, "rate x population, uplift or balance"),
    ("Assumed rate", ASSUMED_TINT, "on a rate carried forward, provisional or uncertain"),
    ("Total", TOTAL_TINT, "sums: never typed"),
)


def bold(font: QFont | None = None) -> QFont:
    f = QFont(font) if font is not None else QFont()
    f.setBold(True)
    return f


def italic() -> QFont:
    f = QFont()
    f.setItalic(True)
    return f
