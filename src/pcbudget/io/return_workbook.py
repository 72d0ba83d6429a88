"""The workbook a return is written into: XlsxWriter's, zipped at zlib's fastest level.

XlsxWriter zips a workbook's XML at zlib's default level (6) and has no option for another.
A national return is 33 MB of XML: level 6 takes about 1.4 s of the export to make a 6.4 MB
file, level 1 about 0.3 s for 8.0 MB, and both are plain deflate that Excel, LibreOffice and
openpyxl read alike. The sheets' XML is the same either way; only the zip's bytes differ.
"""

from __future__ import annotations

import threading
import zipfile
from typing import TYPE_CHECKING, Any

import xlsxwriter
import xlsxwriter.workbook

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

#: zlib's fastest level: a fifth of the default level's time for a quarter more bytes.
ZIP_LEVEL = 1
_saving = threading.Lock()  # the zip class below is swapped in for one save at a time


class _FastZip(zipfile.ZipFile):
    """A zip whose members are deflated at ZIP_LEVEL unless a level is asked for: written from
    memory (`writestr`, XlsxWriter's `in_memory`) or from its temporary files (`write`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        level = ZIP_LEVEL if compresslevel is None else compresslevel
        super().writestr(zinfo_or_arcname, data, compress_type, level)


class ReturnWorkbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook, saved into a zip deflated at ZIP_LEVEL.

    XlsxWriter opens its zip through the `ZipFile` name in its `workbook` module; for the one
    call that saves, that name is this module's `_FastZip` (tests/io/test_return_workbook.py
    checks that it still is, and that each member is deflated at ZIP_LEVEL). The name is the
    module's, so another XlsxWriter workbook saved on another thread at that moment is deflated
    at ZIP_LEVEL too (still a valid file)."""

    def _store_workbook(self) -> Any:
        with _saving:
            before = xlsxwriter.workbook.ZipFile
            xlsxwriter.workbook.ZipFile = _FastZip
            try:
                return super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = before
