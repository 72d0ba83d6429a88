"""A return's notes: the assumptions behind its figures and the About sheet (book, version,
scenarios, who exported it and when)."""

from __future__ import annotations

from datetime import UTC, datetime

from .. import __version__
from ..book.lock import current_user
from ..book.schema import MEASURES, RATED_BASES
from ..book.store import Book
from ..book.versions import list_versions
from ..engine.compute import Results
from .population_columns import MEASURE_WORDS
from .return_writer import (
    FIRST_DATA_ROW,
    ReturnWriter,
    book_identity,
)
from .xlsx_layout import LINE_HEIGHT, safe_text, wrapped_lines

SOURCE_WIDTH = 70  # characters: the Assumptions sheet's source of each rate, wrapped
ABOUT_WIDTH = 80  # characters: the About sheet's text column, a portrait page's width


def assumptions_sheet(w: ReturnWriter, res: Results, org: int) -> str:
    s = w.structure
    snap = res.snapshot
    years = s.years
    ws, name = w.new_sheet("Assumptions")
    w.header(
        ws,
        "Assumptions",
        "Rates, uplifts and growth, with sources (populations: the Populations sheet).",
        ["What", "Organisation or line", "Measure", "Source or status", *years],
        4,
        (14, 40, 12, SOURCE_WIDTH, 14),
    )
    r = FIRST_DATA_ROW
    for li, line in enumerate(s.lines):
        if line.basis in RATED_BASES:
            share = line.basis == "allocation_share"  # a share reads as a percentage
            _, _, source, confidence = snap.rate_rows.get((li, 0), (None, None, "", ""))
            told = safe_text(f"{source or ''} ({confidence or 'no confidence given'})".strip())
            for what, arr, fmt in (
                ("Share" if share else "Rate £", snap.rate, "input_pct" if share else "input_rate"),
                ("Months", snap.months, "input_rate"),
            ):
                ws.write_string(r, 0, what, w.formats["label"])
                ws.write_string(r, 1, safe_text(f"{line.code} {line.name}"), w.formats["label"])
                ws.write_string(r, 2, line.measure or "of allocation", w.formats["code"])
                w.wrapped(ws, r, 3, told, "note", SOURCE_WIDTH)
                for y in range(len(years)):
                    ws.write_number(r, 4 + y, float(arr[li, y]), w.formats[fmt])
                r += 1
        elif line.basis == "uplift":
            ws.write_string(r, 0, "Uplift", w.formats["label"])
            ws.write_string(r, 1, safe_text(f"{line.code} {line.name}"), w.formats["label"])
            for y in range(len(years)):
                ws.write_number(r, 4 + y, float(snap.uplift[li, y]), w.formats["input_pct"])
            r += 1
    for m, measure in enumerate(MEASURES):
        ws.write_string(r, 0, "Growth", w.formats["label"])
        ws.write_string(r, 1, "Book-wide (organisations may differ)", w.formats["label"])
        ws.write_string(r, 2, MEASURE_WORDS[measure], w.formats["code"])
        ws.write_number(r, 4, float(snap.book_growth[m]), w.formats["input_pct"])
        r += 1
    return name


def about_sheet(w: ReturnWriter, book: Book, scenarios: list[str], org: str) -> None:
    ws, _ = w.new_sheet("About")
    versions = list_versions(book)
    rows = [
        ("Book", book.meta("name")),
        ("File", book.path.name),
        ("Organisation", org),
        ("Scenarios", ", ".join(scenarios)),
        ("Latest version", versions[-1].name if versions else "(none marked)"),
        ("Exported at (UTC)", datetime.now(UTC).isoformat(timespec="seconds")),
        ("Exported by", current_user()),
        ("pcbudget version", __version__),
        ("Book identity", book_identity(book)),
        (
            "Editing",
            "Change yellow cells only; totals are formulas. Import the return with "
            "`pcbudget import-return` (or File > Import Return) to take edits back.",
        ),
    ]
    # One page wide, portrait; each value wrapped in its row, so a paragraph reads whole.
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, ABOUT_WIDTH)
    w.print_setup(ws, landscape=False)
    for r, (k, v) in enumerate(rows):
        text = safe_text(v)
        ws.write_string(r, 0, k, w.formats["about_label"])
        ws.write_string(r, 1, text, w.formats["about_text"])
        lines = wrapped_lines(text, ABOUT_WIDTH)
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines)
