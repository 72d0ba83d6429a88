"""Workbooks from anyone: a part that unpacks to far more than any real workbook holds is refused
from the zip's directory, before openpyxl reads a byte of it.

A shared-strings bomb under the ratio limit was once read for 135 s and 2.3 GB. The bombs here
are built small on disk (each repeated piece is compressed once) and are never inflated.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from pcbudget.book import Book, BookError
from pcbudget.io import xlsx_safety
from pcbudget.io.nhs_populations import import_populations
from pcbudget.io.rate_catalogue import new_blank_book

#: (raw deflate data, CRC-32, unpacked size) of one zip member.
Member = tuple[bytes, int, int]
MB = 2**20


def deflated(*pieces: tuple[bytes, int]) -> Member:
    """Each (bytes, times) piece repeated, compressed once (a full flush makes a block stand
    alone, so its compressed bytes can repeat), as one member. Nothing large is held."""
    out, crc, size = [], 0, 0
    for data, times in pieces:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        out.append((packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)) * times)
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    out.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))  # the last block
    return b"".join(out), crc, size


def write_zip(path: Path, members: dict[str, Member]) -> Path:
    """A zip of deflated members, written by hand (zipfile cannot take compressed bytes)."""
    body, central = bytearray(), bytearray()
    for name, (data, crc, size) in members.items():
        raw, offset = name.encode(), len(body)
        body += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(raw), 0
        )
        body += raw + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            *(0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size),
            *(len(raw), 0, 0, 0, 0, 0, offset),
        )
        central += raw
    n = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


SHARED = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
)


def workbook_parts() -> dict[str, Member]:
    """A population workbook's parts, each as a member: openpyxl's, with the header's text in
    shared strings as Excel keeps it (openpyxl writes it in the sheet)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Practice_Code", "PCN_Code", "Population", "Final PMC WP"])
    ws.append(["A81001", "U00001", 4000, 4400])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as archive:
        parts = {m: archive.read(m) for m in archive.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", SHARED + b"</Types>"
    )
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
        b' uniqueCount="1"><si><t>Practice_Code</t></si></sst>'
    )
    sheet = parts["xl/worksheets/sheet1.xml"]
    start = sheet.index(b'<c r="A1"')
    end = sheet.index(b"</c>", start) + 4
    shared_a1 = b'<c r="A1" t="s"><v>0</v></c>'
    parts["xl/worksheets/sheet1.xml"] = sheet[:start] + shared_a1 + sheet[end:]
    return {name: deflated((data, 1)) for name, data in parts.items()}


def compressible(megabytes: int, head: bytes = b"", tail: bytes = b"", item: bytes = b"") -> Member:
    """About `megabytes` MB that pack at about 180:1, under the 200:1 ratio refused on sight."""
    noise = "".join(random.Random(0).choices("bcdefghijklmnopqrstuvwxyz", k=400)).encode()
    piece = item.replace(b"TEXT", b"a" * 65_000 + noise) if item else b"a" * 65_000 + noise
    return deflated((head, 1), (piece, megabytes * MB // len(piece) + 1), (tail, 1))


def shared_strings_bomb(megabytes: int) -> Member:
    return compressible(
        megabytes,
        head=b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        item=b"<si><t>TEXT</t></si>",
        tail=b"</sst>",
    )


@pytest.fixture
def blank(tmp_path: Path) -> Book:
    return new_blank_book(
        tmp_path / "england.pcbook",
        years=["2024/25"],
        name="England",
        root_code="ENG",
        root_name="England",
        rates="national",
    )


def test_the_bomb_is_small_on_disk_and_under_the_ratio_limit(tmp_path: Path) -> None:
    data, _crc, size = shared_strings_bomb(40)
    assert len(data) < 300_000 and size > 40 * MB
    assert size < xlsx_safety.MAX_RATIO * len(data)


def test_a_shared_strings_bomb_is_refused_before_it_is_read(blank: Book, tmp_path: Path) -> None:
    parts = workbook_parts()
    assert "xl/sharedStrings.xml" in parts
    parts["xl/sharedStrings.xml"] = shared_strings_bomb(40)
    path = write_zip(tmp_path / "pops.xlsx", parts)
    assert path.stat().st_size < 400_000
    with pytest.raises(BookError, match=r"pops\.xlsx holds 40 MB of shared text") as caught:
        import_populations(blank, path, year="2024/25")
    assert f"the most pcbudget reads is {xlsx_safety.MAX_SHARED_STRINGS_BYTES // MB} MB" in str(
        caught.value
    )
    assert blank.conn.execute("SELECT count(*) FROM orgs").fetchone()[0] == 1


def test_shared_strings_under_another_name_are_found_from_the_content_types(
    blank: Book, tmp_path: Path
) -> None:
    """openpyxl finds shared strings by their content type, so a renamed part is one too."""
    parts = workbook_parts()
    parts.pop("xl/sharedStrings.xml")
    parts["xl/media/strings.bin"] = shared_strings_bomb(40)
    types, _crc, _size = parts["[Content_Types].xml"]
    text = zlib.decompress(types, -15).replace(b"/xl/sharedStrings.xml", b"/xl/media/strings.bin")
    parts["[Content_Types].xml"] = deflated((text, 1))
    path = write_zip(tmp_path / "pops.xlsx", parts)
    with pytest.raises(BookError, match=r"40 MB of shared text \(xl/media/strings\.bin\)"):
        import_populations(blank, path, year="2024/25")


def test_a_sheet_or_a_workbook_past_the_caps_is_refused(tmp_path: Path) -> None:
    parts = workbook_parts()
    sheet = xlsx_safety.MAX_PART_BYTES // MB + 1
    parts["xl/worksheets/sheet1.xml"] = compressible(sheet)
    with pytest.raises(BookError, match=rf"a part of {sheet} MB \(xl/worksheets/sheet1\.xml\)"):
        xlsx_safety.check_xlsx(write_zip(tmp_path / "big.xlsx", parts))
    parts = workbook_parts()
    count = xlsx_safety.MAX_UNPACKED_BYTES // xlsx_safety.MAX_PART_BYTES + 1
    for i in range(count):  # each sheet under the cap on one part, together past the total
        parts[f"xl/worksheets/sheet{i + 2}.xml"] = compressible(sheet - 2)
    path = write_zip(tmp_path / "bigger.xlsx", parts)
    assert path.stat().st_size < 3 * MB
    with pytest.raises(BookError, match=r"bigger\.xlsx unpacks to [\d,]+ MB; the most"):
        xlsx_safety.check_xlsx(path)


def test_a_real_workbook_still_opens(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "fine.xlsx", workbook_parts())
    wb = xlsx_safety.load_xlsx(path, read_only=True)
    assert next(wb.active.iter_rows(values_only=True))[0] == "Practice_Code"
    wb.close()
