"""A population file's rows, one per practice: exact repeats taken once, ambiguity refused.

NHS England's files have one row per practice. A file edited by hand or joined from two may
give a practice twice, or code a practice as its own PCN; which row is meant cannot be known,
so such a file is refused with the rows named (as a spreadsheet numbers them), rather than the
last row silently winning.
"""

from __future__ import annotations

from ..book.errors import BookError

#: A row read: its number, its figure for each measure read (in `population_columns.FILLS`
#: order), and (code, name, kind) from the region down to the practice.
Read = tuple[int, tuple[float, ...], list[tuple[str, str, str]]]
KIND_WORDS = {
    "region": "region",
    "icb": "ICB",
    "sub_icb": "sub-ICB location",
    "pcn": "PCN",
    "practice": "practice",
}


def one_row_each(read: list[Read], repeated: list[tuple[int, int]], name: str) -> list[Read]:
    """Each practice's row once. A row repeating an earlier one exactly is taken once and added
    to `repeated` with the row it repeats; a practice given other figures, names or places (two
    PCNs) on another row, or a code naming two kinds of organisation (a practice coded as its
    own PCN), is ambiguous: the file is refused, naming the rows, and nothing is imported."""
    first: dict[str, Read] = {}
    kinds: dict[str, dict[str, int]] = {}
    kept: list[Read] = []
    clashes: list[tuple[int, str]] = []
    for item in read:
        number, _figures, chain = item
        for code, _name, kind in chain:
            kinds.setdefault(code.upper(), {}).setdefault(kind, number)
        practice = chain[-1][0]
        earlier = first.get(practice.upper())
        if earlier is None:
            first[practice.upper()] = item
            kept.append(item)
        elif earlier[1:] == item[1:]:
            repeated.append((number, earlier[0]))
        else:
            clashes.append((number, _differ(practice, earlier, item)))
    for code, seen in kinds.items():
        if len(seen) > 1:
            (k1, r1), (k2, r2) = sorted(seen.items(), key=lambda s: (s[1], s[0] != "practice"))[:2]
            where = f"at row {r1}" if r1 == r2 else f"at rows {r1} and {r2}"
            clashes.append(
                (max(r1, r2), f"{code} is both a {KIND_WORDS[k1]} and a {KIND_WORDS[k2]} {where}")
            )
    if clashes:
        raise ambiguous(name, clashes)
    return kept


def _differ(practice: str, earlier: Read, later: Read) -> str:
    """How a practice's later row differs from its earlier one, in words."""
    rows = f"rows {earlier[0]} and {later[0]}"
    pcns = [next((c for c, _n, k in r[2] if k == "pcn"), "no PCN") for r in (earlier, later)]
    if pcns[0] != pcns[1]:
        return f"practice {practice} is in two PCNs, {pcns[0]} and {pcns[1]}, at {rows}"
    if earlier[1] != later[1]:
        return f"practice {practice} has two different populations, at {rows}"
    return f"practice {practice} has different names or places at {rows}"


def ambiguous(name: str, clashes: list[tuple[int, str]]) -> BookError:
    """The error refusing file `name` for (row, what is ambiguous there), first rows first."""
    clashes = sorted(clashes)
    more = f"; and {len(clashes) - 10:,} more" if len(clashes) > 10 else ""
    return BookError(
        f"{name} is ambiguous, so nothing was imported: "
        + "; ".join(why for _row, why in clashes[:10])
        + f"{more}. Correct the file and import it again."
    )
