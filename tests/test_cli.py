"""The command-line contract: formats, exit statuses and clear one-line errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pcbudget.cli import main

from .helpers import SAMPLE


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_summary_csv_has_the_contracted_shape() -> None:
    code, out, _ = run("summary", SAMPLE, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "section",
        "line",
        "name",
        "budget_type",
        "2019/20",
        "2020/21",
        "2021/22",
        "2022/23",
        "2023/24",
    ]
    keys = [(r[0], r[1]) for r in rows[1:]]
    assert keys[0] == ("co_commissioning", "core_contract")
    assert keys[-1] == ("all", "total")
    assert ("co_commissioning", "total") in keys and ("pcn", "total") in keys
    assert (
        keys.index(("budget_type", "CC"))
        < keys.index(("allocation", "CC"))
        < keys.index(("headroom", "CC"))
    )
    assert ("allocation", "PC") not in keys  # no PC allocation in the sample
    sections = [k[0] for k in keys if k[1] == "total" and k[0] != "all"]
    assert sections == [
        "co_commissioning",
        "pcn",
        "gpfv",
        "other_primary_care",
        "out_of_hours",
        "prescribing",
        "left_shift",  # the sample has scenarios; the baseline's investment is nil
    ]
    for r in rows[1:]:
        for v in r[4:]:
            assert v.replace("-", "").replace(".", "").isdigit() and v[-3] == "."


def test_summary_table_is_for_people() -> None:
    code, out, _ = run("summary", SAMPLE, "--org", "WL")
    assert code == 0
    assert "West Leicestershire CCG" in out
    assert "(1,620,583)" in out  # WL's Reserve/QIPP, negative in brackets
    assert "35,117,570" in out


def test_summary_json_carries_values_by_year() -> None:
    _code, out, _ = run("summary", SAMPLE, "--format", "json", "--org", "lc")
    doc = json.loads(out)
    assert doc["org"]["code"] == "LC" and doc["scenario"] == "baseline"
    first = doc["rows"][0]
    assert first["line"] == "core_contract" and first["values"]["2019/20"] == 38321247.0


def test_set_then_summary_then_calculated(sample_path: Path) -> None:
    code, out, _ = run(
        "set", sample_path, "LC", "premises", "2020/21", "£7.1m", "--note", "new health centre"
    )
    assert code == 0 and "7,100,000.00" in out
    _, out, _ = run("summary", sample_path, "--org", "LC", "--format", "csv")
    rows = {(r[0], r[1]): r for r in csv.reader(io.StringIO(out))}
    assert rows[("co_commissioning", "premises")][5] == "7100000.00"
    # Headroom is the allocation less committed spend: the new premises cost comes off it,
    # and the balancing Reserve/QIPP shows the same figure.
    assert rows[("headroom", "CC")][5] == rows[("co_commissioning", "reserve_qipp")][5]
    code, _, _ = run("set", sample_path, "LC", "arrs", "2021/22", "calculated")
    assert code == 0
    _, out, _ = run("history", sample_path, "--limit", "2")
    assert "arrs 2021/22" in out and "-> calculated" in out
    assert "new health centre" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("LC", "premises", "2020/21", "lots"), "is not an amount"),
        (("LC", "premises", "2020/21", "=1+1"), "formula"),
        (("XX", "premises", "2020/21", "1"), "no organisation 'XX'"),
        (("LC", "premisses", "2020/21", "1"), "no line 'premisses'"),
        (("LC", "premises", "2030/31", "1"), "no year 2030/31"),
        (("LLR", "premises", "2020/21", "1"), "does not hold"),
    ],
)
def test_bad_set_is_a_clear_error_with_status_2_and_nothing_changed(
    sample_path: Path, args: tuple, message: str
) -> None:
    before = hashlib.sha256(sample_path.read_bytes()).hexdigest()
    code, _out, err = run("set", sample_path, *args)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert hashlib.sha256(sample_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("kind", ["foreign", "newer", "truncated"])
def test_bad_books_exit_2_from_every_command(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "bad.pcbook"
    data = SAMPLE.read_bytes()
    if kind == "foreign":
        path.write_bytes(b"PK\x03\x04 not a book" * 100)
    elif kind == "truncated":
        path.write_bytes(data[:8192])
    else:
        path.write_bytes(data[:60] + (99).to_bytes(4, "big") + data[64:])
    before = path.read_bytes()
    for args in (
        ("summary", path),
        ("set", path, "LC", "qof", "2019/20", "1"),
        ("check", path),
        ("history", path),
        ("version", path, "v1"),
    ):
        code, _, err = run(*args)
        assert code == 2, args
        assert err.startswith("pcbudget: ") and err.count("\n") == 1
    assert path.read_bytes() == before


def test_set_on_a_book_someone_else_has_open_is_refused(sample_path: Path) -> None:
    lock = sample_path.with_name(sample_path.name + ".lock")
    lock.write_text(
        json.dumps({"user": "bob", "host": "OTHER-PC", "pid": 1, "at": "2026-11-22T10:00:00+00:00"})
    )
    code, _, err = run("set", sample_path, "LC", "qof", "2019/20", "1")
    assert code == 2 and "open for editing by bob on OTHER-PC" in err
    code, out, _ = run("summary", sample_path)  # reading is still fine
    assert code == 0 and "Core Contract" in out


def test_check_reports_a_sound_book_and_a_tampered_one(sample_path: Path) -> None:
    code, out, _ = run("check", sample_path)
    assert code == 0 and "OK" in out
    import sqlite3

    conn = sqlite3.connect(sample_path)
    conn.execute("UPDATE change_log SET user = 'mallory'")
    conn.commit()
    conn.close()
    code, out, _ = run("check", sample_path)
    assert code == 1 and "altered" in out


def test_version_marks_and_lists(sample_path: Path) -> None:
    assert run("version", sample_path, "Board draft")[0] == 0
    code, out, _ = run("version", sample_path)
    assert code == 0 and out.startswith("Board draft")
    assert run("version", sample_path, "Board draft")[0] == 2


def test_new_refuses_to_overwrite(sample_path: Path) -> None:
    code, _, err = run("new", sample_path, "--sample", "llr")
    assert code == 2 and "already exists" in err


def test_new_blank_book_with_national_rates(tmp_path: Path) -> None:
    path = tmp_path / "new.pcbook"
    code, out, _ = run(
        "new", path, "--first-year", "2024/25", "--years", "5", "--rates", "national"
    )
    assert code == 0 and "2024/25 to 2028/29" in out
    assert run("check", path)[0] == 0


def test_the_console_script_runs_as_a_program() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pcbudget.cli", "summary", str(SAMPLE), "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("section,line,name")


def test_scenario_commands_round_trip(sample_path: Path) -> None:
    assert run("scenario", sample_path, "new", "Invest", "--description", "more GPs")[0] == 0
    assert run("scenario", sample_path, "copy", "Invest", "Invest 2")[0] == 0
    assert run("scenario", sample_path, "rename", "Invest 2", "Invest more")[0] == 0
    code, out, _ = run("scenario", sample_path, "list")
    assert "Invest\tbaseline\tmore GPs" in out and "Invest more" in out
    assert run("set", sample_path, "LC", "qof", "2020/21", "5m", "--scenario", "Invest")[0] == 0
    code, out, _ = run("scenario", sample_path, "diff", "Invest")
    assert "amount,LC qof 2020/21,calculated,5000000.00,Invest" in out
    assert run("scenario", sample_path, "delete", "Invest more")[0] == 0
    code, _, err = run("scenario", sample_path, "delete", "baseline")
    assert code == 2 and "cannot be deleted" in err


def test_leftshift_csv_follows_the_contract(sample_path: Path) -> None:
    code, out, _ = run("scenario", sample_path, "new", "Shift")
    code, out, _ = run(
        "leftshift",
        sample_path,
        "--scenario",
        "Shift",
        "--format",
        "csv",
        "--set",
        "ae_minor.baseline=100000",
        "--set",
        "ae_minor.reduction=20%",
        "--set",
        "ae_minor.acute_unit_cost=80",
        "--set",
        "ae_minor.marginal_share=1",
        "--set",
        "phasing.2023/24=1",
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["measure", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    assert [r[0] for r in rows[1:]] == [
        "activity_shifted",
        "gross_saving",
        "primary_cost",
        "double_running",
        "net_saving",
        "reinvestment",
        "investment",
        "cumulative_net",
    ]
    assert rows[2][5] == "1600000.00"  # 100,000 x 20% x £80 x 100% released
    code, _, err = run(
        "leftshift", sample_path, "--scenario", "Shift", "--set", "ae_minor.reduction"
    )
    assert code == 2 and "KEY=VALUE" in err


def test_compare_csv_columns_and_variance() -> None:
    code, out, _ = run(
        "compare", SAMPLE, "baseline", "Top-down 2% of health spend", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    years = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    assert rows[0] == [
        "section",
        "line",
        "name",
        *(f"baseline:{y}" for y in years),
        *(f"Top-down 2% of health spend:{y}" for y in years),
        *(f"variance:{y}" for y in years),
    ]
    total = next(r for r in rows if r[:2] == ["all", "total"])
    assert total[-1] == "32000000.00"
    code, out, _ = run(
        "compare", SAMPLE, "baseline", "Cautious left shift", "--by-org", "--format", "csv"
    )
    assert code == 0 and "LC,Cautious left shift,per_weighted_head" in out


def test_a_rate_with_nothing_to_apply_to_says_so_not_zero(tmp_path: Path) -> None:
    """A per-head line whose rate applies to nobody reads 'no figure' in the table, with the
    reason below it; the csv keeps its shape and says so on stderr; the json names it."""
    from .helpers import TWO_CCGS, book_from_text

    text = TWO_CCGS + "\nline arrs pcn CC pcn per_head adjusted\nrate arrs 2024/25 26.631 12\n"
    path = tmp_path / "c.pcbook"
    book_from_text(path, text).close()
    code, out, _ = run("summary", path)
    table, notes = out.split("\nNo figure (")
    row = next(line for line in table.splitlines() if line.strip().startswith("arrs"))
    assert code == 0 and row.split()[1:3] == ["no", "figure"]  # 2024/25, the year with a rate
    assert notes.startswith("nothing to apply the rate to")
    assert "no adjusted population at any pcn" in notes
    code, out, err = run("summary", path, "--format", "csv")
    assert "no figure for" in err and "arrs" in err
    doc = json.loads(run("summary", path, "--format", "json")[1])
    assert doc["no_figure"][0]["line"] == "arrs" and doc["no_figure"][0]["years"] == ["2024/25"]
