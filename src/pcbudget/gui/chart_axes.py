"""Chart axes a finance lead can read: money ticks in £, £k or £m that are always distinct
(never "0, 0, -0"), and year labels that shorten (2019/20 -> 19/20) or thin out rather than
overlap when the chart is narrow.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

_UNITS = ((1_000_000_000, "bn"), (1_000_000, "m"), (1_000, "k"), (1, ""))


def money_ticks(values: list[float], spacing: float, per_unit: float = 1000) -> list[str]:
    """Tick labels for plotted values (in £k when `per_unit` is 1000): one unit for the whole
    axis, chosen by its largest tick, and just enough decimals to tell ticks apart exactly."""
    pounds = [v * per_unit for v in values]
    step = abs(spacing * per_unit) or 1.0
    biggest = max((abs(p) for p in pounds), default=0.0)
    size, suffix = next(((s, x) for s, x in _UNITS if biggest >= s), (1, ""))
    scaled, step = [p / size for p in pounds], step / size
    decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step) - 1e-9))
    while decimals < 3 and any(abs(x - round(x, decimals)) > step * 1e-3 for x in scaled):
        decimals += 1  # e.g. a step of 0.25 needs two places, not one
    labels = []
    for x in scaled:
        text = f"{abs(x):,.{decimals}f}"
        if text.strip("0.,") == "":
            labels.append("£0")
        else:
            labels.append(("-£" if x < 0 else "£") + text + suffix)
    return labels


class PoundsAxis(pg.AxisItem):
    """A money axis; plotted values are in £k unless `per_unit` says otherwise (1 for £)."""

    def __init__(self, *args, per_unit: float = 1000, **kwargs) -> None:
        self.per_unit = per_unit
        super().__init__(*args, **kwargs)

    def tickStrings(self, values, scale, spacing):
        return money_ticks(list(values), spacing * scale, self.per_unit)


def short_year(year: str) -> str:
    """'2019/20' -> '19/20' (a year label that fits a narrow chart)."""
    return year[2:] if len(year) == 7 and year[4] == "/" else year


class YearAxis(pg.AxisItem):
    """A bottom axis with one tick per financial year (x = 0, 1, 2, ...), labelled so that no
    two labels overlap at the chart's current width."""

    def __init__(self, *args, **kwargs) -> None:
        self.years: list[str] = []  # before Qt's first resize event, which reads them
        self.labels: list[str] = []
        super().__init__(*args, **kwargs)

    def set_years(self, years: list[str]) -> None:
        self.years = list(years)
        self._fit()

    def resizeEvent(self, ev=None) -> None:
        super().resizeEvent(ev)
        self._fit()

    def linkedViewChanged(self, view, newRange=None) -> None:
        super().linkedViewChanged(view, newRange)
        self._fit()

    def pixels_per_year(self) -> float:
        view = self.linkedView()
        if view is None:
            return 0.0
        low, high = view.viewRange()[0]
        return self.geometry().width() / (high - low) if high > low else 0.0

    def _fit(self) -> None:
        if not self.years:
            return
        font = self.style.get("tickFont") or self.font()
        metrics = QFontMetrics(font)
        room = self.pixels_per_year()
        gap = metrics.horizontalAdvance("  ")
        full = max(metrics.horizontalAdvance(y) for y in self.years) + gap
        short = [short_year(y) for y in self.years]
        if room <= 0 or room >= full:
            labels = list(self.years)
        else:
            every = max(1, math.ceil((max(map(metrics.horizontalAdvance, short)) + gap) / room))
            labels = [y if i % every == 0 else "" for i, y in enumerate(short)]
        if labels != self.labels:
            self.labels = labels
            self.setTicks([[(i, y) for i, y in enumerate(labels) if y], []])
