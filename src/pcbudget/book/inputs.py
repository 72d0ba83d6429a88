"""What the engine computes from: a scenario's stored figures as plain, read-only records.

The book reads them (`input_reader.py`, the only place their SQL lives) and the engine builds
its arrays from them, so the engine never sees a connection. Rows are already checked against
the bounds, their ids turned into array positions (organisation and line in book order), and
they come in layer order, baseline first, so a later row wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .structure import Scenario, Structure

#: The tables a scenario layer can hold rows in, as `BookInputs.tables` names them.
TABLES = ("amounts", "rates", "uplifts", "populations", "growth", "allocations", "leftshift")


@dataclass(frozen=True)
class BookInputs:
    """The stored figures of `layers` (scenario ids, baseline first) of `scenario`'s chain."""

    structure: Structure
    scenario: Scenario
    chain: tuple[int, ...]  # scenario ids from the baseline down to `scenario`
    layers: tuple[int, ...]  # the ids whose rows these are: all of `chain`, or its scenarios only
    # amounts, one entry per stored row: a figure, or "calculated here" in a scenario (not set)
    amount_layer: np.ndarray  # (n,) int64 scenario id
    amount_org: np.ndarray  # (n,) int64 organisation position
    amount_line: np.ndarray  # (n,) int64 line position
    amount_year: np.ndarray  # (n,) int64 year index
    amount_pence: np.ndarray  # (n,) int64, 0 where not set
    amount_set: np.ndarray  # (n,) bool
    notes: tuple[tuple[int, int, int, str], ...]  # organisation, line, year, note
    #: line, year, the rate as stored (decimal text) and as a number, months (as stored, a
    #: number), source, confidence
    rates: tuple[tuple[int, int, str, float, float, object, object], ...]
    uplifts: tuple[tuple[int, int, float], ...]  # line, year, fraction on the year before
    population_layer: np.ndarray  # (p,) int64 scenario id
    population_org: np.ndarray  # (p,) int64
    population_measure: np.ndarray  # (p,) int64 index into schema.MEASURES
    population_year: np.ndarray  # (p,) int64
    population_value: np.ndarray  # (p,) float64
    growth: tuple[tuple[int, int, float], ...]  # organisation (-1: book-wide), measure, fraction
    allocations: tuple[tuple[int, int, int, int], ...]  # organisation, budget type, year, pence
    leftshift: tuple[tuple[int, str, str, str | None], ...]  # organisation, key, value, note
    tables: frozenset[str]  # the tables with any row in these layers

    def __post_init__(self) -> None:
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
