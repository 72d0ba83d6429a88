"""A return's workbook is zipped at zlib's fastest level and is otherwise XlsxWriter's own."""

from __future__ import annotations

import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.exceptions import FileCreateError

from pcbudget.io.return_workbook import ZIP_LEVEL, ReturnWorkbook


def _write(workbook: xlsxwriter.Workbook) -> None:
    workbook.set_properties({"created": datetime(2024, 4, 1, tzinfo=UTC)})
    sheet = workbook.add_worksheet("Figures")
    for r in range(2000):
        sheet.write_number(r, 0, r * 1.25)
        sheet.write_formula(r, 1, f"=A{r + 1}*2", None, r * 2.5)
    workbook.close()


@pytest.mark.parametrize("in_memory", [True, False])
def test_each_member_is_deflated_at_the_fast_level(tmp_path: Path, in_memory: bool) -> None:
    fast, plain = tmp_path / "fast.xlsx", tmp_path / "plain.xlsx"
    _write(ReturnWorkbook(str(fast), {"in_memory": in_memory}))
    _write(xlsxwriter.Workbook(str(plain), {"in_memory": in_memory}))
    with zipfile.ZipFile(fast) as ours, zipfile.ZipFile(plain) as theirs:
        assert ours.namelist() == theirs.namelist()
        for info in ours.infolist():
            data = ours.read(info)
            assert data == theirs.read(info.filename)  # the same XML
            deflate = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.compress_size == len(deflate.compress(data) + deflate.flush())
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # put back after the save


def test_a_failed_save_puts_xlsxwriter_s_zip_back(tmp_path: Path) -> None:
    workbook = ReturnWorkbook(str(tmp_path / "missing" / "r.xlsx"))
    workbook.add_worksheet()
    with pytest.raises(FileCreateError):
        workbook.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
