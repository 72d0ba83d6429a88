"""The left-shift editor of the active scenario: parameters, results, a bridge from acute saving
to net saving, the cumulative net position, and sensitivity to one parameter.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..book import BookError
from ..book.leftshift_params import POD_FIELDS, set_leftshift
from ..book.money import format_money, to_pence
from ..engine.leftshift import compute_leftshift, pods_of, sensitivity
from ..engine.leftshift_labels import param_label
from ..engine.leftshift_labels import show_value as _show
from .chart_axes import PoundsAxis, YearAxis
from .chart_slot import ChartSlot
from .grid_model import GridModel, Index
from .leftshift_grids import ParamModel, PodParamModel, ResultsModel
from .session import Session
from .sheet_view import SheetView


class LeftShiftPanel(QWidget):
    """Parameters and results of the active scenario's left shift at the chosen organisation."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.org = 0
        self.params: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.mode = QComboBox()
        self.mode.addItems(["bottom_up", "top_down"])
        self.reinvest = QLineEdit()
        self.td_base, self.td_share, self.td_years = QLineEdit(), QLineEdit(), QLineEdit()
        form = QFormLayout()
        form.addRow("Method", self.mode)
        form.addRow("Reinvested share of net saving", self.reinvest)
        form.addRow("Top-down: base (total health spend £)", self.td_base)
        form.addRow("Top-down: share of the base", self.td_share)
        form.addRow("Top-down: years to reach it", self.td_years)
        self.pod_model, self.year_model = PodParamModel(self), ParamModel(self)
        self.pod_view, self.year_view = SheetView(), SheetView()
        self.pod_view.setModel(self.pod_model)
        self.year_view.setModel(self.year_model)
        self.results_model = ResultsModel(session)
        self.results = QTableView()
        self.results.setModel(self.results_model)
        # The charts are built when the panel first shows: a hidden tab's plots cost nothing at
        # start-up. Until then each has an empty place in the layout.
        self.bridge_slot, self.cumulative_slot = ChartSlot(), ChartSlot()
        self.sens_slot = ChartSlot()
        self.bridge_values: dict[str, float] = {}
        self.sens_key = QComboBox()
        self.sens_from, self.sens_to = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.sens_from, 0.0), (self.sens_to, 1.0)):
            box.setRange(0, 10)
            box.setDecimals(3)
            box.setSingleStep(0.05)
            box.setValue(value)
        self.sens_steps = QSpinBox()
        self.sens_steps.setRange(2, 41)
        self.sens_steps.setValue(11)
        run = QPushButton("Run sensitivity")
        run.clicked.connect(self.run_sensitivity)
        self.sens_table = QTableWidget(0, 3)
        self.sens_table.setHorizontalHeaderLabels(
            ["Value", "Net saving (all years)", "Investment (all years)"]
        )

        for view in (self.pod_view, self.year_view):
            view.horizontalHeader().setDefaultSectionSize(108)
        self.year_view.setMaximumHeight(110)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addWidget(self.pod_view, 1)
        sens_box = QWidget()
        sens = QVBoxLayout(sens_box)
        row = QHBoxLayout()
        for w in (
            QLabel("Vary"),
            self.sens_key,
            QLabel("from"),
            self.sens_from,
            QLabel("to"),
            self.sens_to,
            QLabel("steps"),
            self.sens_steps,
            run,
        ):
            row.addWidget(w)
        sens.addLayout(row)
        sens_split = QSplitter(Qt.Orientation.Horizontal)
        sens_split.addWidget(self.sens_slot)
        sens_split.addWidget(self.sens_table)
        sens.addWidget(sens_split, 1)
        self.charts = QTabWidget()
        self.charts.addTab(self.bridge_slot, "Bridge")
        self.charts.addTab(self.cumulative_slot, "Cumulative net")
        self.charts.addTab(sens_box, "Sensitivity")
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.results)
        bottom.addWidget(self.charts)
        bottom.setSizes([620, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.year_view)
        layout.addWidget(bottom, 1)

        self.mode.activated.connect(lambda _: self.set_values({"mode": self.mode.currentText()}))
        for edit, key in (
            (self.reinvest, "reinvest_share"),
            (self.td_base, "top_down.base"),
            (self.td_share, "top_down.share"),
            (self.td_years, "top_down.years"),
        ):
            edit.editingFinished.connect(lambda e=edit, k=key: self._field_done(e, k))
        session.resultsChanged.connect(lambda _: self.refresh())
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.build_charts()

    @property
    def charts_built(self) -> bool:
        """Whether the charts are made (when the tab first shows): the bridge's slot holds one."""
        return self.bridge_slot.chart is not None

    def build_charts(self) -> None:
        """Make the bridge, cumulative and sensitivity charts (once) and draw them."""
        if self.charts_built:
            return
        self.bridge = pg.PlotWidget(
            axisItems={"left": PoundsAxis("left")},
            title="Bridge over all years: acute saving to net saving",
        )
        self.cumulative = pg.PlotWidget(
            axisItems={"left": PoundsAxis("left"), "bottom": YearAxis("bottom")},
            title="Cumulative net position",
        )
        for plot in (self.bridge, self.cumulative):
            plot.setBackground(None)
            plot.showGrid(y=True, alpha=0.25)
        self.bridge_bars = pg.BarGraphItem(
            x=np.arange(4),
            height=np.zeros(4),
            y0=np.zeros(4),
            width=0.6,
            brushes=["#2e9b8f", "#c0504d", "#e08a1e", "#1f5fa8"],
        )
        self.bridge.addItem(self.bridge_bars)
        self.bridge.getAxis("bottom").setTicks(
            [list(enumerate(["Gross", "Primary care", "Double run", "Net"]))]
        )
        self.cumulative_line = self.cumulative.plot(
            pen=pg.mkPen("#1f5fa8", width=2), symbol="o", symbolSize=6
        )
        self.sens_plot = pg.PlotWidget(
            axisItems={"left": PoundsAxis("left")}, title="Sensitivity (all years)"
        )
        self.sens_plot.setBackground(None)
        self.sens_plot.addLegend(offset=(8, 4))
        self.sens_net = self.sens_plot.plot(
            pen=pg.mkPen("#1f5fa8", width=2), symbol="o", symbolSize=5, name="Net saving"
        )
        self.sens_inv = self.sens_plot.plot(
            pen=pg.mkPen("#2e9b8f", width=2), symbol="t", symbolSize=5, name="Investment"
        )
        self.bridge_slot.place(self.bridge)
        self.cumulative_slot.place(self.cumulative)
        self.sens_slot.place(self.sens_plot)
        self._draw_charts()  # the figures the panel shows already

    def editable(self) -> bool:
        return self.session.scenario != "baseline" and not self.session.read_only

    def set_org(self, org: int) -> None:
        self.org = org
        self.refresh()

    def refresh(self) -> None:
        snap = self.session.model.snapshot
        self.params = dict(snap.leftshift.get(self.org, {}))
        s = self.session.structure
        org = s.orgs[self.org]
        self.notes = {k: n for (o, k), n in snap.leftshift_notes.items() if o == self.org}
        if self.session.scenario == "baseline":
            self.title.setText(
                "The baseline has no left shift: choose or create a scenario (Scenario menu) to "
                "model one."
            )
        else:
            self.title.setText(
                f"Left shift in scenario '{self.session.scenario}' at {org.code} {org.name}. "
                "Shares as fractions or %, costs in £. Hover a figure for its note."
            )
        self.mode.setCurrentText(self.params.get("mode", "bottom_up"))
        self.reinvest.setText(_show("reinvest_share", self.params.get("reinvest_share")))
        self.td_base.setText(_show("top_down.base", self.params.get("top_down.base")))
        self.td_share.setText(_show("top_down.share", self.params.get("top_down.share")))
        self.td_years.setText(self.params.get("top_down.years", ""))
        for w in (self.mode, self.reinvest, self.td_base, self.td_share, self.td_years):
            w.setEnabled(self.editable())
        self.pod_model.refresh()
        self.year_model.refresh()
        keys = [
            f"{p}.{f}"
            for p in pods_of(self.params) or ["op_first"]
            for f in POD_FIELDS
            if f in ("reduction", "marginal_share", "share_to_primary_care")
        ]
        current = self.sens_key.currentData()
        self.sens_key.clear()
        for key in [*keys, "reinvest_share", "phasing"]:
            self.sens_key.addItem(
                "Phasing (all years)" if key == "phasing" else param_label(key), key
            )
        if current:
            self.sens_key.setCurrentIndex(max(self.sens_key.findData(current), 0))
        self.draw()

    def result(self):
        return compute_leftshift(self.params, self.session.structure.years)

    def draw(self) -> None:
        res = self._result = self.result()
        self.results_model.show(res)
        t = res.totals
        gross, primary, double = (
            t["gross_saving"].sum(),
            t["primary_cost"].sum(),
            t["double_running"].sum(),
        )
        net = gross - primary - double
        self.bridge_values = {"gross": gross, "primary": primary, "double": double, "net": net}
        if self.charts_built:
            self._draw_charts()

    def _draw_charts(self) -> None:
        """The bridge and cumulative charts of the result shown, once they are made."""
        res, b = self._result, self.bridge_values
        gross, primary, double, net = b["gross"], b["primary"], b["double"], b["net"]
        t = res.totals
        heights = np.array([gross, -primary, -double, net]) / 1000
        y0 = np.array([0, gross, gross - primary, 0]) / 1000
        self.bridge_bars.setOpts(x=np.arange(4), height=heights, y0=y0, width=0.6)
        self.cumulative_line.setData(np.arange(len(res.years)), t["cumulative_net"] / 1000)
        self.cumulative.getAxis("bottom").set_years(res.years)

    def _field_done(self, edit: QLineEdit, key: str) -> None:
        text = edit.text().replace("£", "").replace(",", "").strip()
        if text != _show(key, self.params.get(key)).replace("£", "").replace(",", ""):
            self.set_values({key: text or None})

    def set_values(
        self,
        values: dict[str, str | None],
        index: Index | None = None,
        model: GridModel | None = None,
    ) -> bool:
        """Set parameters through the book as one undoable step; a bad value is refused."""
        if not self.editable():
            self.session.errorRaised.emit(
                "Left-shift parameters belong to a scenario: choose one first."
            )
            return False
        org = self.session.structure.orgs[self.org].code
        try:
            label = f"Left shift {org}: " + ", ".join(
                f"{param_label(k)} {_show(k, v) if v else 'cleared'}" for k, v in values.items()
            )
            change = set_leftshift(
                self.session.book, self.session.scenario, org, values, label=label
            )
        except BookError as exc:
            if index is not None and model is not None:
                return model.refuse(index, str(exc))
            self.session.errorRaised.emit(str(exc))
            return False
        if change.cells:
            self.session.reload()
        return True

    def run_sensitivity(self) -> list[tuple[float, float, float]]:
        lo, hi, n = self.sens_from.value(), self.sens_to.value(), self.sens_steps.value()
        values = [float(v) for v in np.linspace(lo, hi, n)]
        rows = sensitivity(
            self.params, self.session.structure.years, self.sens_key.currentData(), values
        )
        self.sens_table.setRowCount(len(rows))
        for i, (value, net, invest) in enumerate(rows):
            for j, text in enumerate(
                (
                    f"{value:g}",
                    format_money(to_pence(net), decimals=0),
                    format_money(to_pence(invest), decimals=0),
                )
            ):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.sens_table.setItem(i, j, item)
        xs = [r[0] for r in rows]
        self.build_charts()
        self.sens_net.setData(xs, [r[1] / 1000 for r in rows])
        self.sens_inv.setData(xs, [r[2] / 1000 for r in rows])
        return rows
