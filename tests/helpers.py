"""Small test books written as text, one directive a line, built through the app's own code.

years 2024/25 3
org SYS system -
org A ccg SYS
line core co_commissioning CC ccg uplift
line part pcn CC pcn per_head weighted
pop A1 weighted 2024/25 10000
rate part 2024/25 1.761 12
amount A core 2024/25 1000000
alloc A CC 2024/25 2000000
uplift core 2025/26 0.05
growth * weighted 0.02
"""

from __future__ import annotations

from pathlib import Path

from pcbudget.book import Book, NewLine, NewOrg, create_book, open_book
from pcbudget.book.copies import write_copy
from pcbudget.book.create import add_lines, add_orgs
from pcbudget.book.edits import (
    set_allocation,
    set_amount,
    set_growth,
    set_population,
    set_rate,
    set_uplift,
)
from pcbudget.book.money import parse_money
from pcbudget.book.years import year_run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_budgets" / "llr-2019-24.pcbook"


def book_from_text(path: Path, text: str) -> Book:
    """Create a book at `path` from the directives in `text` and return it open."""
    rows = [
        ln.split()
        for ln in text.strip().splitlines()
        if ln.strip() and not ln.strip().startswith("#")
    ]
    years_row = next(r for r in rows if r[0] == "years")
    years = year_run(years_row[1], int(years_row[2]))
    orgs = [r for r in rows if r[0] == "org"]
    root = NewOrg(orgs[0][1], orgs[0][1], orgs[0][2], None)

    def fill(book: Book) -> str:
        add_orgs(book, [NewOrg(r[1], r[1], r[2], r[3]) for r in orgs[1:]])
        add_lines(
            book,
            [
                NewLine(r[1], r[2], r[1], r[3], r[4], r[5], r[6] if len(r) > 6 else None)
                for r in rows
                if r[0] == "line"
            ],
        )
        return "test book"

    book = create_book(path, years=years, name="test", root=root, fill=fill)
    for r in rows:
        match r[0]:
            case "pop":
                set_population(book, r[1], r[2], r[3], float(r[4]))
            case "rate":
                set_rate(book, r[1], r[2], r[3], float(r[4]) if len(r) > 4 else 12)
            case "amount":
                set_amount(book, r[1], r[2], r[3], parse_money(r[4]))
            case "alloc":
                set_allocation(book, r[1], r[2], r[3], parse_money(r[4]))
            case "uplift":
                set_uplift(book, r[1], r[2], r[3])
            case "growth":
                set_growth(book, None if r[1] == "*" else r[1], r[2], r[3])
    return book


def copy_sample(folder: Path) -> Path:
    """A writable copy of the LLR sample book, made as the app makes one (its own identity)."""
    return write_copy(SAMPLE, folder / "llr.pcbook")


def reopen(book: Book) -> Book:
    path = book.path
    book.close()
    return open_book(path)


TWO_CCGS = """
years 2024/25 3
org SYS system -
org A ccg SYS
org A1 pcn A
org A2 pcn A
org B ccg SYS
org B1 pcn B
line core co_commissioning CC ccg uplift
line reserve co_commissioning CC ccg balance
line part pcn CC pcn per_head weighted
line cd pcn CC pcn per_head registered
line iif pcn PC pcn entered
line ooh out_of_hours PC ccg uplift
pop A1 weighted 2024/25 10000
pop A2 weighted 2024/25 20000
pop B1 weighted 2024/25 30000
pop A1 registered 2024/25 9000
pop A2 registered 2024/25 18500
pop B1 registered 2024/25 27000
growth * weighted 0.02
growth * registered 0.01
rate part 2024/25 1.761 12
rate part 2025/26 1.761 12
rate part 2026/27 1.761 12
rate cd 2024/25 0.5143 9
rate cd 2025/26 0.722 12
rate cd 2026/27 0.722 12
amount A core 2024/25 1000000
amount B core 2024/25 1500000
amount A ooh 2024/25 200000
amount B ooh 2024/25 300000
amount A1 iif 2025/26 1234.56
uplift core 2025/26 0.05
uplift core 2026/27 0.04
uplift ooh 2025/26 0.03
alloc A CC 2024/25 1100000
alloc A CC 2025/26 1150000
alloc A CC 2026/27 1200000
alloc B CC 2024/25 1600000
alloc B CC 2025/26 1680000
alloc B CC 2026/27 1760000
"""


def icb_book(path: Path, years: list[str], orgs: list[tuple[str, str, str, str]]) -> Book:
    """A blank national book with top organisation QHM and `orgs` (code, name, kind, parent)."""
    from pcbudget.io.rate_catalogue import new_blank_book

    book = new_blank_book(
        path, years=years, name="ICB", root_code="QHM", root_name="ICB", rates="national"
    )
    with book.transaction():
        add_orgs(book, [NewOrg(*org) for org in orgs])
    return book
