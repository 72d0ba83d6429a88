"""The budget year in the app: the Plan / Actual / Forecast / Variance switch over the budget
grid, and the Months tab (a line's month grid, the cumulative plan-against-actual chart, and
the organisations ranked by variance), with File > Import Actuals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..book.money import format_money
from ..book.operations import Change
from ..book.phasing import MONTH_NAMES, MONTHS, load_phasing, set_phasing
from ..engine.children import children
from ..engine.months import YearMonths
from ..io.budget_year import year_months
from .budget_model import BudgetModel
from .chart_slot import ChartSlot
from .file_dialogs import ask_open_file
from .session import Session
from .style import OVERSPEND, UNDERSPEND

if TYPE_CHECKING:
    from ..io.actuals_ledger import LedgerImport

VIEW_NAMES = {"Plan": "plan", "Actual": "actual", "Forecast": "forecast", "Variance": "variance"}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ViewSwitch(QWidget):
    """Plan / Actual / Forecast / Variance over the budget grid, and the month actuals run to."""

    def __init__(self, model: BudgetModel, grid: QTableView | None = None) -> None:
        super().__init__()
        self.model, self.grid = model, grid
        self.view = QComboBox()
        self.view.addItems(list(VIEW_NAMES))
        self.month = QComboBox()
        self.month.addItem("latest month", None)
        for i, (code, name) in enumerate(zip(MONTHS, MONTH_NAMES, strict=True), start=1):
            self.month.addItem(f"{code} ({name})", i)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Show:"))
        row.addWidget(self.view)
        row.addWidget(QLabel("actuals to:"))
        row.addWidget(self.month)
        row.addStretch(1)
        self.view.currentTextChanged.connect(lambda _t: self.apply())
        self.month.currentIndexChanged.connect(lambda _i: self.apply())

    def apply(self) -> None:
        view = VIEW_NAMES[self.view.currentText()]
        self.model.set_view(view, self.month.currentData())
        if self.grid is not None and view == "variance":  # room for the percentages
            self.grid.resizeColumnsToContents()


class MonthsPanel(QWidget):
    """One year by month for the chosen organisation and line (or all lines)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.org = 0
        self.line = QComboBox()
        self.year = QComboBox()
        self.import_button = QPushButton("Import Actuals…")
        self.import_button.clicked.connect(lambda: self.ask_import())
        self.status = QLabel()
        top = QHBoxLayout()
        for widget in (QLabel("Line:"), self.line, QLabel("Year:"), self.year):
            top.addWidget(widget)
        top.addWidget(self.status, 1)
        top.addWidget(self.import_button)
        # How the chosen line's plan spreads over the months, and how it is forecast.
        self.profile = QLineEdit()
        self.profile.setPlaceholderText("even, actuals, or 12 weights April-March (paste a row)")
        self.method = QComboBox()
        self.method.addItem("forecast: rest of year as phased", "phased")
        self.method.addItem("forecast: year-to-date run rate", "run_rate")
        self.set_profile = QPushButton("Set Profile")
        self.set_profile.clicked.connect(lambda: self.apply_profile())
        phasing = QHBoxLayout()
        phasing.addWidget(QLabel("Month profile:"))
        phasing.addWidget(self.profile, 1)
        phasing.addWidget(self.method)
        phasing.addWidget(self.set_profile)
        self.grid = QTableWidget(4, 13)
        self.grid.setHorizontalHeaderLabels([*MONTHS, "Year"])
        self.grid.setVerticalHeaderLabels(["Plan", "Actual", "Forecast", "Variance"])
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setDefaultSectionSize(88)
        self.grid.setMaximumHeight(170)
        self.chart_slot = ChartSlot()  # the chart, made when first drawn (the tab first shown)
        self.ranking = QTableWidget(0, 4)
        self.ranking.setHorizontalHeaderLabels(
            ["Organisation", "Plan £", "Forecast £", "Variance £"]
        )
        self.ranking.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.chart_slot)
        lower.addWidget(self.ranking)
        lower.setSizes([700, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(phasing)
        layout.addWidget(self.grid)
        layout.addWidget(lower, 1)
        self._fill_choices()
        self.line.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        session.resultsChanged.connect(lambda _c: self.refresh())
        self.refresh()

    def _fill_choices(self) -> None:
        s = self.session.structure
        self.line.blockSignals(True)
        self.line.clear()
        self.line.addItem("All lines", None)
        for ln in s.lines:
            self.line.addItem(ln.name, ln.code)
        self.line.blockSignals(False)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItems(s.years)
        self.year.blockSignals(False)

    def set_org(self, code: str) -> None:
        self.org = self.session.org_index(code)
        self.refresh()

    def year_months(self) -> YearMonths:
        res = self.session.model.results
        return year_months(self.session.book, res, max(0, self.year.currentIndex()))

    def _series(self, ym: YearMonths, what: str) -> np.ndarray:
        """(12,) pence of the chosen line (or all lines) at the chosen organisation."""
        values = getattr(ym, what)[self.org]
        code = self.line.currentData()
        if code is None:
            return values.sum(axis=0)
        return values[self.session.model.snapshot.line_index[self.session.structure.line(code).id]]

    def refresh(self) -> None:
        """Redraw now if the tab shows; otherwise when it is next shown (opening a national
        book does not read a year of actuals it may never look at)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self.draw_now()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", True):
            self.refresh()

    def draw_now(self) -> None:
        self._show_profile()
        ym = self.year_months()
        org = self.session.structure.orgs[self.org]
        self.status.setText(
            f"{org.code}: actuals to M{ym.closed}" if ym.closed else f"{org.code}: no actuals yet"
        )
        plan, actual, forecast = (self._series(ym, k) for k in ("plan", "actual", "forecast"))
        rows = (plan, actual, forecast, forecast - plan)
        for r, values in enumerate(rows):
            for m in range(13):
                value = int(values.sum()) if m == 12 else int(values[m])
                blank = r == 1 and m < 12 and m >= ym.closed
                item = QTableWidgetItem("" if blank else format_money(value, decimals=0))
                item.setTextAlignment(RIGHT)
                if r == 3 and value:
                    item.setBackground(OVERSPEND if value > 0 else UNDERSPEND)
                self.grid.setItem(r, m, item)
        self._draw(ym, plan, actual, forecast)
        self._rank(ym)

    @staticmethod
    def _make_chart() -> pg.PlotWidget:
        """The cumulative plan, forecast and actual chart, made on first use."""
        plot = pg.PlotWidget()
        plot.setBackground(None)
        plot.addLegend()
        plot.setLabel("left", "£k, cumulative")
        plot.getAxis("bottom").setTicks([list(enumerate(MONTHS))])
        return plot

    def _draw(
        self, ym: YearMonths, plan: np.ndarray, actual: np.ndarray, forecast: np.ndarray
    ) -> None:
        plot = self.chart_slot.chart_or(self._make_chart)
        plot.clear()
        x = np.arange(12)
        plot.plot(x, np.cumsum(plan) / 100_000, pen=pg.mkPen("#1f4e9c", width=2), name="Plan")
        plot.plot(
            x,
            np.cumsum(forecast) / 100_000,
            pen=pg.mkPen("#888888", width=2, style=Qt.PenStyle.DashLine),
            name="Forecast",
        )
        if ym.closed:
            done = np.cumsum(actual)[: ym.closed] / 100_000
            plot.plot(
                x[: ym.closed],
                done,
                pen=pg.mkPen("#c0392b", width=3),
                symbol="o",
                symbolBrush="#c0392b",
                name="Actual",
            )

    def _rank(self, ym: YearMonths) -> None:
        """The organisations below the chosen one, largest overspend first."""
        snap = self.session.model.snapshot
        kids = children(snap, self.org, ym.year) or [self.org]  # the budget year's tree
        rows = []
        for k in kids:
            code = self.line.currentData()
            if code is None:
                plan, forecast = ym.plan[k].sum(), ym.forecast[k].sum()
            else:
                li = snap.line_index[self.session.structure.line(code).id]
                plan, forecast = ym.plan[k, li].sum(), ym.forecast[k, li].sum()
            rows.append((snap.structure.orgs[k].code, int(plan), int(forecast)))
        rows.sort(key=lambda r: r[2] - r[1], reverse=True)
        self.ranking.setRowCount(len(rows))
        for i, (code, plan, forecast) in enumerate(rows):
            cells = [
                code,
                *(format_money(v, decimals=0) for v in (plan, forecast, forecast - plan)),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(RIGHT)
                if j == 3 and forecast != plan:
                    item.setBackground(OVERSPEND if forecast > plan else UNDERSPEND)
                self.ranking.setItem(i, j, item)

    def _show_profile(self) -> None:
        code = self.line.currentData()
        self.profile.setEnabled(code is not None)
        self.set_profile.setEnabled(code is not None and not self.session.read_only)
        if code is None:
            self.profile.clear()
            return
        snap = self.session.model.snapshot
        y = max(0, self.year.currentIndex())
        found = load_phasing(self.session.book, snap.chain, y).get(
            self.session.structure.line(code).id
        )
        profile, method = found or ("even", "phased")
        self.profile.setText(profile)
        self.method.setCurrentIndex(max(0, self.method.findData(method)))

    def apply_profile(self) -> bool:
        """Set the chosen line's month profile and forecast method for the year (undoable)."""
        code = self.line.currentData()
        if code is None:
            return False
        year = self.year.currentText()
        text = self.profile.text().replace("\t", ",")
        method = self.method.currentData()
        scenario = self.session.scenario
        return self.session.run(
            f"Phasing {code} {year}",
            lambda: set_phasing(self.session.book, code, year, text, method, scenario=scenario),
        )

    def ask_import(self, path: str | None = None) -> bool:
        """File > Import Actuals: a monthly ledger csv, replacing the months it covers."""
        if path is None:
            path = ask_open_file(
                self, "Import actuals (ledger csv: year,period,org,line,amount)", "CSV (*.csv)"
            )
            if not path:
                return False
        from ..io.actuals_ledger import import_ledger  # the ledger reader: when it is used

        done: list[LedgerImport] = []

        def run() -> Change:
            done.append(import_ledger(self.session.book, path))
            return done[-1].change

        if not self.session.run(f"Import actuals from {Path(path).name}", run):
            return False
        got = done[0]
        spans = ", ".join(f"{y} {m}" for y, m in got.periods)
        total = format_money(got.total_pence)
        self.status.setText(f"Imported {got.cells:,} actuals, £{total}, for {spans}.")
        return True
