"""The calculation engine: a book's numbers as arrays, computed with numpy (no Qt here)."""

from .compute import Results, compute, recompute
from .model import Model
from .rollup import rollup
from .snapshot import Snapshot, load_snapshot
from .summary import SummaryRow, summary_rows

__all__ = [
    "Model",
    "Results",
    "Snapshot",
    "SummaryRow",
    "compute",
    "load_snapshot",
    "recompute",
    "rollup",
    "summary_rows",
]
