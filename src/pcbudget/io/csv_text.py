"""Untrusted csv files: their text, or one line naming the row where a file is not text, and
caps on their size and rows well above any real NHS file.

NHS England publishes UTF-8 with a byte-order mark; files saved by older Excel are Windows-1252
(cp1252). A file with a byte-order mark, or whose bytes before the first one that is not UTF-8
hold UTF-8 letters, is UTF-8 with a damaged byte and is refused; any other is read as cp1252,
where five byte values mean nothing and are refused. A NUL byte is never text: the file is
UTF-16, a database or an image named .csv.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

from ..book.errors import BookError

MAX_CSV_BYTES = 100 * 1024 * 1024
#: Rows a population, PCN membership or payments file may have, besides its header. England has
#: about 6,500 practices and the payments file about 6,700 rows a year; a 1,000,000-row
#: population file once made a 1.18 GB book.
MAX_ROWS = 100_000
_SAVE = "save it from Excel as 'CSV UTF-8' and import that"


def csv_text(path: Path, what: str, max_bytes: int = MAX_CSV_BYTES) -> str:
    """The text of a csv file, for `what` ("a population file"); BookError naming the row of
    the first NUL or undecodable byte, or saying the file is too large."""
    if not path.is_file():
        raise BookError(f"There is no file {path}.")
    size = path.stat().st_size
    if size > max_bytes:
        raise BookError(
            f"{path.name} is {size / 2**20:,.0f} MB: too large for {what}"
            f" (the most is {max_bytes // 2**20} MB)."
        )
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BookError(f"{path.name} is UTF-16 text (Excel's 'Unicode Text'): {_SAVE}.")
    nul = raw.find(b"\x00")
    if nul >= 0:
        row = record_at(raw[:nul].decode("utf-8-sig", errors="replace"))
        raise BookError(f"Row {row} of {path.name} holds a NUL byte, so it is not text: {_SAVE}.")
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[: exc.start]
        if bom or any(b >= 0x80 for b in before):
            raise BookError(
                f"Row {record_at(before.decode('utf-8'))} of {path.name} holds a byte"
                f" (0x{body[exc.start]:02X}) that is not UTF-8 text in a file that is otherwise"
                f" UTF-8: the file is damaged; {_SAVE}."
            ) from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise BookError(
            f"Row {record_at(raw[: exc.start].decode('cp1252'))} of {path.name} holds a byte"
            f" (0x{raw[exc.start]:02X}) that is neither UTF-8 nor Windows-1252 text: {_SAVE}."
        ) from None


def record_at(prefix: str) -> int:
    """The csv record (from 1, as a spreadsheet numbers rows) that the text after `prefix` is
    in; a quoted cell may hold line breaks, so lines are not records."""
    try:
        return sum(1 for _ in csv.reader(io.StringIO(prefix + "x")))
    except csv.Error:  # a cell past the csv module's limit: count lines instead
        return prefix.count("\n") + 1


def too_many_rows(name: str, what: str, limit: int = MAX_ROWS) -> BookError:
    """The error for a file with more rows than `limit` (MAX_ROWS)."""
    return BookError(
        f"{name} has more than {limit:,} rows, more than any real {what} (England has about"
        " 6,500 practices): it was not imported."
    )


def read_csv_table(path: Path, what: str, max_bytes: int, max_rows: int) -> Any:
    """A csv with a header row as a pandas frame of text (headers lower case, spaces single),
    refused in one line if missing, too large, too long or not readable as csv."""
    import pandas as pd

    if not path.is_file():
        raise BookError(f"{path.name}: no such file.")
    if path.stat().st_size > max_bytes:
        raise BookError(f"{path.name} is over {max_bytes // 2**20} MB: is it the right file?")
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", nrows=max_rows + 1
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BookError(f"{path.name} is not a readable csv {what}: {exc}".strip()) from None
    if len(frame) > max_rows:
        raise BookError(f"{path.name} has more than {max_rows:,} rows.")
    frame.columns = [" ".join(str(c).split()).lower() for c in frame.columns]
    return frame


def text_table(text: str, name: str, what: str, *, keep_blank_lines: bool = False) -> Any:
    """The csv `text` of file `name` as a header-less pandas frame of text (row 0 is the
    file's first record), refused in one line if empty, unreadable or over MAX_ROWS rows.
    `keep_blank_lines` keeps blank records so row numbers stay the file's."""
    import pandas as pd

    if not text.strip():
        raise BookError(f"{name} is empty.")
    try:
        table = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=not keep_blank_lines,
            nrows=MAX_ROWS + 2,  # the header and one row too many
        )
    except pd.errors.EmptyDataError:
        raise BookError(f"{name} is empty.") from None
    except (pd.errors.ParserError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise BookError(f"{name} is not a readable csv file ({first}).") from None
    if len(table) > MAX_ROWS + 1:
        raise too_many_rows(name, what, MAX_ROWS)
    # Every cell is text already: with na_filter off a short row's missing cells and a kept
    # blank line are '' (never NaN), and dtype=str is the frame's string dtype.
    return table


def header_words(header: object) -> str:
    """A header as the readers compare it: lower case, BOM dropped, underscores and every
    whitespace run (line breaks too) one space."""
    import re

    text = str(header or "").replace("\ufeff", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().lower()
