"""Text on a paper, measured before it is drawn: runs of one face, lines wrapped to a width (a code or
a date kept whole), their heights with the room Vietnamese stacked marks need, and drawing them.
papers/layout.py builds its blocks from these."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counter_app.papers.fonts import REGULAR, register_fonts

# Be Vietnam Pro: ascender 1000/1000 (room for stacked Vietnamese marks), descender 265/1000.
FONT_ASCENT = 1.0
FONT_DESCENT = 0.265
LEADING = 1.3

Align = Literal["left", "center", "right"]
Painter = Callable[[Canvas, float, float], None]



# --------------------------------------------------------------------------------------------------
# Text measuring and wrapping


@dataclass(frozen=True)
class Run:
    """A piece of text in one face; a paragraph is a sequence of runs (label regular, value bold)."""

    text: str
    font: str = REGULAR
    keep: bool = False  # wrap as one unit (a date, a code) unless it is wider than a whole line


@dataclass(frozen=True)
class Line:
    segments: tuple[tuple[float, str, str], ...]  # (x offset, text, font): same-font words merged
    width: float
    indent: float


@lru_cache(maxsize=8192)
def text_width(text: str, font: str, size: float) -> float:
    """stringWidth, remembered: reportlab measures TrueType text in pure Python, and a paper measures
    the same words again for each font size it tries and for each copy."""
    return stringWidth(text, font, size)


def line_height(size: float) -> float:
    return size * LEADING


def baseline_offset(size: float) -> float:
    """Distance from the top of a line box to its baseline, centring the font's full height."""
    return (line_height(size) - size * (FONT_ASCENT + FONT_DESCENT)) / 2 + size * FONT_ASCENT


_TOKEN_RE = re.compile(r"\s+|\S+")


def _nfc_keep_spaces(text: str) -> str:
    """NFC without trimming: a label's trailing space separates it from the value that follows."""
    return unicodedata.normalize("NFC", text or "")


def _tokens(runs: Iterable[Run]) -> list[tuple[str, str]]:
    """(token, font) pairs; any whitespace collapses to one space token."""
    tokens: list[tuple[str, str]] = []
    for run in runs:
        text = _nfc_keep_spaces(run.text)
        if run.keep and text.strip():
            if text[:1].isspace():
                tokens.append((" ", run.font))
            tokens.append((" ".join(text.split()), run.font))
            if text[-1:].isspace():
                tokens.append((" ", run.font))
            continue
        for token in _TOKEN_RE.findall(text):
            tokens.append((" " if token.isspace() else token, run.font))
    return tokens


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    """How many leading characters of `word` fit in `width` (at least one, so wrapping always moves)."""
    count = 1
    while count < len(word) and text_width(word[: count + 1], font, size) <= width:
        count += 1
    return count


class _LineBuilder:
    """Greedy line filling; words arrive one by one with the face they are set in."""

    def __init__(self, size: float, width: float, first_indent: float, rest_indent: float) -> None:
        self.size = size
        self.width = width
        self.rest_indent = rest_indent
        self.indent = first_indent
        self.lines: list[Line] = []
        self.current: list[tuple[float, str, str]] = []
        self.cursor = 0.0

    @property
    def available(self) -> float:
        return self.width - self.indent

    def flush(self) -> None:
        self.lines.append(Line(tuple(_merge(self.current)), self.cursor, self.indent))
        self.current, self.cursor, self.indent = [], 0.0, self.rest_indent

    def _put(self, text: str, font: str, advance: float) -> None:
        self.current.append((self.cursor, text, font))
        self.cursor += advance

    def add(self, word: str, font: str, space_font: str | None) -> None:
        """Add a word, preceded by a space set in `space_font` (None: no space)."""
        size = self.size
        word_width = text_width(word, font, size)
        space_width = text_width(" ", space_font, size) if (space_font and self.current) else 0.0
        if self.current and self.cursor + space_width + word_width > self.available:
            self.flush()
            space_width = 0.0
        if word_width <= self.available:
            if space_width and space_font:
                self._put(" ", space_font, space_width)
            self._put(word, font, word_width)
            return
        if " " in word:
            # A kept run wider than a whole line: give up keeping it and wrap its words.
            for index, part in enumerate(word.split(" ")):
                self.add(part, font, space_font if index == 0 else font)
            return
        # One word wider than a line (an e-mail address, a URL): cut it where the line ends.
        if self.current:
            self.flush()
        rest = word
        while rest:
            count = _longest_prefix(rest, font, size, self.available)
            piece, rest = rest[:count], rest[count:]
            self._put(piece, font, text_width(piece, font, size))
            if rest:
                self.flush()


def wrap(
    runs: Sequence[Run] | str,
    size: float,
    width: float,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    font: str = REGULAR,
) -> list[Line]:
    """Greedy word wrap of styled runs into lines no wider than `width` (indents included)."""
    register_fonts()  # measuring needs the faces; a flag check once they are registered
    key = (Run(runs, font),) if isinstance(runs, str) else tuple(runs)
    # A new list each time: callers extend what they get.
    return list(_wrapped(key, size, width, first_indent, rest_indent))


@lru_cache(maxsize=2048)
def _wrapped(runs: tuple[Run, ...], size: float, width: float, first_indent: float, rest_indent: float
             ) -> tuple[Line, ...]:
    """Remembered: a paper lays its content out again for each body size and spacing it tries (the
    slip up to three times), and most paragraphs come out the same each time."""
    builder = _LineBuilder(size, width, first_indent, rest_indent)
    # A space belongs to the run it was typed in: "của: " stays regular before a bold name.
    pending_space: str | None = None
    for token, token_font in _tokens(runs):
        if token == " ":
            pending_space = pending_space or token_font
            continue
        builder.add(token, token_font, pending_space)
        pending_space = None
    if builder.current or not builder.lines:
        builder.flush()
    return tuple(builder.lines)


def _merge(segments: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """Join neighbouring segments of the same face: fewer text operators, and text extraction
    returns whole phrases ('Nguyễn Văn Đức') instead of word soup."""
    merged: list[tuple[float, str, str]] = []
    for x, text, font in segments:
        if merged and merged[-1][2] == font:
            prev_x, prev_text, _ = merged[-1]
            merged[-1] = (prev_x, prev_text + text, font)
        else:
            merged.append((x, text, font))
    # A trailing space is invisible and would shift centring.
    if merged and merged[-1][1].endswith(" "):
        x, text, font = merged[-1]
        merged[-1] = (x, text.rstrip(" "), font)
    return merged


def draw_lines(
    canvas: Canvas, lines: Sequence[Line], x: float, y_top: float, width: float, size: float,
    align: Align = "left", leading: float | None = None,
) -> float:
    """Paint wrapped lines in the box starting at (x, y_top); returns the height used."""
    step = leading if leading is not None else line_height(size)
    base = baseline_offset(size) + (step - line_height(size)) / 2
    y = y_top
    current_font = None
    for line in lines:
        if align == "center":
            left = x + (width - line.width) / 2
        elif align == "right":
            left = x + width - line.width
        else:
            left = x + line.indent
        for offset, text, font in line.segments:
            if not text:
                continue
            if font != current_font:
                canvas.setFont(font, size)
                current_font = font
            canvas.drawString(left + offset, y - base, text)
        y -= step
    return y_top - y
