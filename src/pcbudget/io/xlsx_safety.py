"""Untrusted workbooks: refuse what is not an xlsx, password-protected or oversized files, zip
bombs and XML entity tricks, before openpyxl reads anything.

openpyxl parses with defusedxml when it is installed (it is a dependency), which refuses
entity declarations; the zip is checked here first, from its directory, so a bomb is never
inflated. The directory's sizes can be trusted: zipfile stops a part at its stated size and
then fails its checksum. Besides the ratio, the caps are on what openpyxl would read: the whole
workbook, any one part, and the shared strings, which it holds in memory entire (a
shared-strings bomb under the ratio was once read for 135 s and 2.3 GB). Each is well above any
real workbook pcbudget reads: a population file of England's 6,500 practices, or a return.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import ElementTree

from ..book.errors import BookError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
#: [Content_Types].xml, read to find the shared strings, is a few kilobytes in any workbook.
MAX_TYPES_BYTES = 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # a member may unpack to at most 200 times its packed size
_SHARED_STRINGS = "spreadsheetml.sharedStrings+xml"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls are OLE files


def check_xlsx(path: Path) -> None:
    """Raise BookError naming what is wrong with an untrusted .xlsx file."""
    if not path.is_file():
        raise BookError(f"There is no file {path}.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise BookError(
            f"{path.name} is {size / 1e6:,.0f} MB: too large for a return or population file."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE):
        raise BookError(
            f"{path.name} is password protected or an old .xls: save it as an unprotected .xlsx."
        )
    if not zipfile.is_zipfile(path):
        raise BookError(f"{path.name} is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise BookError(
                    f"{path.name} has {len(members):,} parts: not a workbook pcbudget will open."
                )
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise BookError(f"{path.name} is a zip file but not an Excel workbook.")
            _check_sizes(path.name, archive, members)
    except zipfile.BadZipFile as exc:
        raise BookError(f"{path.name} is damaged ({exc}).") from exc


def _check_sizes(name: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a part packed past the ratio or the caps, or a workbook past the total, in MB."""
    shared = _shared_strings(name, archive)
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(1, m.compress_size):
            raise BookError(f"{name} unpacks to far more than its size ({m.filename}): refused.")
        if m.filename in shared and m.file_size > MAX_SHARED_STRINGS_BYTES:
            raise BookError(
                f"{name} holds {_mb(m.file_size)} of shared text ({m.filename}); the most"
                f" pcbudget reads is {_mb(MAX_SHARED_STRINGS_BYTES)}: refused."
            )
        if m.file_size > MAX_PART_BYTES:
            raise BookError(
                f"{name} has a part of {_mb(m.file_size)} ({m.filename}); the most pcbudget"
                f" reads is {_mb(MAX_PART_BYTES)}: refused."
            )
    if total > MAX_UNPACKED_BYTES:
        raise BookError(
            f"{name} unpacks to {_mb(total)}; the most pcbudget reads is"
            f" {_mb(MAX_UNPACKED_BYTES)}: refused."
        )


def _shared_strings(name: str, archive: zipfile.ZipFile) -> set[str]:
    """The parts openpyxl would read as shared strings: the usual one, and any the content
    types name (openpyxl finds them there, whatever they are called)."""
    types = archive.getinfo("[Content_Types].xml")
    if types.file_size > MAX_TYPES_BYTES:
        raise BookError(f"{name} has a [Content_Types].xml of {_mb(types.file_size)}: refused.")
    try:
        root = ElementTree.fromstring(archive.read(types))
    except Exception as exc:  # defusedxml's refusals and parse errors alike
        raise BookError(f"{name} is damaged or unsafe ({type(exc).__name__}).") from None
    named = {
        str(e.get("PartName", "")).lstrip("/")
        for e in root.iter()
        if str(e.get("ContentType", "")).endswith(_SHARED_STRINGS)
    }
    return {"xl/sharedStrings.xml", *named}


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def load_xlsx(path: str | Path, **options: Any) -> Any:
    """openpyxl's workbook of a checked file; anything hostile or broken becomes a BookError."""
    target = Path(path)
    check_xlsx(target)
    try:
        return openpyxl.load_workbook(target, **options)
    except BookError:
        raise
    except Exception as exc:  # defusedxml, zip and parse errors all mean: not a usable workbook
        kind = type(exc).__name__
        cause: BaseException | None = exc
        while cause is not None:  # openpyxl wraps defusedxml's refusal in a ValueError
            if (
                type(cause).__module__.startswith("defusedxml")
                or "Forbidden" in type(cause).__name__
            ):
                raise BookError(
                    f"{target.name} contains XML entity declarations: refused as unsafe."
                ) from exc
            cause = cause.__cause__ or cause.__context__
        raise BookError(f"{target.name} cannot be read as a workbook ({kind}: {exc}).") from exc
