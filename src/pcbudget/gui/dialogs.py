"""Dialogs: unexpected errors with a copyable report, version comparison, legend."""

from __future__ import annotations

import platform
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..book.money import format_money
from ..engine.summary import summary_rows
from .session import Session


class ErrorDialog(QDialog):
    """'Something went wrong' with the report ready to copy; the book is left as it was."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("pcbudget: unexpected error")
        text = QPlainTextEdit(report)
        text.setReadOnly(True)
        copy = QPushButton("Copy report")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "pcbudget met an error it did not expect. Every change reported saved is "
                "in the book; the change in progress was not made. Please send the report "
                "below to whoever supports pcbudget."
            )
        )
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(640, 400)


def error_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    return (
        f"pcbudget {__version__} on Python {platform.python_version()}, {platform.platform()}\n\n"
        + "".join(lines)
    )


def version_differences(now: Session, then: Session, org: int) -> list[tuple[str, str, int, int]]:
    """(row name, year, version value, current value) for every figure that differs."""
    years = now.structure.years
    old = {(r.section, r.line): r for r in summary_rows(then.model.results, org)}
    out = []
    for r in summary_rows(now.model.results, org):
        before = old.get((r.section, r.line))
        for y, year in enumerate(years):
            was = int(before.pence[y]) if before is not None else 0
            if was != int(r.pence[y]):
                out.append((r.name, year, was, int(r.pence[y])))
    return out


class VersionDiffDialog(QDialog):
    """What differs between a named version and now, for the chosen organisation."""

    def __init__(
        self, name: str, rows: list[tuple[str, str, int, int]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Version '{name}' against now")
        table = QTableWidget(len(rows), 5)
        table.setHorizontalHeaderLabels(["Row", "Year", f"'{name}'", "Now", "Difference"])
        for i, (row, year, was, now) in enumerate(rows):
            for j, text in enumerate(
                [
                    row,
                    year,
                    format_money(was, decimals=0),
                    format_money(now, decimals=0),
                    format_money(now - was, decimals=0),
                ]
            ):
                table.setItem(i, j, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(rows)} figures differ." if rows else "Nothing differs."))
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table = table
        self.resize(720, 420)
