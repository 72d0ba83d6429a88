"""NHS England's *NHS Payments to General Practice* csv, any year, as one tidy pandas table.

One row per practice: its codes and names (region, sub-ICB/CCG, PCN), contract type, registered
and weighted lists ("Last Known Figure") and every money column in integer pence (empty is 0).
Headers are matched loosely, since they change from year to year; a PCN code is recognised by
its shape (`U` and five digits), since the 2022/23 file heads its PCN columns `Code` and
`CCG NAME`. What a row holds that cannot be read is reported by row, never dropped silently;
a file that is not text is refused naming its row (`csv_text`), as is one of over 100,000 rows
(the published file has about 6,700 a year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..book.bounds import AMOUNT_POUNDS
from ..book.errors import BookError
from ..book.money import round_pence
from ..book.years import normalise_year
from .csv_text import csv_text, text_table
from .payment_columns import PaymentColumn, by_header, header_key, load_columns, slug

#: A PCN's ODS code: U and five digits (a bare `U` is the files' "no PCN" placeholder).
PCN_CODE = re.compile(r"U\d{5}")
#: More money than this in one cell is a damaged file, not a payment (the book's one amount bound).
MAX_POUNDS = float(AMOUNT_POUNDS.high)

#: Identity and list fields -> header patterns (on `header_key` text), first match wins.
IDENTITY: dict[str, tuple[str, ...]] = {
    "region_code": (r"nhs england.*region.*code", r"region code"),
    "region_name": (r"nhs england.*region.*name", r"region name"),
    "icb_code": (r"icb code",),
    "icb_name": (r"icb name",),
    "sub_icb_code": (r"sub icb (location )?code", r"ccg code"),
    "sub_icb_name": (r"sub icb (location )?name", r"ccg name"),
    "practice_code": (r"practice code",),
    "practice_name": (r"practice name",),
    "contract_type": (r"contract type",),
    "pcn_code": (r"pcn code",),
    "pcn_name": (r"pcn name",),
}
LISTS: dict[str, tuple[str, ...]] = {
    "registered": (
        r"number of registered patients last known figure",
        r"average number of registered patients",
    ),
    "weighted": (
        r"number of weighted patients last known figure",
        r"average number of weighted patients",
    ),
}
#: Descriptive columns the reader knows and leaves out of the table.
DESCRIPTIVE = (
    r"practice address",
    r"practice postcode",
    r"practice (open|close) date",
    r"dispensing practice",
    r"practice type",
    r"practice rurality",
    r"atypical characteristics",
    r"quarter used for patient data",
    r"code",
    r"ccg name",
)
TEXT_FIELDS = tuple(IDENTITY)
#: Column counts of the published layouts, to name the layout in reports.
LAYOUTS = {54: "2019/20", 68: "2020/21", 74: "2021/22", 75: "2022/23"}


@dataclass
class PaymentsFile:
    """A read payments file: the table, its money columns, and what could not be read."""

    name: str
    frame: pd.DataFrame
    money: list[str]
    headers: dict[str, str]
    year: str | None = None
    columns: int = 0
    unmapped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    mapping: dict[str, PaymentColumn] = field(default_factory=dict)

    def known_year(self) -> str:
        """The file's year, from --year or its published name; refused if neither says."""
        if self.year is None:
            raise BookError(
                f"{self.name}: which year is it? Give --year (e.g. 2022/23):"
                " the file name does not say."
            )
        return self.year

    def totals(self) -> dict[str, int]:
        """Each money column's total over every practice, in pence."""
        return {k: int(self.frame[k].sum()) for k in self.money}

    def lines(self, limit: int = 50) -> list[str]:
        """What was read, in a finance lead's words, then each row not understood."""
        layout = LAYOUTS.get(self.columns)
        shape = f"{self.columns} columns" + (f", the {layout} layout" if layout else "")
        practices = f"{len(self.frame):,} practices"
        out = [f"{self.name}: {practices}, {len(self.money)} money columns ({shape})."]
        if self.unmapped:
            out.append(
                "Money columns not in the column mapping (kept under their own names): "
                + ", ".join(self.headers[k] for k in self.unmapped)
            )
        if self.ignored:
            out.append("Columns not understood (not read): " + ", ".join(self.ignored))
        out += [f"Row {row}: {why}" for row, why in self.problems[:limit]]
        if len(self.problems) > limit:
            out.append(f"... and {len(self.problems) - limit} more rows not understood.")
        return out


def year_from_name(name: str) -> str | None:
    """The financial year a published file's name gives ('nhspaymentsgp-22-23-csv.csv')."""
    stem = Path(name).stem
    match = re.search(r"(?<!\d)(20\d{2})[-_/ ]?(\d{2})(?!\d)", stem)
    if match and (int(match[1]) + 1) % 100 == int(match[2]):
        return normalise_year(f"{match[1]}/{match[2]}")
    match = re.search(r"(?<!\d)(\d{2})[-_](\d{2})(?!\d)", stem)
    if match and (int(match[1]) + 1) % 100 == int(match[2]):
        return normalise_year(f"20{match[1]}/{match[2]}")
    return None


def _table(path: Path) -> pd.DataFrame:
    return text_table(csv_text(path, "an NHS payments file"), path.name, "NHS payments file")


def _find(keys: list[str], patterns: tuple[str, ...], taken: set[int]) -> int | None:
    for pattern in patterns:
        for i, key in enumerate(keys):
            if i not in taken and re.fullmatch(pattern, key):
                return i
    return None


def _pcn_columns(body: pd.DataFrame, keys: list[str], taken: set[int]) -> tuple[int | None, ...]:
    """The PCN code column by header or, failing that, by the shape of its values; and its name."""
    code = _find(keys, IDENTITY["pcn_code"], taken)
    if code is None:
        best, share = None, 0.5
        for i in range(body.shape[1]):
            if i in taken:
                continue
            values = body[i].str.strip().str.upper()
            filled = values[(values != "") & (values != "U")]
            if len(filled) and (hit := filled.str.fullmatch(PCN_CODE.pattern).mean()) > share:
                best, share = i, hit
        code = best
    if code is None:
        return None, None
    name = _find(keys, IDENTITY["pcn_name"], taken | {code})
    if name is None and code + 1 < len(keys) and code + 1 not in taken:
        name = code + 1  # the 2022/23 file: `Code` then a second `CCG NAME`
    return code, name


def _identity(body: pd.DataFrame, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    taken: set[int] = set()
    practice = _find(keys, IDENTITY["practice_code"], taken)
    if practice is None:
        raise BookError(
            "The file has no 'Practice Code' column: it does not look like NHS Payments to"
            " General Practice."
        )
    found["practice_code"] = practice
    taken.add(practice)
    pcn, pcn_name = _pcn_columns(body, keys, taken)
    for name, index in (("pcn_code", pcn), ("pcn_name", pcn_name)):
        if index is not None:
            found[name] = index
            taken.add(index)
    for name, patterns in {**IDENTITY, **LISTS}.items():
        if name not in found:
            index = _find(keys, patterns, taken)
            if index is not None:
                found[name] = index
                taken.add(index)
    return found


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each cell as a number (NaN where it is not one), and where it is blank.

    Plain numbers, as nearly every cell is, are parsed in one vectorised pass; only the rest are
    stripped of spaces, a leading '£' and thousands commas and parsed again.
    """
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, copy=True)
    blank = np.array(values == "", dtype=bool)
    odd = np.isnan(numbers) & ~blank
    if odd.any():
        text = values[odd].str.strip().str.replace(r"^£|,", "", regex=True)
        blank[odd] = (text == "").to_numpy()
        numbers[odd] = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return numbers, blank


def _money(values: pd.Series, rows: np.ndarray, header: str) -> tuple[np.ndarray, list]:
    numbers, blank = _numbers(values)
    numbers[blank] = 0.0
    bad = ~np.isfinite(numbers) | (np.abs(np.nan_to_num(numbers)) > MAX_POUNDS)
    for i in np.flatnonzero(bad)[:1]:  # all or nothing: never read a bad amount as £0
        raise BookError(
            f"row {int(rows[i])}: {header} '{values.iat[i].strip()}' is not an amount."
            " Nothing was imported."
        )
    return round_pence(numbers), []


def _list(values: pd.Series) -> np.ndarray:
    numbers, _blank = _numbers(values)  # a blank list figure is NaN: not known
    numbers[~np.isfinite(numbers) | (numbers < 0)] = np.nan
    return numbers


def read_payments(
    path: str | Path, *, year: str | None = None, mapping: str | Path | None = None
) -> PaymentsFile:
    """Read one year's *NHS Payments to General Practice* csv (2019/20 to 2022/23 layouts)."""
    target = Path(path)
    table = _table(target)
    while len(table) and not table.iloc[0].str.strip().any():
        table = table.iloc[1:]
    if len(table) < 1:
        raise BookError(f"{target.name} is empty.")
    headers = [re.sub(r"\s+", " ", h.replace("\ufeff", "")).strip() for h in table.iloc[0]]
    keys = [header_key(h) for h in headers]
    body = table.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    rows = np.arange(2, len(body) + 2)  # the header is row 1
    joined = body.to_numpy(dtype=object).sum(axis=1) if body.shape[1] else []  # one pass
    filled = np.array([bool(str(t).strip()) for t in joined], dtype=bool)
    body, rows = body[filled].reset_index(drop=True), rows[filled]

    found = _identity(body, keys)
    columns = load_columns(mapping)
    known = by_header(columns)
    out: dict[str, object] = {"row": rows}
    for name in TEXT_FIELDS:
        out[name] = body[found[name]].str.strip() if name in found else ""
    for name in LISTS:
        out[name] = _list(body[found[name]]) if name in found else np.full(len(body), np.nan)
    file = PaymentsFile(target.name, pd.DataFrame(), [], {}, columns=len(headers))
    file.year = normalise_year(year) if year else year_from_name(target.name)
    file.mapping = {c.key: c for c in columns}
    used = set(found.values())
    for i, (header, key) in enumerate(zip(headers, keys, strict=True)):
        if i in used:
            continue
        column = known.get(key)
        if column is None and any(re.fullmatch(p, key) for p in DESCRIPTIVE):
            continue
        money_key = column.key if column is not None else slug(header)
        if column is None and not _numeric(body[i]):
            file.ignored.append(header)
            continue
        if money_key in out:
            file.problems.append((1, f"column '{header}' repeats {file.headers[money_key]}"))
            continue
        out[money_key], problems = _money(body[i], rows, header)
        file.money.append(money_key)
        file.headers[money_key] = header
        file.problems += problems
        if column is None:
            file.unmapped.append(money_key)
    file.frame = pd.DataFrame(out)
    file.problems += _row_problems(file.frame)
    file.problems.sort(key=lambda p: p[0])
    return file


def _numeric(values: pd.Series) -> bool:
    numbers, blank = _numbers(values)
    return bool((~np.isnan(numbers[~blank])).all())


def _row_problems(frame: pd.DataFrame) -> list[tuple[int, str]]:
    """Codes and lists a row holds that cannot be used; bad PCN codes are blanked."""
    problems: list[tuple[int, str]] = []
    rows = frame["row"].to_numpy()
    practice = frame["practice_code"]
    for i in np.flatnonzero((practice == "").to_numpy()):
        problems.append((int(rows[i]), "no practice code"))
    for i in np.flatnonzero(practice.duplicated(keep="first").to_numpy() & (practice != "")):
        problems.append((int(rows[i]), f"practice {practice.iat[i]} appears again"))
    pcn = frame["pcn_code"].str.upper()
    frame["pcn_code"] = pcn
    odd = (pcn != "") & (pcn != "U") & ~pcn.str.fullmatch(PCN_CODE.pattern)
    for i in np.flatnonzero(odd.to_numpy()):
        problems.append(
            (int(rows[i]), f"PCN code '{pcn.iat[i]}' is not a PCN code (U and five digits)")
        )
    frame.loc[odd | (pcn == "U"), ["pcn_code", "pcn_name"]] = ""
    for name in LISTS:
        for i in np.flatnonzero(np.isnan(frame[name].to_numpy())):
            if practice.iat[i]:
                problems.append((int(rows[i]), f"no {name} list figure for {practice.iat[i]}"))
    return problems
