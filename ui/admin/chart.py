"""Received vs resolved per week (bars) and the on-time rate (line): drawn with QPainter, because
QtCharts is not in PySide6-Essentials and one chart does not justify the add-ons."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme
from ui.admin.strings import Chart as S

RECEIVED = QColor(theme.CHART_RECEIVED)
RESOLVED = QColor(theme.CHART_RESOLVED)
RATE = QColor(theme.CHART_RATE)
GRID = QColor(theme.CHART_GRID)
TEXT = QColor(theme.TEXT)

Week = tuple[date, int, int, float | None]


def nice_top(value: int) -> int:
    """A round axis maximum at or above value (1, 2, 5 × 10^n)."""
    if value <= 5:
        return 5
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


class WeeklyChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weekly_chart")
        self.weeks: list[Week] = []
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.painted = 0  # tests: how many times it drew

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, 300)

    def set_weeks(self, weeks: list[Week]) -> None:
        self.weeks = list(weeks)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.fillRect(self.rect(), Qt.GlobalColor.white)
            self._paint(p)
        finally:
            p.end()
        self.painted += 1

    def _paint(self, p: QPainter) -> None:
        fm = p.fontMetrics()
        line_h = fm.height()
        # Legend on top.
        x = 12.0
        y = 8.0
        for colour, label, kind in ((RECEIVED, S.RECEIVED, "bar"), (RESOLVED, S.RESOLVED, "bar"),
                                    (RATE, S.RATE, "line")):
            if kind == "bar":
                p.fillRect(QRectF(x, y + line_h / 2 - 5, 14, 10), colour)
            else:
                p.setPen(QPen(colour, 2.5))
                p.drawLine(QPointF(x, y + line_h / 2), QPointF(x + 14, y + line_h / 2))
                p.setBrush(colour)
                p.drawEllipse(QPointF(x + 7, y + line_h / 2), 3, 3)
            p.setPen(TEXT)
            p.drawText(QPointF(x + 20, y + fm.ascent()), label)
            x += 20 + fm.horizontalAdvance(label) + 24
        if not self.weeks:
            p.setPen(TEXT)
            p.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, S.EMPTY)
            return
        top_count = nice_top(max(max(r, d) for _, r, d, _ in self.weeks))
        left = 12 + fm.horizontalAdvance(str(top_count)) + 6
        right = self.width() - (12 + fm.horizontalAdvance("100%") + 6)
        plot = QRectF(left, y + line_h + 14, max(10.0, right - left),
                      max(10.0, self.height() - (y + line_h + 14) - line_h * 2 - 10))
        # Grid and both axes' labels: counts on the left, % on the right.
        for i in range(6):
            gy = plot.bottom() - plot.height() * i / 5
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), gy), QPointF(plot.right(), gy))
            p.setPen(TEXT)
            count = top_count * i / 5
            label = f"{count:.0f}" if count.is_integer() else f"{count:.1f}".replace(".", ",")
            p.drawText(QRectF(0, gy - line_h / 2, left - 6, line_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            p.setPen(RATE)
            p.drawText(QRectF(plot.right() + 6, gy - line_h / 2, 60, line_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{i * 20}%")
        n = len(self.weeks)
        slot = plot.width() / n
        bar = max(1.0, min(28.0, slot * 0.36))
        label_every = max(1, int((fm.horizontalAdvance("00/00") + 10) // max(slot, 1)) + 1)
        rate_path = QPainterPath()
        drawing = False
        points: list[QPointF] = []
        for i, (week, received, resolved, rate) in enumerate(self.weeks):
            cx = plot.left() + slot * (i + 0.5)
            for value, colour, dx in ((received, RECEIVED, -bar), (resolved, RESOLVED, 0.0)):
                h = plot.height() * value / top_count
                p.fillRect(QRectF(cx + dx, plot.bottom() - h, bar, h), colour)
            if i % label_every == 0:
                p.setPen(TEXT)
                p.drawText(QRectF(cx - slot * label_every / 2, plot.bottom() + 4, slot * label_every, line_h),
                           Qt.AlignmentFlag.AlignHCenter, f"{week:%d/%m}")
            if rate is None:
                drawing = False  # nothing resolved that week: a gap, not a fall to zero
                continue
            point = QPointF(cx, plot.bottom() - plot.height() * rate / 100)
            points.append(point)
            if drawing:
                rate_path.lineTo(point)
            else:
                rate_path.moveTo(point)
                drawing = True
        p.setPen(QPen(RATE, 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(rate_path)
        p.setBrush(RATE)
        for point in points:
            p.drawEllipse(point, 3.5, 3.5)
        p.setPen(QPen(TEXT, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        small = QFont(p.font())
        small.setPointSizeF(p.font().pointSizeF() * 0.9)
        p.setFont(small)
        p.drawText(QRectF(plot.left(), plot.bottom() + line_h + 4, plot.width(), line_h),
                   Qt.AlignmentFlag.AlignHCenter, S.WEEK)
