"""Chart axes read as money (£k/£m ticks, distinct, never "0, 0, -0") and year labels never
overlap, in the window at its default size and in a narrow one.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from pcbudget.gui.chart_axes import YearAxis, money_ticks
from pcbudget.gui.main_window import MainWindow


def shown_ticks(plot: pg.PlotWidget) -> list[str]:
    """The left axis's tick labels for the plot's current range, as pyqtgraph draws them."""
    axis = plot.getAxis("left")
    low, high = plot.getViewBox().viewRange()[1]
    labels: list[str] = []
    for spacing, values in axis.tickValues(low, high, axis.geometry().height()):
        labels += axis.tickStrings(values, 1.0, spacing)
    return labels


def assert_readable(labels: list[str]) -> None:
    assert labels and len(set(labels)) == len(labels), labels
    assert all(label.startswith(("£", "-£")) for label in labels), labels
    assert not any(label in ("-£0", "£-0", "-0", "0") for label in labels), labels


def assert_years_fit(axis: YearAxis) -> None:
    metrics = QFontMetrics(axis.style.get("tickFont") or axis.font())
    room = axis.pixels_per_year()
    shown = [(i, y) for i, y in enumerate(axis.labels) if y]
    assert shown and room > 0
    for (i, a), (j, b) in itertools.pairwise(shown):
        half_widths = (metrics.horizontalAdvance(a) + metrics.horizontalAdvance(b)) / 2
        assert (j - i) * room > half_widths, (a, b, room)


def test_money_ticks_are_distinct_and_readable() -> None:
    assert money_ticks([-0.4, -0.2, 0.0, 0.2, 0.4], 0.2) == ["-£400", "-£200", "£0", "£200", "£400"]
    assert money_ticks([0, 50_000, 100_000], 50_000) == ["£0", "£50m", "£100m"]
    assert money_ticks([0.5, 1.0, 1.5], 0.5) == ["£0.5k", "£1.0k", "£1.5k"]  # one unit per axis
    assert money_ticks([0, 0.25, 0.5], 0.25, per_unit=1) == ["£0", "£0.25", "£0.50"]
    assert money_ticks([100, 200], 100, per_unit=1) == ["£100", "£200"]
    assert money_ticks([-1_500_000, 0], 500_000) == ["-£1.5bn", "£0"]


def test_the_budget_chart_at_the_default_size(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.chart.plot.getAxis("bottom").pixels_per_year() > 0)
    window.grab().save(str(tmp_path / "window.png"))
    labels = shown_ticks(window.chart.plot)
    assert_readable(labels)
    assert any(label.endswith("m") for label in labels)  # LLR spends hundreds of £m a year
    assert_years_fit(window.chart.plot.getAxis("bottom"))
    window.chart.view.setCurrentIndex(1)  # £ per head: pounds, not thousands
    per_head = shown_ticks(window.chart.plot)
    assert_readable(per_head)
    assert not any(label.endswith(("k", "m")) for label in per_head)
    # A narrow chart shortens or thins the year labels instead of overlapping them.
    window.chart.setFixedWidth(240)
    qtbot.waitUntil(lambda: window.chart.plot.getAxis("bottom").labels[0] == "19/20")
    assert_years_fit(window.chart.plot.getAxis("bottom"))


def test_an_empty_left_shift_chart_reads_pound_zero(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.scenario_actions.new("Empty")
    window.tabs.setCurrentWidget(window.leftshift)
    qtbot.waitUntil(lambda: window.leftshift.bridge.getAxis("left").geometry().height() > 0)
    for plot in (window.leftshift.bridge, window.leftshift.cumulative):
        labels = shown_ticks(plot)
        assert_readable(labels)
        assert "£0" in labels
