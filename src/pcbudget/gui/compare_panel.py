"""Scenarios side by side: a grid of each scenario's lines by year with variances against the
first, filterable to lines that differ, and a chart of one measure per scenario over the years.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..book.structure import load_scenarios
from ..engine.compare import CompareRow, OrgRow, compare, compare_orgs, net_saving, scenario_results
from .chart_axes import PoundsAxis, YearAxis
from .chart_slot import ChartSlot
from .session import Session
from .style import NEGATIVE, TOTAL_TINT, bold
from .year_grid import YearGridModel

COMPARE_MEASURES = {
    "Total spend": ("all", "total"),
    "Headroom (CC)": ("headroom", "CC"),
    "Primary care investment (left shift)": ("left_shift", "total"),
    "Co-commissioning spend": ("budget_type", "CC"),
    "Net saving (left shift)": ("net_saving", ""),
}
PALETTE = ["#1f5fa8", "#d62728", "#2e9b8f", "#e08a1e", "#8c6bb1", "#6b8e23", "#7f7f7f"]


class CompareModel(YearGridModel):
    """Rows: lines and totals; columns: for each year, each scenario then its variances."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.names: list[str] = []
        self.all_rows: list[CompareRow] = []
        self.rows: list[CompareRow] = []
        self.only_differing = False

    def set_scenarios(self, names: list[str], org: int) -> None:
        self.beginResetModel()
        self.names = names
        base = self.session.model.results if self.session.scenario == "baseline" else None
        self.all_rows = compare(self.session.book.conn, names, org, base) if names else []
        self._filter()
        self.endResetModel()

    def set_only_differing(self, on: bool) -> None:
        self.beginResetModel()
        self.only_differing = on
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.rows = [r for r in self.all_rows if not self.only_differing or r.differs()]

    def per_year(self) -> int:
        return len(self.names) + max(0, len(self.names) - 1)

    def _cell(self, row: CompareRow, col: int) -> tuple[int, bool]:
        """(pence, is a variance) of a column."""
        year, k = divmod(col, self.per_year())
        if k < len(self.names):
            return int(row.values[k, year]), False
        return int(row.variance()[k - len(self.names), year]), True

    def year_header(self, year: int, part: int) -> str:
        if part < len(self.names):
            return f"{self.years[year]}\n{self.names[part]}"
        return f"{self.years[year]}\nvariance: {self.names[part - len(self.names) + 1]}"

    def row_header(self, section: int) -> str:
        row = self.rows[section]
        return ("    " + row.name) if row.kind == "line" else row.name

    def cell(self, r: int, col: int, role: int) -> Any:
        row = self.rows[r]
        pence, variance = self._cell(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.money(pence)
            if variance and pence:
                base = int(row.values[0, col // self.per_year()])
                pct = f" ({pence / base:+.1%})" if base else ""
                return ("+" if pence > 0 else "") + text + pct
            return text
        if role == Qt.ItemDataRole.ForegroundRole:
            return NEGATIVE if pence < 0 else None
        if role == Qt.ItemDataRole.FontRole:
            return bold() if row.kind != "line" or (variance and pence) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return TOTAL_TINT if row.kind != "line" else None
        return None

    def series(self, key: tuple[str, str]) -> np.ndarray:
        """(S, Y) pounds of one row, or zeros where the row does not exist."""
        for r in self.all_rows:
            if (r.section, r.line) == key:
                return r.values / 100
        return np.zeros((len(self.names), len(self.years)))


class OrgCompareModel(YearGridModel):
    """The organisations below the chosen one, under each scenario: £ and £ per head by year."""

    leading = ("Organisation", "Scenario", "Measure")

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.rows: list[OrgRow] = []

    def set_rows(self, rows: list[OrgRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def cell(self, r: int, col: int, role: int) -> Any:
        row = self.rows[r]
        if role == Qt.ItemDataRole.ToolTipRole:
            year = self.year_of(col)
            return None if year is None else row.gap(year)  # why a year has no figure
        if role == Qt.ItemDataRole.DisplayRole:
            year = self.year_of(col)
            if year is None:
                return [row.org, row.scenario, row.measure.replace("_", " ")][col]
            if row.gap(year):
                return "-"  # no figure that year: the tooltip says why
            value = row.values[year]
            if row.measure == "total":
                return self.money(int(value))
            return f"£{float(value):,.2f}"  # £ per head: pence of a pound matter here
        if role == Qt.ItemDataRole.FontRole and row.measure == "total":
            return bold()
        return None


class ComparePanel(QWidget):
    """Choose scenarios; see the grid of variances and a chart of one measure."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.org = 0
        self.choices = QListWidget()
        self.choices.setMaximumWidth(260)
        self.differing = QCheckBox("Only lines that differ")
        self.by_org = QCheckBox("Compare the organisations below instead")
        self.org_model = OrgCompareModel(session)
        self.measure = QComboBox()
        self.measure.addItems(list(COMPARE_MEASURES))
        self.model = CompareModel(session)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setDefaultSectionSize(150)
        self.chart_slot = ChartSlot()  # the chart, made when first drawn (the tab first shown)
        self.curves: list[pg.PlotDataItem] = []
        left = QVBoxLayout()
        left.addWidget(QLabel("Scenarios to compare (first is the base):"))
        left.addWidget(self.choices)
        left.addWidget(self.differing)
        left.addWidget(self.by_org)
        left.addWidget(QLabel("Chart:"))
        left.addWidget(self.measure)
        side = QWidget()
        side.setLayout(left)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart_slot)
        split.setSizes([500, 300])
        layout = QHBoxLayout(self)
        layout.addWidget(side)
        layout.addWidget(split, 1)
        self.refresh_scenarios()
        self.choices.itemChanged.connect(lambda _: self.refresh())
        self.differing.toggled.connect(self.model.set_only_differing)
        self.by_org.toggled.connect(lambda _: self.refresh())
        self.measure.currentIndexChanged.connect(lambda _: self.draw())
        session.resultsChanged.connect(lambda _: self.refresh())
        session.scenarioChanged.connect(lambda _: self.refresh_scenarios())

    def refresh_scenarios(self) -> None:
        """List the book's scenarios, keeping what was ticked, with baseline and the active one."""
        ticked = set(self.chosen()) | {"baseline", self.session.scenario}
        self.choices.blockSignals(True)
        self.choices.clear()
        for scen in load_scenarios(self.session.book.conn):
            item = QListWidgetItem(scen.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if scen.name in ticked else Qt.CheckState.Unchecked
            )
            item.setToolTip(scen.description)
            self.choices.addItem(item)
        self.choices.blockSignals(False)
        self.refresh()

    def chosen(self) -> list[str]:
        return [
            self.choices.item(i).text()
            for i in range(self.choices.count())
            if self.choices.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_org(self, org: int) -> None:
        self.org = org
        self.refresh()

    def refresh(self) -> None:
        """Recompare now if shown; a hidden panel waits until it is shown (edits stay fast)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self.model.set_scenarios(self.chosen(), self.org)
        if self.by_org.isChecked():
            base = self.session.model.results if self.session.scenario == "baseline" else None
            self.org_model.set_rows(
                compare_orgs(self.session.book.conn, self.chosen(), self.org, base)
            )
            self.table.setModel(self.org_model)
        else:
            self.table.setModel(self.model)
        self.draw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", True):
            self.refresh()

    @staticmethod
    def _make_chart() -> pg.PlotWidget:
        """The chart of one measure per scenario, made on first use."""
        plot = pg.PlotWidget(axisItems={"left": PoundsAxis("left"), "bottom": YearAxis("bottom")})
        plot.setBackground(None)
        plot.showGrid(y=True, alpha=0.25)
        plot.addLegend(offset=(8, 4), labelTextSize="8pt")
        return plot

    def draw(self) -> None:
        plot = self.chart_slot.chart_or(self._make_chart)
        key = COMPARE_MEASURES[self.measure.currentText()]
        if key[0] == "net_saving":
            values = (
                np.array(
                    [
                        net_saving(res, self.org) / 100
                        for _, res in scenario_results(self.session.book.conn, self.model.names)
                    ]
                )
                if self.model.names
                else np.zeros((0, 0))
            )
        else:
            values = self.model.series(key)
        x = np.arange(len(self.model.years))
        for curve in self.curves:
            plot.removeItem(curve)
        plot.getPlotItem().legend.clear()
        self.curves = []
        for i, name in enumerate(self.model.names):
            colour = PALETTE[i % len(PALETTE)]
            curve = plot.plot(
                x,
                values[i] / 1000,
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolBrush=colour,
                symbolSize=6,
                name=name,
            )
            self.curves.append(curve)
        plot.getAxis("bottom").set_years(self.model.years)
        plot.setLabel("left", self.measure.currentText())
