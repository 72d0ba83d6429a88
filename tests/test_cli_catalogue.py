"""`pcbudget rates` and `pcbudget line ... type`: the rate table a finance lead checks, and a
line counted against another budget type from a year."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from .test_cli import run


def test_rates_csv_has_one_row_per_line_and_year(tmp_path: Path) -> None:
    book = tmp_path / "icb.pcbook"
    run("new", book, "--org", "QHM", "--rates", "national", "--first-year", "2024/25")
    code, out, _ = run("rates", book, "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "line,year,basis,rate,months,budget_type,source,confidence"
    rows = list(csv.DictReader(io.StringIO(out)))
    by = {(r["line"], r["year"]): r for r in rows}
    assert len(rows) == len({r["line"] for r in rows}) * 5
    gp = by[("gp_arrs", "2024/25")]
    assert Decimal(gp["rate"]) * Decimal(gp["months"]) / 12 == Decimal("1.303")
    assert by[("gp_arrs", "2026/27")]["confidence"] != "assumed"
    assert by[("pcn_participation", "2026/27")]["confidence"] == "assumed"
    assert by[("care_home_premium", "2024/25")]["basis"] == "per care home bed"
    assert by[("iif", "2024/25")]["budget_type"] == "CC"


def test_line_type_moves_a_line_inside_the_allocation_from_a_year(sample_path: Path) -> None:
    code, out, _ = run("line", sample_path, "type", "iif", "CC", "--from", "2022/23")
    assert code == 0 and "CC from 2022/23" in out
    _, out, _ = run("rates", sample_path, "--format", "csv")
    types = {(r["line"], r["year"]): r["budget_type"] for r in csv.DictReader(io.StringIO(out))}
    assert types[("iif", "2021/22")] == "PC" and types[("iif", "2022/23")] == "CC"
    code, _, err = run("line", sample_path, "type", "iif", "XX", "--from", "2022/23")
    assert code == 2 and "budget type" in err


def test_reconcile_shows_every_published_figure_beside_the_book(sample_path: Path) -> None:
    code, out, _ = run("reconcile", sample_path, "--format", "csv")
    assert code == 0  # every figure agrees (or differs only by the source's own rounding)
    rows = {(r["figure"], r["org"], r["year"]): r for r in csv.DictReader(io.StringIO(out))}
    total_other = rows[("Total Other Primary Care", "LLR", "2019/20")]
    assert total_other["published"] == "22326147.00"
    assert total_other["difference"] == "1.00" and "£1" in total_other["why"]
    assert {k[0] for k in rows} >= {"Reserve/QIPP", "Total Co Commissioning", "Practice Nursing"}
