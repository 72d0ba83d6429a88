"""A return's sheets read back fast: their values with python-calamine (Rust), and which cells
hold formulas from the sheets' own XML, for the sheets the import needs.

openpyxl parsed a national return at about 20 µs a cell, in Python (defusedxml's parser is
a Python subclass of expat's); calamine reads its values many times faster, but cannot say
whether a cell holds a formula or a typed number, which the import must know (pcbudget's own
formulas are left to the book; a formula typed into an input cell is refused). So the
standard library's C expat parser reports each sheet's formula cells, the only elements it
hands to Python. Nothing is read before `check_xlsx` has vetted the zip, and a part with a
document type declaration (the only place XML entities can be declared) is refused, as
defusedxml would, before calamine or expat reads it.
"""

from __future__ import annotations

import functools
import posixpath
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, XMLParser

from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from ..book.errors import BookError
from .xlsx_layout import col_letter
from .xlsx_safety import check_xlsx

CHUNK = 1 << 16  # bytes of a part fed to expat at a time
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class _Unsafe(Exception):
    """A document type declaration: entities could be declared in it."""


class _Stop(Exception):
    """The part's first element: its prolog held no document type declaration."""


class _Prolog:
    """An expat target that stops at a part's first element, refusing a DOCTYPE before it."""

    def start(self, _tag: str, _attrib: dict[str, str]) -> None:
        raise _Stop

    def doctype(self, *_args: Any) -> None:
        raise _Unsafe


class _Formulas(_Prolog):
    """An expat target noting each formula cell of a sheet by A1 reference. It has only a
    `start`: expat then hands Python nothing else, neither ends nor the values' text."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self._row = 0
        self._ref = ""

    def start(self, tag: str, attrib: dict[str, str]) -> None:  # called for every element
        if tag.endswith("}c"):
            ref = attrib.get("r")
            if ref is None:  # the reference is optional: then the cell follows the one before
                ref = f"{col_letter(_column(self._ref) if self._ref else 0)}{self._row}"
            self._ref = ref
        elif tag.endswith("}f"):
            self.found.add(self._ref)
        elif tag.endswith("}row"):
            self._row = int(attrib.get("r", self._row + 1))
            self._ref = ""


class _FormulaText(_Formulas):
    """The text of one cell's formula, for a message that shows it."""

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.text: list[str] | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        super().start(tag, attrib)
        if tag.endswith("}f") and self._ref == self.ref:
            self.text = []

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        if self.text is not None and tag.endswith("}f"):
            raise _Stop


def _column(ref: str) -> int:
    """'E5' -> 5, the column's number from 1."""
    return _letters(ref.rstrip("0123456789"))


@functools.lru_cache(maxsize=1024)  # a return's few columns, looked up for every cell
def _letters(letters: str) -> int:
    return sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters.upper())))


class Grid:
    """A sheet's values by A1 address (None where empty), and which cells hold formulas."""

    def __init__(self, title: str, rows: list[list[Any]], formulas: set[str]) -> None:
        self.title = title
        # A row without an empty cell is kept as it is: `"" in row` is one C scan, and most of
        # a national sheet's rows are full, so only the rest are copied.
        self.rows = [[None if v == "" else v for v in row] if "" in row else row for row in rows]
        self.formulas = formulas

    def __getitem__(self, ref: str) -> Any:
        """The value at `ref`; the cached value of a formula too (see `formulas`)."""
        letters = ref.rstrip("0123456789")
        return self.value(int(ref[len(letters) :]), letters)

    def value(self, row: int, letters: str) -> Any:
        """The value at sheet row `row` (from 1) in column `letters`, for a caller that has
        split the reference already."""
        col = _letters(letters)
        if row - 1 >= len(self.rows) or col - 1 >= len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][col - 1]


class ReturnWorkbook:
    """A checked workbook whose sheets are read when first asked for."""

    def __init__(self, path: Path) -> None:
        check_xlsx(path)
        self.name = path.name
        self._zip = zipfile.ZipFile(path)
        try:
            for member in self._zip.infolist():
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    self._feed(member.filename, _Prolog())
            self._parts = self._sheet_parts()
            self._book = CalamineWorkbook.from_path(str(path))
        except BookError:
            self.close()
            raise
        except Exception as exc:  # calamine, zip and parse errors: not a usable workbook
            self.close()
            raise BookError(f"{path.name} cannot be read as a workbook ({exc}).") from exc
        self.sheetnames: list[str] = list(self._book.sheet_names)

    def sheet(self, title: str, *, formulas: bool = True) -> Grid:
        """The sheet's values and, unless told not to, its formulas."""
        try:
            rows = self._book.get_sheet_by_name(title).to_python(skip_empty_area=False)
            part = self._parts.get(title) if formulas else None
            found: set[str] = self._feed(part, _Formulas()).found if part else set()
        except BookError:
            raise
        except Exception as exc:
            raise BookError(f"{self.name}: sheet '{title}' cannot be read ({exc}).") from exc
        return Grid(title, rows, found)

    def formula_text(self, title: str, ref: str) -> str:
        """The formula in `title`!`ref`, from '=' (read again: only a refusal shows it)."""
        found = self._feed(self._parts[title], _FormulaText(ref)).text
        return "=" + "".join(found or [])

    def close(self) -> None:
        self._zip.close()

    def _feed(self, part: str, target: Any) -> Any:
        """Parse `part` into `target` with expat, refusing a document type declaration."""
        parser = XMLParser(target=target)
        try:
            with self._zip.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    parser.feed(chunk)
            parser.close()
        except _Stop:
            pass
        except _Unsafe:
            raise BookError(
                f"{self.name} contains XML entity declarations: refused as unsafe."
            ) from None
        except (ParseError, KeyError, zipfile.BadZipFile) as exc:
            raise BookError(f"{self.name} is damaged ({part}: {exc}).") from None
        return target

    def _sheet_parts(self) -> dict[str, str]:
        """Each sheet's name to its part in the zip, from the workbook and its relationships."""
        try:
            book = ElementTree.fromstring(self._zip.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
        except Exception as exc:
            raise BookError(f"{self.name} is damaged or unsafe ({type(exc).__name__}).") from None
        targets = {r.get("Id"): str(r.get("Target", "")) for r in rels}
        parts = {}
        for sheet in book.iter():
            if sheet.tag.rpartition("}")[2] == "sheet":
                target = targets.get(sheet.get(_RELATIONSHIP), "")
                where = target[1:] if target.startswith("/") else posixpath.join("xl", target)
                parts[str(sheet.get("name"))] = posixpath.normpath(where)
        return parts
