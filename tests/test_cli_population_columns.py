"""`import-populations --list-columns` says what `--column` may name, and the import's report
names the column each measure came from, in the same words as the app's chooser."""

from __future__ import annotations

from pathlib import Path

from pcbudget.io.rate_catalogue import new_blank_book

from .io.test_population_columns import write_allocation
from .test_cli import run


def test_list_columns_then_import_with_a_choice(tmp_path: Path) -> None:
    alloc = write_allocation(tmp_path / "alloc.csv")
    book = tmp_path / "b.pcbook"
    new_blank_book(
        book, years=["2024/25"], name="E", root_code="ENG", root_name="England", rates=None
    ).close()
    code, out, _ = run("import-populations", book, alloc, "--list-columns")
    assert code == 0
    assert "weighted: by default 'Final PMC WP'." in out
    assert "  Final WP: the need-weighted population of the ICB's core services" in out
    code, out, _ = run(
        "import-populations",
        book,
        alloc,
        "--column",
        "registered=Patients",
        "--column",
        "weighted=none",
    )
    assert code == 0
    assert "The registered list from column 'Patients' (chosen): the registered list" in out
    assert "No weighted list imported (column chosen: none)." in out
