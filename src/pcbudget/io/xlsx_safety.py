"""Untrusted workbooks: refuse what is not an xlsx, password-protected or oversized files, zip
bombs and XML entity tricks, before openpyxl reads anything.

openpyxl parses with defusedxml when it is installed (it is a dependency), which refuses
entity declarations; the zip is checked here first so a bomb is never inflated.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from ..book.errors import BookError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # a member may unpack to at most 200 times its packed size
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
            total = 0
            for m in members:
                total += m.file_size
                if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(1, m.compress_size):
                    raise BookError(
                        f"{path.name} unpacks to far more than its size ({m.filename}): refused."
                    )
            if total > MAX_UNPACKED_BYTES:
                raise BookError(f"{path.name} unpacks to {total / 1e9:,.1f} GB: refused.")
    except zipfile.BadZipFile as exc:
        raise BookError(f"{path.name} is damaged ({exc}).") from exc


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
