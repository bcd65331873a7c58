"""Bar charts drawn on the server as SVG (no JavaScript, no CDN, nothing to load): each bar
carries its number as text, so a reader — or a test — reads the figures off the chart itself.
Each chart comes twice, wide (labels beside the bars) and narrow (labels above them, for a
phone); the style sheet shows one."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

PALETTE = ("#0b5394", "#1e7b34", "#6aa84f", "#b00020", "#8a5a00", "#7f6000", "#5b6573")
INK = "#1c2430"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to measure (a rate with nothing to divide by): no bar
    colour: str = PALETTE[0]


Figure = Callable[[float | None], str]


def bar_chart(bars: list[Bar], *, title: str, figure: Figure | None = None, chart_id: str = "chart") -> str:
    """`figure` writes each bar's number (default: a count, 12.345); the page's tables and the chart
    must say a figure the same way, so a page passes the writer its tables use."""
    shown = figure or (lambda value: vn_number(value or 0))
    return _draw(bars, title, shown, chart_id, narrow=False) + _draw(bars, title, shown, chart_id + "-narrow",
                                                                      narrow=True)


# An SVG text never wraps by itself: the title is broken into lines by a generous estimate of a
# semibold 15 px glyph's width (DejaVu Sans, the widest of the fonts a PC falls back to).
TITLE_SIZE, TITLE_GLYPH, TITLE_LINE = 15, 9.6, 19


def title_lines(title: str, room: float) -> list[str]:
    return textwrap.wrap(title, max(8, int(room // TITLE_GLYPH))) or [""]


def _draw(bars: list[Bar], title: str, figure: Figure, chart_id: str, *, narrow: bool) -> str:
    width, pad, top = (360, 8, 30) if narrow else (720, 10, 34)
    lines = title_lines(title, width - 2 * pad)
    top += TITLE_LINE * (len(lines) - 1)
    label_w = 0 if narrow else 250
    row_h = 44 if narrow else 30
    bar_y, text_y = (20, 34) if narrow else (5, 19)  # the bar and its number, from the row's top
    height = top + row_h * max(1, len(bars)) + pad
    peak = max((b.value or 0 for b in bars), default=0) or 1
    left = pad if narrow else label_w
    span = width - left - 80
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {"narrow" if narrow else "wide"}" '
             f'id="{escape(chart_id)}" role="img" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
             f'<text class="title" x="{pad}" y="20" font-size="{TITLE_SIZE}" font-weight="600" fill="{INK}">'
             + "".join(f'<tspan x="{pad}" dy="{0 if i == 0 else TITLE_LINE}">{escape(line)}</tspan>'
                       for i, line in enumerate(lines)) + '</text>']
    for i, bar in enumerate(bars):
        y = top + i * row_h
        w = round(span * bar.value / peak, 1) if bar.value else 0
        shown = figure(bar.value)
        label = (f'<text x="{pad}" y="{y + 14}" font-size="13" fill="{INK}">{escape(bar.label)}</text>' if narrow
                 else f'<text x="{label_w - 8}" y="{y + text_y}" text-anchor="end" font-size="13" fill="{INK}">'
                      f'{escape(bar.label)}</text>')
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{escape(shown)}">'
            f'<title>{escape(bar.label)}: {escape(shown)}</title>{label}'
            f'<rect x="{left}" y="{y + bar_y}" width="{w}" height="20" fill="{bar.colour}"/>'
            f'<text class="value" x="{left + w + 6}" y="{y + text_y}" font-size="13" fill="{INK}">'
            f'{escape(shown)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def vn_number(value: float) -> str:
    """12345 -> "12.345", 87.5 -> "87,5": numbers as Vietnamese write them."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")
