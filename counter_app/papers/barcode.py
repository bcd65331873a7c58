"""Code 128 and QR drawn as vector shapes on a reportlab canvas.

Each symbol becomes one form XObject drawn in module units (one module = one unit, integer
coordinates) and placed with a scale. That keeps it fast (a slip prints two copies of the same
symbols: the second is a one-line reference) and crisp: the bars are one filled path, which rasterises
without the hairline seams that separate rectangles show between touching modules.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import barcode as python_barcode
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.papers.qr_encoder import qr_rows

# ISO/IEC 15417 asks for a quiet zone of at least 10 modules on each side of a Code 128 symbol.
CODE128_QUIET_MODULES = 10
# The X-dimension (narrowest bar). 0.36 mm (14 mil) is just over two pixels of a 150 dpi scan or
# fax of a worn copy, which still decodes at any phase of the pixel grid; 0.25 mm did only from 300 dpi,
# and 0.33-0.34 mm (two pixels or less) is where a 150 dpi image starts losing bars. A dossier code
# (25 characters, 288 modules) with its quiet zones is then 111 mm: it fits an A5 text width.
CODE128_MODULE = 0.36 * mm
# Below this a 200 dpi office printer starts merging bars; we shrink no further.
CODE128_MIN_MODULE = 0.19 * mm
# The QR standard's quiet zone is 4 modules.
QR_QUIET_MODULES = 4
_DARK_RUN = re.compile("1+")  # a bar, or a run of dark modules in a QR row


@lru_cache(maxsize=64)
def code128_modules(value: str) -> str:
    """The symbol as '1' (bar) / '0' (space) modules, start, check and stop included."""
    if not value or not value.isascii() or not value.isprintable():
        raise ValueError(f"Code 128 needs a non-empty printable ASCII value, got {value!r}")
    return python_barcode.get("code128", value).build()[0]


def code128_width(value: str, module: float = CODE128_MODULE) -> float:
    """Width of the symbol plus both quiet zones, in points."""
    return (len(code128_modules(value)) + 2 * CODE128_QUIET_MODULES) * module


def code128_module_for(value: str, max_width: float) -> float:
    """The nominal module width, narrowed (never below the printable minimum) to fit `max_width`."""
    count = len(code128_modules(value)) + 2 * CODE128_QUIET_MODULES
    return max(CODE128_MIN_MODULE, min(CODE128_MODULE, max_width / count))


def _form_name(kind: str, value: str) -> str:
    # Form names are PDF names: keep them short and free of the value's own characters.
    return f"{kind}{hashlib.sha1(value.encode('utf-8')).hexdigest()[:16]}"


def _define_form(canvas: Canvas, name: str, width: int, height: int, operators: str) -> None:
    """Define the form XObject once per document; later copies only reference it."""
    if canvas.hasForm(name):
        return
    canvas.beginForm(name, 0, 0, width, height)
    canvas.addLiteral(operators)
    canvas.endForm()


@lru_cache(maxsize=64)
def _code128_operators(value: str) -> str:
    bars = " ".join(
        f"{bar.start() + CODE128_QUIET_MODULES} 0 {bar.end() - bar.start()} 1 re"
        for bar in _DARK_RUN.finditer(code128_modules(value))
    )
    return f"0 g {bars} f"


def draw_code128(
    canvas: Canvas, value: str, x: float, y: float, height: float, module: float = CODE128_MODULE
) -> float:
    """Draw at (x, y) = lower left of the quiet zone; returns the total width used."""
    units = len(code128_modules(value)) + 2 * CODE128_QUIET_MODULES
    name = _form_name("C128", value)
    _define_form(canvas, name, units, 1, _code128_operators(value))
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(module, height)
    canvas.doForm(name)
    canvas.restoreState()
    return units * module


def qr_matrix(value: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The QR module grid (rows top to bottom), the symbol reportlab's encoder makes
    (papers/qr_encoder.py)."""
    return tuple(tuple(module == "1" for module in row) for row in qr_rows(value, level))


@lru_cache(maxsize=32)
def _qr_operators(value: str, level: str) -> tuple[int, str]:
    # Remembered: a paper draws the same code on each copy.
    rows = qr_rows(value, level)
    units = len(rows) + 2 * QR_QUIET_MODULES
    rects = []
    for row_index, row in enumerate(rows):
        y = units - QR_QUIET_MODULES - row_index - 1  # PDF y grows upwards, rows go down
        for run in _DARK_RUN.finditer(row):
            rects.append(f"{run.start() + QR_QUIET_MODULES} {y} {run.end() - run.start()} 1 re")
    return units, f"0 g {' '.join(rects)} f"


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float, level: str = "M") -> None:
    """Draw a QR code in the square (x, y, size), its 4-module quiet zone included in `size`."""
    units, operators = _qr_operators(value, level)
    name = _form_name(f"QR{level}", value)
    _define_form(canvas, name, units, units, operators)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / units, size / units)
    canvas.doForm(name)
    canvas.restoreState()
