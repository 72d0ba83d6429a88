"""PCN membership files read: NHS England's *NHS Payments to General Practice* csv, NHS
Digital's ePCN "PCN Core Partner Details" (the workbook's sheet, or its csv with or without the
header row the ODS report leaves off) or a plain `practice_code,pcn_code,pcn_name[,from_year]`
csv, into one row per practice and year, with pandas.

A PCN code is recognised by its shape (`U` and five digits), not its header, because the 2022/23
payments file heads its PCN columns `Code` and `CCG NAME`. In ePCN a relationship's start date
gives the year it holds from, and one with an end date is history. A practice given two PCNs
for one year, or a code both a practice and a PCN, makes the file ambiguous: refused, naming
the rows; an exact repeat is taken once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..book.errors import BookError
from ..book.organisations import is_org_code
from ..book.years import normalise_year
from .csv_text import MAX_ROWS, csv_text, header_words, text_table
from .nhs_payments import PCN_CODE, year_from_name
from .population_rows import ambiguous

#: Headers (lower case, underscores and whitespace runs as one space) the reader looks for.
PRACTICE_HEADERS = ("practice code", "partner organisation code")
PCN_HEADERS = ("pcn code",)
PCN_NAME_HEADERS = ("pcn name",)
FROM_HEADERS = ("from year", "from")
#: NHS Digital's ePCN "PCN Core Partner Details", in the order the ODS report gives them.
EPCN_HEADERS = (
    "Partner Organisation Code",
    "Partner Name",
    "Practice Parent Sub ICB Location Code",
    "Practice Parent Sub ICB Location Name",
    "PCN Code",
    "PCN Name",
    "PCN Parent Sub ICB Location Code",
    "PCN Parent Sub ICB Location Name",
    "Practice to PCN Relationship Start Date",
    "Practice to PCN Relationship End Date",
    "Practice Sub ICB and PCN Sub ICB Match?",
)
START_HEADERS = ("practice to pcn relationship start date",)
END_HEADERS = ("practice to pcn relationship end date",)
EPCN_SHEET = "pcn core partner details"
#: Headers only NHS Payments to General Practice has.
PAYMENTS_HEADERS = ("global sum", "total nhs payments to general practice")
#: Rows looked at first when searching for the column of PCN codes.
SAMPLE = 200


@dataclass(frozen=True)
class MembershipFile:
    """A read membership file: one row per practice line, with its row number in the file."""

    name: str
    layout: str
    #: Columns row, practice, pcn, pcn_name, from_year (text; '' where blank).
    frame: pd.DataFrame
    not_understood: list[tuple[int, str]]
    #: Rows repeating an earlier row, and the row they repeat (left out of `frame`).
    repeated: list[tuple[int, int]] = field(default_factory=list)
    #: ePCN relationships with an end date: history, reported and not applied.
    ended: list[tuple[int, str]] = field(default_factory=list)


def _table(path: Path) -> pd.DataFrame:
    """Every record of the csv as text, blank records kept so row numbers are the file's."""
    if not path.is_file():
        raise BookError(f"There is no file {path}.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _epcn_sheet(path)
    if path.suffix.lower() == ".xls":
        raise BookError(f"{path.name} is an old-style workbook: save its sheet as csv.")
    text = csv_text(path, "a PCN membership file")
    table = text_table(text, path.name, "PCN membership file", keep_blank_lines=True)
    if _headerless_epcn(table):  # the ODS report's csv comes without its header row
        header = pd.DataFrame([list(EPCN_HEADERS)], columns=range(len(EPCN_HEADERS)))
        table = pd.concat([header, table], ignore_index=True)
    return table


def _headerless_epcn(table: pd.DataFrame) -> bool:
    """ePCN's eleven columns with data in the first record: a practice code, then a PCN code."""
    if table.shape[1] != len(EPCN_HEADERS) or table.empty:
        return False
    first = table.iloc[0]
    return bool(is_org_code(first[0].strip())) and bool(PCN_CODE.fullmatch(first[4].strip()))


def _epcn_sheet(path: Path) -> pd.DataFrame:
    """The ePCN workbook's "PCN Core Partner Details" sheet (or the first sheet naming a
    partner organisation code) as text, through the same checks as every workbook."""
    from .xlsx_safety import load_xlsx

    wb = load_xlsx(path, read_only=True, data_only=True)
    try:
        names = [n for n in wb.sheetnames if header_words(n) == EPCN_SHEET] or list(wb.sheetnames)
        for name in names:
            rows = [
                ["" if v is None else _cell_text(v) for v in row]
                for row in wb[name].iter_rows(values_only=True, max_row=MAX_ROWS + 2)
            ]
            if any("partner organisation code" in {header_words(v) for v in r} for r in rows[:5]):
                width = max((len(r) for r in rows), default=0)
                return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    finally:
        wb.close()
    raise BookError(
        f"{path.name} has no sheet of PCN core partner details (Partner Organisation Code,"
        " PCN Code): is it NHS Digital's ePCN workbook?"
    )


def _cell_text(value: object) -> str:
    if hasattr(value, "date") and callable(value.date):  # a date cell: its ISO date
        return str(value.date())
    return str(value)


def _shape_share(values: pd.Series) -> float:
    """The share of a column's filled values (a bare `U` aside) shaped like a PCN code."""
    text = values.str.strip().str.upper()
    filled = text[(text != "") & (text != "U")]
    return float(filled.str.fullmatch(PCN_CODE.pattern).mean()) if len(filled) else 0.0


def _pcn_share(values: pd.Series) -> float:
    """`_shape_share`, looking at the whole column only if its first rows look like PCN codes
    (a payments file has 50-75 columns of 7,000 rows; most are amounts)."""
    if _shape_share(values.iloc[:SAMPLE]) <= 0.5:
        return 0.0
    return _shape_share(values)


def _columns(body: pd.DataFrame, keys: list[str], name: str) -> dict[str, int | None]:
    """Which column holds what: the practice by header, the PCN code by shape (header breaks
    ties, and names an all-blank column), its name by header or as the next column."""
    practice = next((i for i, k in enumerate(keys) if k in PRACTICE_HEADERS), None)
    if practice is None:
        raise BookError(
            f"{name} has no practice_code (or Practice Code) column: it does not look like PCN"
            " membership or NHS Payments to General Practice."
        )
    scored = [
        (_pcn_share(body[i]) if i != practice else 0.0, keys[i] in PCN_HEADERS, -i)
        for i in range(len(keys))
    ]
    candidates = [i for i in range(len(keys)) if scored[i][0] > 0.5]
    if candidates:
        code: int | None = max(candidates, key=lambda i: scored[i])
    else:
        code = next((i for i, k in enumerate(keys) if k in PCN_HEADERS), None)
    if code is None:
        raise BookError(
            f"{name} has no column of PCN codes (U and five digits, e.g. U89141) and no"
            " pcn_code column."
        )
    pcn_name = next((i for i, k in enumerate(keys) if k in PCN_NAME_HEADERS), None)
    if pcn_name is None and code + 1 < len(keys) and code + 1 != practice:
        pcn_name = code + 1  # the 2022/23 payments file: `Code`, then the PCN's `CCG NAME`
    from_year = next((i for i, k in enumerate(keys) if k in FROM_HEADERS), None)
    start = next((i for i, k in enumerate(keys) if k in START_HEADERS), None)
    end = next((i for i, k in enumerate(keys) if k in END_HEADERS), None)
    return {
        "practice": practice,
        "pcn": code,
        "pcn_name": pcn_name,
        "from_year": from_year,
        "start": start,
        "end": end,
    }


def read_membership(path: str | Path) -> MembershipFile:
    """Read a payments file or a plain membership csv into one row per practice line."""
    target = Path(path)
    table = _table(target)
    filled = table.ne("").any(axis=1)
    if not filled.any():
        raise BookError(f"{target.name} is empty.")
    top = int(filled.to_numpy().argmax())
    keys = [header_words(h) for h in table.iloc[top]]
    body = table.iloc[top + 1 :][filled.iloc[top + 1 :]]
    rows = body.index.to_numpy() + 1  # records are numbered from 1, the header's included
    body = body.reset_index(drop=True)
    cols = _columns(body, keys, target.name)
    payments = any(k in PAYMENTS_HEADERS for k in keys)
    epcn = cols["start"] is not None
    layout = (
        "NHS Payments to General Practice"
        if payments
        else "NHS Digital ePCN core partner details"
        if epcn
        else "plain csv"
    )

    def column(name: str) -> pd.Series:
        i = cols[name]
        return body[i].str.strip() if i is not None else pd.Series([""] * len(body), dtype=str)

    frame = pd.DataFrame(
        {
            "row": rows,
            "practice": column("practice").str.upper(),
            "pcn": column("pcn").str.upper(),
            "pcn_name": column("pcn_name").str.split().str.join(" "),
            "from_year": column("from_year"),
        }
    )
    if payments and cols["from_year"] is None:
        frame["from_year"] = year_from_name(target.name) or ""
    ended: list[tuple[int, str]] = []
    if epcn:
        frame["from_year"] = column("start").map(_year_of_date)
        finished = column("end") != ""
        for r, when in zip(frame["row"][finished], column("end")[finished], strict=True):
            ended.append((int(r), f"relationship ended {when}: history, not applied"))
        frame = frame[~finished.to_numpy()]
    # A record of only commas and spaces is a blank row, not a practice without a code.
    frame = frame[(frame[["practice", "pcn", "pcn_name"]] != "").any(axis=1)]
    problems: list[tuple[int, str]] = []
    good = pd.Series(True, index=frame.index)
    checks = (
        (frame["practice"] == "", "no practice code"),
        (
            (frame["practice"] != "") & ~frame["practice"].map(is_org_code).astype(bool),
            "practice code '{practice}' is not an organisation code",
        ),
        (
            ~frame["pcn"].isin(["", "U"])
            & ~frame["pcn"].str.fullmatch(PCN_CODE.pattern).astype(bool),
            "PCN code '{pcn}' is not a PCN code (U and five digits)",
        ),
    )
    for bad, why in checks:
        for r in frame[bad & good].itertuples():
            problems.append((int(r.row), why.format(practice=r.practice, pcn=r.pcn)))
        good &= ~bad
    years = frame["from_year"].map(_year_or_none)
    bad_year = (frame["from_year"] != "") & years.isna().astype(bool) & good
    for r in frame[bad_year].itertuples():
        problems.append((int(r.row), f"from_year '{r.from_year}' is not a financial year"))
    good &= ~bad_year
    frame = frame[good].assign(from_year=years[good].fillna(""))
    frame, repeated = _one_row_each(frame.reset_index(drop=True), target.name)
    return MembershipFile(target.name, layout, frame, sorted(problems), repeated, ended)


def _one_row_each(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """Each practice's row once a year: exact repeats left out (and returned, with the row they
    repeat); a practice in two PCNs for one year, or a code both a practice and a PCN, refused
    naming the rows."""
    clashes: list[tuple[int, str]] = []
    pcns = frame[~frame["pcn"].isin(["", "U"])]
    pcn_row = pcns.groupby("pcn")["row"].min()
    for r in frame[frame["practice"].isin(pcn_row.index)].itertuples():
        rows = sorted({int(r.row), int(pcn_row[r.practice])})
        where = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]} and {rows[1]}"
        clashes.append((rows[-1], f"{r.practice} is both a practice and a PCN at {where}"))
    first: dict[tuple[str, str], tuple[int, str]] = {}
    keep: list[bool] = []
    repeated: list[tuple[int, int]] = []
    for r in frame.itertuples():
        row, pcn = int(r.row), "" if r.pcn == "U" else str(r.pcn)
        earlier = first.setdefault((str(r.practice), str(r.from_year)), (row, pcn))
        keep.append(earlier[0] == row)
        if earlier[0] == row:
            continue
        if earlier[1] == pcn:
            repeated.append((row, earlier[0]))
            continue
        year = f" from {r.from_year}" if r.from_year else ""
        clashes.append(
            (
                row,
                f"practice {r.practice} is in two PCNs{year}, {earlier[1] or 'no PCN'} and"
                f" {pcn or 'no PCN'}, at rows {earlier[0]} and {row}",
            )
        )
    if clashes:
        raise ambiguous(name, clashes)
    return frame[keep].reset_index(drop=True), repeated


DATE_PATTERNS = (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{2})/(\d{2})/(\d{4})", r"(\d{4})(\d{2})(\d{2})")


def _year_of_date(text: str) -> str:
    """The financial year (April to March) a date falls in: '2019-07-01' -> '2019/20'.

    ePCN writes dates as 2019-07-01, 01/07/2019 or 20190701; an unreadable one is left as
    given, so the row is reported as not a financial year rather than guessed."""
    text = text.strip()
    for pattern in DATE_PATTERNS:
        m = re.match(pattern, text)
        if m:
            parts = m.groups()
            year, month = (
                (int(parts[2]), int(parts[1])) if "/" in pattern else (int(parts[0]), int(parts[1]))
            )
            return normalise_year(str(year if month >= 4 else year - 1))
    return text


def _year_or_none(text: str) -> str | None:
    try:
        return normalise_year(text) if text else None
    except BookError:
        return None
