"""Text from books and files, made safe to print: no formulas in csv, no terminal escapes.

Names and codes come from files anyone can write. A spreadsheet opening pcbudget's csv would
run a cell starting with `=`, `+`, `-` or `@` as a formula (a practice code `@SUM(1)`), so such
text gets a leading apostrophe, as the xlsx export already writes it as text. A terminal would
obey an escape sequence inside a name (clear the screen, retitle the window, hide the rest of a
line), so control characters are shown as `\\u001b`-style escapes wherever the CLI prints.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that make
# text read differently from what it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_text(value: Any) -> Any:
    """A csv cell a spreadsheet will show as text, never run: numbers and other types unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def terminal_text(text: str) -> str:
    """`text` with every control character shown as an escape instead of acted on."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _SafeWriter:
    """csv.writer whose text cells pass through `spreadsheet_text`."""

    def __init__(self, stream: TextIO) -> None:
        self._out = csv.writer(stream, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._out.writerow([spreadsheet_text(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: TextIO) -> _SafeWriter:
    """The csv writer every command printing csv uses."""
    return _SafeWriter(stream)


class TerminalStream:
    """A text stream that escapes control characters in everything written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, isatty, ...
        return getattr(self._stream, name)
