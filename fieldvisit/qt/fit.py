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
