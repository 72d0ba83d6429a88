"""Projection by year, vectorised for speed, gives the figures of the plain rule it replaced."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pcbudget.engine.population import KNOWN, MISSING, PROJECTED, project


def plain_project(known: np.ndarray, growth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rule as first written: from the last known year, else the first after it."""
    n_year = known.shape[2]
    years = np.arange(n_year)
    is_known = ~np.isnan(known)
    last = np.maximum.accumulate(np.where(is_known, years, -1), axis=2)
    after = np.flip(np.minimum.accumulate(np.flip(np.where(is_known, years, n_year), 2), axis=2), 2)
    anchor = np.where(last >= 0, last, after)
    has_anchor = anchor < n_year
    anchor = np.where(has_anchor, anchor, 0)
    base = np.take_along_axis(known, anchor, axis=2)
    factor = (1.0 + growth)[:, :, None] ** (years[None, None, :] - anchor)
    values = np.where(is_known, known, np.where(has_anchor, base * factor, np.nan))
    status = np.where(is_known, KNOWN, np.where(has_anchor, PROJECTED, MISSING)).astype(np.int8)
    return values, status


@settings(max_examples=200, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 12), st.integers(1, 4), st.integers(1, 7)),
    seed=st.integers(0, 2**32 - 1),
    gaps=st.floats(0, 1),
    one_rate_a_measure=st.booleans(),
    a_measure_unheld=st.booleans(),
)
def test_projection_equals_the_plain_rule(
    shape: tuple[int, int, int],
    seed: int,
    gaps: float,
    one_rate_a_measure: bool,
    a_measure_unheld: bool,
) -> None:
    rng = np.random.default_rng(seed)
    known = rng.uniform(0, 1e6, shape)
    known[rng.random(shape) < gaps] = np.nan
    if a_measure_unheld:  # no figure at all (the measures with figures need not be adjacent)
        known[:, rng.integers(shape[1])] = np.nan
    growth = rng.uniform(-0.5, 1, shape[:2])
    if one_rate_a_measure:
        growth[:] = growth[0]
    stored = known.copy()
    got, want = project(known, growth), plain_project(known, growth)
    assert np.array_equal(known, stored, equal_nan=True)  # the snapshot's figures stay as read
    assert np.array_equal(got[0], want[0], equal_nan=True)
    assert np.array_equal(got[1], want[1])
    held = [m for m in range(shape[1]) if not np.isnan(known[:, m]).all()]
    assert got[2].tolist() == held  # the measures with any figure, for the sums of children
