"""Charts beside the grid: spend by section stacked per year against the allocation, or spend
per head. Built once and updated in place from the same results as the grid.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..book.money import format_money, to_pence
from ..book.schema import MEASURES
from .chart_axes import PoundsAxis, YearAxis
from .session import Session

SECTION_COLOURS = ["#1f5fa8", "#2e9b8f", "#8c6bb1", "#e08a1e", "#c0504d", "#6b8e23", "#d4a017"]
SHORT_NAMES = {
    "co_commissioning": "Practice contracts",
    "pcn": "PCN DES",
    "gpfv": "GP Forward View",
    "other_primary_care": "Other primary care",
    "out_of_hours": "Out of hours",
    "prescribing": "Prescribing",
    "left_shift": "Left shift",
}
VIEWS = ("Spend by section", "£ per registered head", "£ per weighted head")


class BudgetChart(QWidget):
    """Stacked bars by section per year, an allocation line, hover values, PNG export."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.org = 0
        self.view = QComboBox()
        self.view.addItems(VIEWS)
        self.save_button = QPushButton("Save as PNG…")
        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addWidget(self.save_button)
        self.plot = pg.PlotWidget(
            axisItems={"left": PoundsAxis("left"), "bottom": YearAxis("bottom")}
        )
        self.plot.setBackground(None)
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.setMouseEnabled(x=False, y=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.allocation = pg.PlotDataItem(
            pen=pg.mkPen("#d62728", width=2),
            symbol="o",
            symbolSize=6,
            symbolBrush="#d62728",
            name="CC allocation",
        )
        self.per_head = pg.PlotDataItem(
            pen=pg.mkPen("#1f5fa8", width=2), symbol="o", symbolSize=6, name="Spend per head"
        )
        self.hover = pg.TextItem(
            anchor=(0, 1), color=QColor(40, 40, 40), fill=QColor(255, 255, 255, 220)
        )
        self.hover.setZValue(10)
        self.hover.hide()
        self.plot.addItem(self.hover)
        self.series: dict[str, np.ndarray] = {}
        self._legend_entries: list[tuple[pg.GraphicsObject, str]] = []
        self._build()
        # Made after the items, so adding them does not fill it: refresh says what it shows.
        self.legend = self.plot.addLegend(offset=(8, 4), labelTextSize="8pt", colCount=2)
        base = self.palette().base().color()  # the theme's own background, light or dark
        base.setAlpha(210)
        self.legend.setBrush(pg.mkBrush(base))
        self.view.currentIndexChanged.connect(lambda _: self.refresh())
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        session.resultsChanged.connect(lambda _: self.refresh())
        self.refresh()

    def _build(self) -> None:
        years = self.session.structure.years
        x = np.arange(len(years))
        for i, section in enumerate(self.session.structure.sections):
            colour = SECTION_COLOURS[i % len(SECTION_COLOURS)]
            bar = pg.BarGraphItem(
                x=x,
                height=np.zeros(len(x)),
                y0=np.zeros(len(x)),
                width=0.6,
                brush=colour,
                pen=pg.mkPen(colour),
                name=section.name,
            )
            self.plot.addItem(bar)
            self.bars[section.code] = bar
        self.plot.addItem(self.allocation)
        self.plot.addItem(self.per_head)
        self.plot.getAxis("bottom").set_years(years)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Two columns of legend need room; a narrow chart stacks them in one, higher up.
        columns = 2 if self.width() >= 380 else 1
        if columns != self.legend.columnCount:
            self.legend.setColumnCount(columns)
            self.refresh()

    def set_org(self, code: str) -> None:
        org = self.session.org_index(code)
        if org == self.org and self.series:  # drawn already; each new result redraws itself
            return
        self.org = org
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the current results (in place: no items are created)."""
        res = self.session.model.results
        snap = res.snapshot
        years = self.session.structure.years
        x = np.arange(len(years))
        spend = res.rolled[self.org]  # (L, Y) pence
        by_section = np.zeros((len(self.session.structure.sections), len(years)), dtype=np.int64)
        np.add.at(by_section, snap.line_section, spend)
        self.series = {
            s.code: by_section[i] / 100 for i, s in enumerate(self.session.structure.sections)
        }
        self.series["total"] = spend.sum(axis=0) / 100
        cc = snap.type_index.get("CC")
        has_alloc = cc is not None and bool(res.alloc_present[self.org, cc].any())
        self.series["allocation"] = (
            res.alloc_rolled[self.org, cc] / 100 if has_alloc else np.zeros(len(x))
        )
        view = self.view.currentIndex()
        stacked = view == 0
        base = np.zeros(len(x))
        for code, bar in self.bars.items():
            height = self.series[code] / 1000 if stacked else np.zeros(len(x))
            shown = stacked and bool(np.any(height))
            bar.setOpts(x=x, height=height, y0=base.copy(), width=0.6)
            bar.setVisible(shown)
            base = base + np.where(height > 0, height, 0)
        self.allocation.setData(x, self.series["allocation"] / 1000)
        self.allocation.setVisible(stacked and has_alloc)
        if not stacked:
            measure = MEASURES.index("registered" if view == 1 else "weighted")
            pop = res.pop[self.org, measure]
            with np.errstate(divide="ignore", invalid="ignore"):
                head = np.where(pop > 0, self.series["total"] / pop, 0.0)
            self.series["per_head"] = np.nan_to_num(head)
            self.per_head.setData(x, self.series["per_head"])
        self.per_head.setVisible(not stacked)
        axis = self.plot.getAxis("left")
        axis.per_unit = 1000 if stacked else 1  # bars are plotted in £k, spend per head in £
        axis.picture = None  # redraw the tick labels in the new unit
        if stacked:  # the ticks say £m; the chooser above says what is plotted
            axis.showLabel(False)
        else:
            self.plot.setLabel("left", "Spend per head")
        entries = [
            (bar, SHORT_NAMES.get(code, self.session.structure.section(code).name))
            for code, bar in self.bars.items()
        ]
        entries += [(item, item.name()) for item in (self.allocation, self.per_head)]
        entries = [(item, name) for item, name in entries if item.isVisible()]
        if entries != self._legend_entries:  # laying out a legend's labels is slow: only anew
            self.legend.clear()
            for item, name in entries:
                self.legend.addItem(item, name)
            self._legend_entries = entries
        top = float(base.max()) if stacked else float(self.series["per_head"].max(initial=0))
        if stacked and has_alloc:
            top = max(top, float(self.series["allocation"].max()) / 1000)
        self.plot.setXRange(-0.6, len(years) - 0.4, padding=0)
        room = 1.45 if self.legend.columnCount == 2 else 1.9  # room above the bars for the legend
        self.plot.setYRange(0, top * room if top > 0 else 1, padding=0)

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(pos):
            self.hover.hide()
            return
        point = vb.mapSceneToView(pos)
        year = int(np.floor(point.x() + 0.5))  # nearest year, not money
        years = self.session.structure.years
        if not 0 <= year < len(years):
            self.hover.hide()
            return
        self.hover.setText(self.hover_text(year))
        self.hover.setPos(point.x(), point.y())
        self.hover.show()

    def hover_text(self, year: int) -> str:
        """What the hover box says for a year: each section, the total and the allocation."""

        def pounds(value: float) -> str:
            return "£" + format_money(to_pence(value), decimals=0)

        lines = [self.session.structure.years[year]]
        for s in self.session.structure.sections:
            value = self.series[s.code][year]
            if value:
                lines.append(f"{s.name}: {pounds(value)}")
        lines.append(f"Total: {pounds(self.series['total'][year])}")
        if self.series["allocation"].any():
            lines.append(f"Allocation: {pounds(self.series['allocation'][year])}")
        return "\n".join(lines)

    def save_png(self, path: str) -> None:
        from pyqtgraph.exporters import ImageExporter  # with its SVG sibling: not at start-up

        exporter = ImageExporter(self.plot.getPlotItem())
        exporter.parameters()["width"] = max(800, self.plot.width())
        exporter.export(path)


__all__ = ["BudgetChart", "Qt"]
