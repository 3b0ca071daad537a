"""A small horizontal bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

One bar per item: the label on the left, the bar scaled to the largest value, the value
after it. The widget asks for the height its items need, so a layout never clips a bar.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

DEFAULT_COLOUR = QColor("#2a63ad")
BAR_HEIGHT = 22
ROW_GAP = 8
MARGIN = 8


class BarChart(QWidget):
    """``set_items([(label, value, colour or None), …])``; ``items()`` gives them back."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._items: list[tuple[str, float, QColor]] = []
        self._empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(240)

    def set_title(self, title: str) -> None:
        self._title = title
        self.updateGeometry()
        self.update()

    def set_empty_text(self, text: str) -> None:
        """What to show when there are no items (e.g. 暂无未销号问题)."""
        self._empty_text = text
        self.update()

    def set_items(self, items: Sequence[tuple[str, float, QColor | str | None]]) -> None:
        self._items = [(label, value, QColor(colour) if colour else DEFAULT_COLOUR)
                       for label, value, colour in items]
        self.updateGeometry()
        self.update()

    def items(self) -> list[tuple[str, float]]:
        return [(label, value) for label, value, _colour in self._items]

    def _title_height(self) -> int:
        return self.fontMetrics().height() + 8 if self._title else 0

    def sizeHint(self) -> QSize:
        rows = max(len(self._items), 1)
        row = max(BAR_HEIGHT, self.fontMetrics().height() + 4)
        return QSize(360, 2 * MARGIN + self._title_height() + rows * (row + ROW_GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        text_colour = self.palette().color(self.foregroundRole())
        y = MARGIN
        width = self.width() - 2 * MARGIN
        if self._title:
            bold = painter.font()
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(text_colour)
            painter.drawText(QRectF(MARGIN, y, width, metrics.height() + 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self._title)
            painter.setFont(self.font())
            y += self._title_height()
        if not self._items:
            painter.setPen(QColor("#6b7785"))
            painter.drawText(QRectF(MARGIN, y, width, BAR_HEIGHT),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self._empty_text)
            painter.end()
            return
        row = max(BAR_HEIGHT, metrics.height() + 4)
        label_width = max(metrics.horizontalAdvance(label) for label, _v, _c in self._items) + 10
        value_width = max(metrics.horizontalAdvance(_number(v)) for _l, v, _c in self._items) + 12
        bar_space = max(width - label_width - value_width, 10)
        largest = max((v for _l, v, _c in self._items), default=0) or 1
        for label, value, colour in self._items:
            painter.setPen(text_colour)
            painter.drawText(QRectF(MARGIN, y, label_width - 10, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            length = bar_space * value / largest
            if value > 0:
                length = max(length, 2.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(MARGIN + label_width, y + 3, length, row - 6), 3, 3)
            painter.setPen(text_colour)
            painter.drawText(QRectF(MARGIN + label_width + length + 6, y, value_width, row),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             _number(value))
            y += row + ROW_GAP
        painter.end()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
