"""A place in a layout for a chart made only when it is first needed, so a tab that is never
opened costs start-up nothing for its pyqtgraph plots."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

#: What a pyqtgraph PlotWidget asks for: an empty place asks the same, so splitters and
#: layouts share out the room as they would with the chart in it.
PLOT_SIZE_HINT = QSize(600, 480)

Chart = TypeVar("Chart", bound=QWidget)


class ChartSlot(QWidget):
    """Empty until `place(chart)` (or `chart_or(make)`); then the chart fills it. The compare
    and months panels keep their chart in the slot alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.chart: QWidget | None = None

    def place(self, chart: QWidget) -> None:
        """Put the chart in, shown at once (a widget added to a visible layout would otherwise
        show on the next turn of the event loop, a frame late)."""
        self.chart = chart
        self._layout.addWidget(chart)
        chart.show()

    def chart_or(self, make: Callable[[], Chart]) -> Chart:
        """The chart, made with `make` and placed the first time it is asked for."""
        if self.chart is None:
            self.place(make())
        return cast(Chart, self.chart)  # the one `make` gave, on this call or an earlier one

    def sizeHint(self) -> QSize:
        return PLOT_SIZE_HINT if self.chart is None else self.chart.sizeHint()
