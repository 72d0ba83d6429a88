"""Python's cycle collector paused while a return is written or read.

Writing a national return builds about a million small objects (XlsxWriter's cells, the map's
rows) that all live until the workbook is saved; each full collection walks every one of them
to find nothing, and Python ran nine of them, a tenth of the export. Reading one back is
alike. The collector is paused only for the call and resumes (if it was running) however the
call ends; cycles made meanwhile are collected then.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside the block; it resumes after, if it was running before."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
