"""Which column of an NHS England practice population file fills which measure, and what each
column is, in words: one set of rules for the importer, its report, the command line and the
app's column chooser.

NHS England's allocation files carry many population figures side by side: a *projected*
registered population (`pop 2024/25` or `Population`), the list it was projected from
(`Patients`), and need-weighted populations for each part of the allocation formula, of which
`Final PMC WP` is primary medical care's. None of them is the contractor (Carr-Hill) weighted
list the DES pays on, so the user is told what each column is and may choose another, or none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..book.errors import BookError
from ..book.schema import MEASURES
from .csv_text import header_words

#: Output field -> header patterns (normalised: lower case, single spaces, no BOM).
COLUMNS: dict[str, tuple[str, ...]] = {
    "practice": (r"practice code",),
    "practice_name": (r"gp practice name", r"practice name"),
    "pcn": (r"pcn code",),
    "pcn_name": (r"pcn name",),
    "icb": (r"icb\d*", r"ics\d*", r"icb\d* ?code", r"ics\d* ?code"),
    "icb_name": (r"icb\d* ?name", r"ics\d* ?name"),
    "region": (r"r\d+", r"rcode", r"region\d* ?code"),
    "region_name": (r"region\d*", r"region\d* ?name"),
    "registered": (r"pop \d{4}/\d{2}", r"population"),
    "weighted": (r"final pmc wp",),
}
#: The measures a practice population file can fill, in the order they are asked: every measure
#: a book holds. NHS England's files have columns for the first two only; the others are read
#: only from a column the user names.
FILLS = MEASURES
REQUIRED = ("practice", "registered", "weighted")
#: How a measure is named in a sentence.
MEASURE_WORDS = {
    "registered": "registered list",
    "weighted": "weighted list",
    "adjusted": "PCN adjusted population",
    "care_home_beds": "care home beds",
    "qof_points": "QOF points",
}
#: What the columns of NHS England's allocation files are (normalised header pattern -> words).
#: The DES pays on the registered list and the contractor weighted list; the allocation
#: formula's need-weighted figures are close to, but not, that list (reference.md, Populations).
MEANINGS: tuple[tuple[str, str], ...] = (
    (
        r"pop \d{4}/\d{2}|population",
        "NHS England's registered population projected to the year (fractional, since it is a"
        " projection), close to but not the list on a count date",
    ),
    (r"patients", "the registered list the allocation counted, before it was projected"),
    (
        r"final pmc wp",
        "the allocation formula's need-weighted population for primary medical care, close to"
        " but not the contractor (Carr-Hill) weighted list the DES pays on",
    ),
    (
        r"final wp",
        "the need-weighted population of the ICB's core services allocation (hospital,"
        " community, mental health), not a primary care list",
    ),
    (
        r"primary medical care (need|wp)",
        "a step in the allocation formula's primary medical care weighting; Final PMC WP is"
        " the figure the allocation uses",
    ),
    (r"g&a wp", "the general and acute part of the core allocation's need weighting"),
    (r"cs wp", "the community services part of the core allocation's need weighting"),
    (r"mh wp", "the mental health part of the core allocation's need weighting"),
    (r"mat wp", "the maternity part of the core allocation's need weighting"),
    (r"health ineq wp", "the health inequalities part of the core allocation's need weighting"),
    (r"prescr wp", "the prescribing part of the core allocation's need weighting"),
)
NONE = "none"
#: How many rows are read to tell which columns hold numbers.
SAMPLE_ROWS = 200


def meaning(header: str) -> str:
    """What a column of an allocation file is, as a phrase ('the allocation formula's ...')."""
    words = header_words(header)
    for pattern, said in MEANINGS:
        if re.fullmatch(pattern, words):
            return said
    return "a column pcbudget does not know: check what it holds before using it"


def shown(header: object) -> str:
    """A header as the file gives it, with its spaces tidied ('Final WP ' -> 'Final WP')."""
    return " ".join(str(header or "").replace("\ufeff", "").split())


def find_columns(headers: Sequence[str]) -> dict[str, int]:
    """Where each field's column is, by the header patterns (first pattern, first column)."""
    found: dict[str, int] = {}
    for name, patterns in COLUMNS.items():
        for pattern in patterns:
            hits = [i for i, h in enumerate(headers) if re.fullmatch(pattern, h)]
            if hits:
                found[name] = hits[0]
                break
    return found


def match_columns(
    headers: list[str], usual: Mapping[str, int], chosen: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Where each field is in the normalised `headers`; `usual` is `find_columns(headers)`,
    which every caller needs as well (so it is worked out once), and `chosen` names the column
    (header text) a measure is read from, or 'none' to leave that measure unset (-1)."""
    found: dict[str, int] = {}
    for measure, header in (chosen or {}).items():
        if measure not in FILLS:
            raise BookError(f"A population file fills {', '.join(FILLS)}, not '{measure}'.")
        if header.strip().lower() == NONE:
            found[measure] = -1
            continue
        wanted = header_words(header)
        hits = [i for i, h in enumerate(headers) if h == wanted]
        if not hits:
            raise BookError(
                f"The file has no column '{header}' (its columns: {', '.join(headers[:40])})."
            )
        found[measure] = hits[0]
    found = dict(usual) | found
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise BookError(
            "The file has no column for "
            + ", ".join(
                {
                    "practice": "Practice_Code",
                    "registered": "pop YYYY/YY or Population",
                    "weighted": "Final PMC WP",
                }[m]
                for m in missing
            )
            + ": it does not look like an NHS England practice population file."
        )
    return {m: -1 for m in FILLS} | found  # a measure without a column is not read


def source_line(measure: str, header: str | None, chosen: bool) -> str:
    """The report's sentence for where a measure came from (None: the user chose none)."""
    words = MEASURE_WORDS[measure]
    if header is None:
        return f"No {words} imported (column chosen: none)."
    mark = " (chosen)" if chosen else ""
    return f"The {words} from column '{header}'{mark}: {meaning(header)}."


@dataclass(frozen=True)
class ColumnChoices:
    """A file's number columns, the column the importer takes for each measure by default
    (None where it finds none), and whether there is anything for the user to choose."""

    file: str
    candidates: tuple[str, ...]
    defaults: dict[str, str | None]

    def needs_choice(self) -> bool:
        """Whether the user has a choice: registered or weighted without its column, or number
        columns beyond the one each measure takes (an allocation file's dozen weighted
        populations, any of which could be read)."""
        taken = {h for h in self.defaults.values() if h is not None}
        unfound = any(self.defaults[m] is None for m in REQUIRED if m in FILLS)
        return unfound or len(self.candidates) > len(taken)

    def describe(self, header: str, measure: str | None = None) -> str:
        """A sentence saying what `header` (or 'none', for `measure`) is, for under a choice."""
        if header == NONE and measure is not None and self.defaults.get(measure) is None:
            return (
                "The file has no column known to hold this measure: nothing is imported unless"
                " you choose a column that holds it."
            )
        if header == NONE:
            return "Nothing is imported for this measure; figures the book holds stay."
        return f"{header} is {meaning(header)}."


def choices_from(file: str, headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> ColumnChoices:
    """The choices a file offers, from its header cells as given and its first rows: the
    columns holding numbers (most filled cells a number), and the importer's default per
    measure. A file without a practice code column is refused as the importer refuses it."""
    words = [header_words(h) for h in headers]
    found = find_columns(words)
    if "practice" not in found:
        match_columns(words, found)  # raises, naming what is missing
    places = {i for name, i in found.items() if name not in FILLS}
    defaults_at = {found[m] for m in FILLS if m in found}
    candidates = [
        shown(h)
        for i, h in enumerate(headers)
        if i in defaults_at
        or (i not in places and _numeric(r[i] if i < len(r) else None for r in rows))
    ]
    defaults = {m: (shown(headers[found[m]]) if m in found else None) for m in FILLS}
    return ColumnChoices(file, tuple(dict.fromkeys(candidates)), defaults)


def _numeric(cells: Any) -> bool:
    """Whether a column's filled cells are numbers (allowing one in ten to be a note or 'n/a')."""
    filled = numbers = 0
    for cell in cells:
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        filled += 1
        try:
            float(text.replace(",", ""))
        except ValueError:
            continue
        numbers += 1
    return filled > 0 and numbers * 10 >= filled * 9


def column_lines(choices: ColumnChoices) -> list[str]:
    """The choices in words, a measure at a time: its default column, then every candidate
    and what it is."""
    out: list[str] = []
    for measure in FILLS:
        default = choices.defaults[measure] or NONE
        out.append(f"{measure}: by default {default!r}.")
    out += [f"  {header}: {meaning(header)}" for header in choices.candidates]
    return out
