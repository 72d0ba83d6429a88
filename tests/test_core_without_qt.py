"""The core (book, engine, io) imports and works with Qt made unimportable."""

import subprocess
import sys

from .helpers import SAMPLE

PROBE = f"""
import sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'):
            raise ImportError('Qt is blocked for the core: ' + name)
sys.meta_path.insert(0, BlockQt())
import pcbudget.book, pcbudget.engine, pcbudget.io
import pcbudget.io.sample_llr, pcbudget.io.rate_catalogue
from pcbudget.book import open_book
from pcbudget.engine import Model
book = open_book({str(SAMPLE)!r}, write=False)
print(int(Model(book).results.rolled[0].sum()))
assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)
"""


def test_core_runs_with_qt_blocked() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 0
