"""The window's colours, and the few style sheets built from them: one palette for every screen.

Tones pair a light background with a dark text of the same hue (contrast above 7:1, readable on a
worn office monitor); a screen names the tone for what it says (success, warning…), never a colour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tone:
    background: str
    text: str


INFO = Tone("#e8f0fe", "#174ea6")
SUCCESS = Tone("#e6f4ea", "#0d652d")
WARNING = Tone("#fef7e0", "#7a4f01")
ERROR = Tone("#fce8e6", "#a50e0e")
NEUTRAL = Tone("#f1f3f4", "#3c4043")
TONES = {"info": INFO, "success": SUCCESS, "warning": WARNING, "error": ERROR, "neutral": NEUTRAL}

TEXT = NEUTRAL.text
HINT = "#5f6368"  # secondary text: explanations under a field or a list
DIVIDER = "#c0c0c0"  # between the status bar's segments
FROM_CARD = "#fff8c5"  # a field the ID card's QR filled, until the officer edits it
PAGE_BACKDROP = "#6b6b6b"  # behind the pages of a print preview
LOCK_SCREEN = "#e9eef4"  # behind the log-in when the counter is locked
# The statistics chart: received, resolved, on-time rate, grid.
CHART_RECEIVED, CHART_RESOLVED, CHART_RATE, CHART_GRID = "#1a73e8", "#34a853", "#e8710a", "#dadce0"

HINT_STYLE = f"color: {HINT};"
ERROR_TEXT_STYLE = f"color: {ERROR.text}; font-weight: bold;"
# A list whose rows wrap onto several lines: a line under each row shows where one ends.
DIVIDED_ROWS_STYLE = f"QListWidget::item {{ border-bottom: 1px solid {DIVIDER}; padding: 4px 2px; }}"
STATUS_SEGMENT_STYLE = f"padding: 0 8px; border-left: 1px solid {DIVIDER};"


def notice_style(tone: Tone) -> str:
    """A short notice inside a form (the card was read, the due time moved)."""
    return f"color: {tone.text}; background: {tone.background}; padding: 4px;"


def text_style(tone: Tone, *, bold: bool = False) -> str:
    return f"color: {tone.text};" + (" font-weight: bold;" if bold else "")
