"""Financial year labels ('2019/20'): parsing what people type and naming runs of years."""

from __future__ import annotations

import re

from .errors import BookError

_YEAR = re.compile(r"^\s*(\d{4})\s*[/\-_]?\s*(\d{2}|\d{4})?\s*$")


def normalise_year(text: str) -> str:
    """'2019/20', '2019-20', '2019/2020', '201920' or '2019' -> '2019/20'."""
    match = _YEAR.match(str(text))
    if match is None:
        raise BookError(f"'{text}' is not a financial year: write it as 2024/25.")
    start = int(match[1])
    end = match[2]
    if end is not None:
        end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_full % 100 != (start + 1) % 100:
            raise BookError(f"'{text}' is not a financial year: write it as 2024/25.")
    return f"{start}/{(start + 1) % 100:02d}"


def year_run(first: str, count: int) -> list[str]:
    """`count` consecutive financial years starting at `first`."""
    if not 1 <= count <= 30:
        raise BookError(f"A book covers 1 to 30 years, not {count}.")
    start = int(normalise_year(first)[:4])
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(start, start + count)]
