"""The bundled CJK font, made the application font.

Village rosters hold rare name characters (生僻字 such as 㛃 and 䶮, CJK Extension A) that
many office PCs' fonts lack; a cadre must see the name the county system holds, not a
box. Shipping one font also makes every screen and screenshot look the same everywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fieldvisit import paths

FONT_FILE = ("fonts", "DroidSansFallbackFull.ttf")
POINT_SIZE = 11  # large enough for older eyes on a village-office laptop


def register_bundled_font() -> str | None:
    """Register the bundled font once; its family name, or None when it cannot be loaded."""
    path = paths.resource(*FONT_FILE)
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def apply_application_font(app: QApplication) -> QFont:
    """Make the bundled font the application font (the system font when it is missing)."""
    family = register_bundled_font()
    font = QFont(family) if family else QFont(app.font())
    font.setPointSize(POINT_SIZE)
    app.setFont(font)
    return font
