"""Render resources/icons/pcbudget.svg to PNGs at the usual sizes, and a Windows .ico.

Run: .venv/bin/python scripts/make_icons.py   (make package runs it)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "pcbudget.svg"))
    out = ROOT / "build" / "icons"
    for size in SIZES:
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(folder / "pcbudget.png"))
        if size == 256:
            ico = ROOT / "packaging" / "windows" / "pcbudget.ico"
            if not image.save(str(ico), "ICO"):  # needs Qt's ico image plugin
                print("note: no ICO writer in this Qt; the Windows icon is not regenerated")
    print(f"icons in {out}")


if __name__ == "__main__":
    main()
