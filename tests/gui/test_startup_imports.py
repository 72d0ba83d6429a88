"""Opening a book in a window imports only what the first screen needs: the readers of NHS
files (pandas), of returns (openpyxl, calamine) and sqlite-utils wait until they are used."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..helpers import SAMPLE

PROBE = """
import sys
from pcbudget.gui.app import application
from pcbudget.gui.main_window import MainWindow
from pcbudget.gui.session import Session
from pcbudget.book import open_book
app = application()
window = MainWindow(Session(open_book(sys.argv[1])))
window.show()
app.processEvents()
late = ("pandas", "sqlite_utils", "openpyxl", "python_calamine")
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(late))))
"""


def test_the_window_opens_without_the_file_readers(tmp_path: Path) -> None:
    book = tmp_path / "llr.pcbook"
    shutil.copyfile(SAMPLE, book)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(book)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1:] in ([], [""])


def test_a_command_that_reads_no_file_loads_no_file_reader(tmp_path: Path) -> None:
    """`pcbudget summary` and the like start in a third of a second: pandas and the xlsx
    readers come only with the commands that read such files."""
    book = tmp_path / "llr.pcbook"
    shutil.copyfile(SAMPLE, book)
    probe = (
        "import sys\n"
        "from pcbudget.cli import main\n"
        "main(['summary', sys.argv[1]])\n"
        "late = ('pandas', 'sqlite_utils', 'openpyxl', 'python_calamine', 'PySide6')\n"
        "print('late:', *sorted({m.split('.')[0] for m in sys.modules} & set(late)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(book)], capture_output=True, text=True, env=os.environ
    )
    assert proc.returncode == 0, proc.stderr
    assert "Total" in proc.stdout  # the summary was printed
    assert proc.stdout.strip().splitlines()[-1] == "late:"
