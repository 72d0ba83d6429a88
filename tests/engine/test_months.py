"""The budget year: the plan phased in whole pence, actuals, forecast outturn and variance."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcbudget.book import Book, BookError, open_book, undo
from pcbudget.book.phasing import parse_period, parse_profile, set_phasing
from pcbudget.book.scenarios import create_scenario
from pcbudget.engine import Model
from pcbudget.engine.months import spread, view_rows
from pcbudget.io.actuals_ledger import import_ledger
from pcbudget.io.budget_year import all_year_months, year_months

from ..test_cli import run


@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=20),
    st.lists(st.integers(0, 1000), min_size=12, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_months_always_sum_to_the_year(annual: list[int], weights: list[int]) -> None:
    months = spread(np.array(annual, dtype=np.int64), np.array(weights))
    assert (months.sum(axis=-1) == annual).all()
    assert months.dtype == np.int64


def test_an_even_profile_differs_by_at_most_a_penny() -> None:
    months = spread(np.array([100_00]), np.ones(12))[0]
    assert months.sum() == 100_00 and months.max() - months.min() <= 1


@pytest.mark.parametrize(("text", "month"), [("M1", 1), ("m12", 12), ("3", 3), (7, 7)])
def test_periods_are_read_as_finance_leads_write_them(text: object, month: int) -> None:
    assert parse_period(text) == month


@pytest.mark.parametrize("bad", ["M13", "0", "April", ""])
def test_a_bad_period_is_refused(bad: str) -> None:
    with pytest.raises(BookError):
        parse_period(bad)


def test_a_profile_needs_twelve_weights() -> None:
    assert parse_profile("1,1,1,1,1,1,1,1,1,1,1,2") == "1,1,1,1,1,1,1,1,1,1,1,2"
    for bad in ("1,2,3", "a,b,c,d,e,f,g,h,i,j,k,l", "-1,1,1,1,1,1,1,1,1,1,1,1"):
        with pytest.raises(BookError):
            parse_profile(bad)


def _ledger(tmp_path: Path, rows: list[str], name: str = "ledger.csv") -> Path:
    path = tmp_path / name
    path.write_text("year,period,org,line,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _cell(book: Book, org: str, line: str, view: str, year: int = 0) -> int:
    m = Model(book)
    s = m.structure
    o = m.snapshot.org_index[s.org(org).id]
    rows = view_rows(m.results, o, all_year_months(book, m.results), view)
    return int(next(r.pence[year] for r in rows if r.line == line and r.kind == "line"))


def test_forecast_is_actuals_to_date_then_the_phased_plan(small_book: Book, tmp_path: Path) -> None:
    plan = _cell(small_book, "A", "core", "plan")  # £1,000,000 in 2024/25
    import_ledger(
        small_book, _ledger(tmp_path, ["2024/25,M1,A,core,90000", "2024/25,M2,A,core,95000"])
    )
    assert _cell(small_book, "A", "core", "actual") == 185_000_00
    # Forecast: £185,000 to date + the plan's last ten months (its first two are 2/12 of it,
    # £166,666.67 by cumulative rounding, so the months add to the year exactly).
    assert _cell(small_book, "A", "core", "forecast") == 185_000_00 + plan - 166_666_67
    assert _cell(small_book, "A", "core", "variance") == 185_000_00 - 166_666_67
    # The reserve is not spent: it forecasts what the allocation leaves, so the type balances.
    m = Model(small_book)
    ym = all_year_months(small_book, m.results)
    o = m.snapshot.org_index[m.structure.org("A").id]
    rows = {(r.section, r.line): r.pence for r in view_rows(m.results, o, ym, "forecast")}
    assert rows[("budget_type", "CC")][0] == rows[("allocation", "CC")][0]


def test_run_rate_forecasts_the_year_to_date_average(small_book: Book, tmp_path: Path) -> None:
    import_ledger(
        small_book, _ledger(tmp_path, ["2024/25,1,A,core,90000", "2024/25,2,A,core,110000"])
    )
    set_phasing(small_book, "core", "2024/25", "even", "run_rate")
    assert _cell(small_book, "A", "core", "forecast") == 12 * 100_000_00


def test_a_reimport_replaces_the_period_and_undo_restores(small_book: Book, tmp_path: Path) -> None:
    path = _ledger(tmp_path, ["2024/25,M1,A,core,90000", "2024/25,M1,B,core,10"])
    import_ledger(small_book, path)
    import_ledger(small_book, path)
    assert _cell(small_book, "A", "core", "actual") == 90_000_00  # not counted twice
    import_ledger(small_book, _ledger(tmp_path, ["2024/25,M1,A,core,1"], "again.csv"))
    assert _cell(small_book, "B", "core", "actual") == 0  # M1 replaced as a whole
    undo(small_book)
    assert _cell(small_book, "B", "core", "actual") == 10_00


def test_a_bad_row_names_itself_and_imports_nothing(small_book: Book, tmp_path: Path) -> None:
    bad = _ledger(
        tmp_path, ["2024/25,M1,A,core,90000", "2024/25,M2,A,core,ninety", "2024/25,M3,A,core,1"]
    )
    with pytest.raises(BookError, match=r"row 3: .*ninety.*Nothing was imported"):
        import_ledger(small_book, bad)
    assert small_book.conn.execute("SELECT count(*) FROM actuals").fetchone()[0] == 0
    for rows, words in (
        (["2024/25,M1,ZZ,core,1"], "ZZ"),
        (["2024/25,M1,A,nope,1"], "nope"),
        (["2031/32,M1,A,core,1"], "do not fit"),
        (["2024/25,M14,A,core,1"], "not a month"),
    ):
        with pytest.raises(BookError, match=words):
            import_ledger(small_book, _ledger(tmp_path, rows, "b.csv"))


def test_a_ledger_of_cost_centres_maps_to_organisations_and_lines(
    small_book: Book, tmp_path: Path
) -> None:
    ledger = tmp_path / "gl.csv"
    ledger.write_text(
        "year,period,cost_centre,subjective,amount\n"
        "2024/25,M1,CC100,5001,1000\n2024/25,M1,CC100,5001,500\n2024/25,M1,CC200,,250\n"
    )
    mapping = tmp_path / "map.csv"
    mapping.write_text("cost_centre,subjective,org,line\nCC100,5001,A,core\nCC200,,B,ooh\n")
    done = import_ledger(small_book, ledger, mapping=mapping)
    assert done.cells == 2 and done.total_pence == 1750_00
    assert _cell(small_book, "A", "core", "actual") == 1500_00  # two ledger lines add


def test_actuals_are_shared_by_every_scenario(small_book: Book, tmp_path: Path) -> None:
    create_scenario(small_book, "High")
    import_ledger(small_book, _ledger(tmp_path, ["2024/25,M1,A,core,90000"]))
    m = Model(small_book, "High")
    ym = year_months(small_book, m.results, 0)
    o = m.snapshot.org_index[m.structure.org("A").id]
    li = m.snapshot.line_index[m.structure.line("core").id]
    assert ym.actual[o, li, 0] == 90_000_00


def test_summary_views_keep_the_csv_shape(sample_path: Path, tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ["2019/20,M1,LC,premises,500000", "2019/20,M2,LC,premises,600000"])
    code, out, _ = run("import-actuals", sample_path, ledger)
    assert code == 0 and "2019/20 M1, 2019/20 M2" in out and "forecast at their plan" in out
    views = {}
    for view in ("plan", "actual", "forecast", "variance"):
        code, out, _ = run("summary", sample_path, "--org", "LC", "--view", view, "--format", "csv")
        assert code == 0
        views[view] = {(r["section"], r["line"]): r for r in csv.DictReader(io.StringIO(out))}
    assert views["actual"][("co_commissioning", "premises")]["2019/20"] == "1100000.00"
    assert views["actual"][("co_commissioning", "premises")]["2020/21"] == ""  # none yet
    plan = float(views["plan"][("co_commissioning", "premises")]["2019/20"])
    forecast = float(views["forecast"][("co_commissioning", "premises")]["2019/20"])
    variance = float(views["variance"][("co_commissioning", "premises")]["2019/20"])
    assert variance == pytest.approx(forecast - plan)
    code, out, _ = run(
        "months",
        sample_path,
        "--year",
        "2019/20",
        "--org",
        "LC",
        "--line",
        "premises",
        "--format",
        "csv",
    )
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["actual"]["M1"] == "500000.00" and rows["actual"]["M3"] == ""
    assert rows["plan"]["year"] == views["plan"][("co_commissioning", "premises")]["2019/20"]
    with open_book(sample_path, write=False):
        pass
