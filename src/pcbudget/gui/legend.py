"""The colour key under the budget grid: what each cell tint means."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from .style import LEGEND


def legend_widget() -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(4, 0, 4, 0)
    for name, colour, meaning in LEGEND:
        swatch = QLabel(f" {name} ")
        style = (
            f"background: rgba({colour.red()},{colour.green()},{colour.blue()},{colour.alpha()});"
            if colour
            else ""
        )
        swatch.setStyleSheet(style + "border: 1px solid palette(mid); border-radius: 3px;")
        swatch.setToolTip(meaning)
        swatch.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row.addWidget(swatch)
    hint = QLabel(
        "Negative amounts in (brackets) and red; hover a cell to see how it was worked out."
    )
    hint.setWordWrap(True)  # wraps in a small window rather than setting its minimum width
    row.addWidget(hint, 1)
    row.addStretch(1)
    return box
