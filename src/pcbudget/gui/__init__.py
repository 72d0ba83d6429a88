"""The desktop app: a thin PySide6 shell over the book and the engine."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
