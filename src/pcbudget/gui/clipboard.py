"""Tab-separated rectangles, as Excel puts them on the clipboard and takes them back."""

from __future__ import annotations


def to_tsv(rows: list[list[str]]) -> str:
    """Rows of cell texts as Excel's clipboard text (tabs between cells, CRLF after rows)."""
    return "".join("\t".join(row) + "\r\n" for row in rows)


def from_tsv(text: str) -> list[list[str]]:
    """Excel's clipboard text back into rows of cell texts (a trailing newline is not a row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]
