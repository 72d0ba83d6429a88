"""Independent check of a return's formulas: LibreOffice recalculates a copy with every cached
result removed, and each formula's answer is compared with the figure pcbudget wrote.

Used by the tests and `make bench`; needs LibreOffice (`soffice`) on the PATH.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

_CACHED = re.compile(rb"(<c [^>]*>(?:<f>[^<]*</f>|<f [^>]*>[^<]*</f>|<f [^>]*/>))<v>[^<]*</v>")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def strip_cached_results(source: Path, target: Path) -> int:
    """Copy an xlsx with the cached value of every formula cell removed; returns how many."""
    count = 0
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = _CACHED.subn(rb"\1", data)
                count += n
            zout.writestr(item, data)
    return count


@dataclass
class RecalcReport:
    formulas: int
    mismatches: list[tuple[str, str, float, float]]  # sheet, cell, pcbudget, LibreOffice
    seconds: float


def recalculate(path: Path, folder: Path) -> tuple[Path, float]:
    """LibreOffice opens `path` headless, in its own profile, and saves it recalculated."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = folder / "profile"
    out = folder / "out"
    start = time.perf_counter()
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out / path.name, time.perf_counter() - start


def check_return(path: Path, tolerance: float = 0.005) -> RecalcReport:
    """Every formula of the return recalculated by LibreOffice against pcbudget's cached value."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stripped = folder / "stripped.xlsx"
        strip_cached_results(path, stripped)
        recalculated, seconds = recalculate(stripped, folder)
        ours = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
        theirs = openpyxl.load_workbook(recalculated, data_only=True)
        count, bad = 0, []
        for ws in formulas.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        count += 1
                        mine = ours[ws.title][c.coordinate].value
                        lo = theirs[ws.title][c.coordinate].value
                        if (
                            not isinstance(lo, int | float)
                            or abs(float(mine) - float(lo)) > tolerance
                        ):
                            bad.append((ws.title, c.coordinate, mine, lo))
        return RecalcReport(count, bad, seconds)
