"""Dialogs tall enough for their wrapped labels.

Qt sizes a dialog from its labels unwrapped, then narrows it to its minimum width or the
screen without growing it to the height the wrapped labels then need, so form rows
overlap (seen in the member and household dialogs, with a long problem message or in
English). ``fit_height`` grows a shown widget to what its layout needs at its width.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_height(widget: QWidget) -> None:
    """Grow ``widget`` (never shrink it) to its layout's height for its current width."""
    layout = widget.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    layout.activate()
    needed = layout.totalHeightForWidth(widget.width())
    if needed > widget.height():
        widget.resize(widget.width(), needed)


# What a window leaves its screen: the taskbar and its own title bar (a 1280×800 laptop
# has about 720 pixels of height for a dialog).
SCREEN_MARGIN_WIDTH = 40
SCREEN_MARGIN_HEIGHT = 80


def fit_to_screen(widget: QWidget) -> None:
    """Shrink ``widget`` (never grow it) to what its screen has room for, so that the
    buttons at its bottom stay on the screen of a small laptop."""
    screen = widget.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    widget.resize(min(widget.width(), room.width() - SCREEN_MARGIN_WIDTH),
                  min(widget.height(), room.height() - SCREEN_MARGIN_HEIGHT))
