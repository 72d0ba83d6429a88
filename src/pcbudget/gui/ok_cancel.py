"""The OK and Cancel buttons every pcbudget dialog ends with, made in one place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox


def ok_cancel(
    dialog: QDialog, ok_text: str | None = None, accept: Callable[[], object] | None = None
) -> QDialogButtonBox:
    """OK (named `ok_text` where given) runs `accept` (the dialog's own by default); Cancel
    rejects the dialog."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
