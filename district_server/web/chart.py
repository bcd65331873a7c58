"""Bar charts drawn on the server as SVG (no JavaScript, no CDN, nothing to load): each bar
carries its number as text, so a reader — or a test — reads the figures off the chart itself."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

PALETTE = ("#0b5394", "#1e7b34", "#6aa84f", "#b00020", "#8a5a00", "#7f6000", "#5b6573")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = PALETTE[0]


def bar_chart(bars: list[Bar], *, title: str, unit: str = "", chart_id: str = "chart", width: int = 720) -> str:
    """Horizontal bars (labels in Vietnamese can be long: they get their own column)."""
    row_h, label_w, pad = 30, 250, 10
    top = 34
    height = top + row_h * max(1, len(bars)) + pad
    peak = max((b.value for b in bars), default=0) or 1
    span = width - label_w - 90
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
             f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
             f'<text x="{pad}" y="22" font-size="15" font-weight="600" fill="#1c2430">{escape(title)}</text>']
    for i, bar in enumerate(bars):
        y = top + i * row_h
        w = round(span * bar.value / peak, 1) if bar.value > 0 else 0
        shown = _number(bar.value) + unit
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{_number(bar.value)}">'
            f'<title>{escape(bar.label)}: {escape(shown)}</title>'
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="13" fill="#1c2430">'
            f'{escape(bar.label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="{row_h - 10}" fill="{bar.colour}"/>'
            f'<text class="value" x="{label_w + w + 6}" y="{y + 19}" font-size="13" fill="#1c2430">'
            f'{escape(shown)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")  # Vietnamese thousands: 12.345
    return f"{value:.1f}".replace(".", ",")
