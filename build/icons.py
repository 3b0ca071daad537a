"""Render the app's icon (resources/icons/fieldvisit.svg) as the hicolor theme's PNGs.

    python build/icons.py OUT_DIR   # OUT_DIR/<n>x<n>/apps/fieldvisit.png for each size

Rendered at package time rather than committed: the SVG stays the one drawing, and no
PNG can drift from it. build/package.py runs this in a subprocess with the offscreen
platform, so the packaging process itself never loads Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "fieldvisit.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)  # the freedesktop icon theme's usual app sizes
NAME = "fieldvisit"


def render(out: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication([])  # QPainter on a QImage wants one
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / f"{size}x{size}" / "apps" / f"{NAME}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path)):  # PNG, by the suffix
            raise SystemExit(f"{path}: could not write")
        written.append(path)
    return written


if __name__ == "__main__":
    render(Path(sys.argv[1]))
