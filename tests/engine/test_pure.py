"""The engine computes from plain records the book reads, and hands out figures read-only."""

from __future__ import annotations

import numpy as np
import pytest

from pcbudget.book import Book, set_amount, set_rate
from pcbudget.book.input_reader import read_inputs
from pcbudget.book.scenarios import create_scenario
from pcbudget.engine import compute
from pcbudget.engine.compare import scenario_results
from pcbudget.engine.compute import HANDED_OUT
from pcbudget.engine.snapshot import load_snapshot, overlay, snapshot_from


def test_the_engine_computes_from_records_alone(small_book: Book) -> None:
    inputs = read_inputs(small_book.conn)
    assert inputs.chain == (0,) and inputs.amount_pence.size
    with pytest.raises(ValueError, match="read-only"):
        inputs.amount_pence[0] = 1
    res = compute(snapshot_from(inputs))
    assert np.array_equal(res.rolled, compute(load_snapshot(small_book)).rolled)
    assert np.array_equal(res.rolled, compute(load_snapshot(small_book.conn)).rolled)


def test_results_are_read_only_and_stay_so_after_a_recalculation(small_book: Book) -> None:
    from pcbudget.engine import Model

    model = Model(small_book)
    change = set_amount(small_book, "A", "core", "2024/25", 5_000_00)
    model.apply(change)
    for name in HANDED_OUT:
        array = getattr(model.results, name)
        assert not array.flags.writeable, name
    with pytest.raises(ValueError, match="read-only"):
        model.results.rolled[0, 0, 0] = 1


def test_a_scenario_overlay_leaves_its_baseline_as_it_was(small_book: Book) -> None:
    create_scenario(small_book, "High")
    set_rate(small_book, "part", "2025/26", "2.5", 12, scenario="High")
    base = load_snapshot(small_book)
    rate_rows = dict(base.rate_rows)
    snap, touched = overlay(base, read_inputs(small_book.conn, "High", scenario_only=True))
    assert base.rate_rows == rate_rows and snap.rate_rows != rate_rows
    assert touched.lines and snap.chain[-1] != 0
    fresh = compute(load_snapshot(small_book, "High"))
    ((_, overlaid),) = scenario_results(small_book, ["High"])
    assert np.array_equal(overlaid.rolled, fresh.rolled)
