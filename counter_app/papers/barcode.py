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
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

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


def _runs(bits: str | tuple[bool, ...]) -> list[tuple[int, int]]:
    """(start, length) of each dark run in a row of modules."""
    runs = []
    start = None
    for index, dark in enumerate((*bits, False)):
        dark = dark is True or dark == "1"
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


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
        f"{start + CODE128_QUIET_MODULES} 0 {length} 1 re" for start, length in _runs(code128_modules(value))
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


def _mask_penalty(modules: list[list[bool]]) -> int:
    """ISO/IEC 18004 mask penalty (N1 runs, N2 2x2 blocks, N3 finder look-alikes, N4 balance).

    reportlab scores the eight masks in pure Python at about 1 ms each; strings, regular expressions and
    integer bit operations do the same in a fraction of that, which keeps a slip under 50 ms.
    """
    rows = ["".join("1" if m else "0" for m in row) for row in modules]
    cols = ["".join(col) for col in zip(*rows, strict=True)]
    lines = rows + cols
    size = len(rows)
    penalty = 0
    for line in lines:
        for run in _RUN_RE.finditer(line):
            penalty += 3 + (len(run.group()) - 5)
        penalty += 40 * (len(_FINDER_A.findall(line)) + len(_FINDER_B.findall(line)))
    mask = (1 << (size - 1)) - 1
    values = [int(row, 2) for row in rows]
    for upper, lower in zip(values, values[1:], strict=False):
        same_vertical = ~(upper ^ lower)
        same_block = same_vertical & (same_vertical >> 1) & ~(upper ^ (upper >> 1)) & mask
        penalty += 3 * same_block.bit_count()
    dark = sum(row.count("1") for row in rows)
    penalty += 10 * (abs(dark * 20 - size * size * 10) // (size * size))
    return penalty


_RUN_RE = re.compile(r"0{5,}|1{5,}")
_FINDER_A = re.compile(r"(?=10111010000)")
_FINDER_B = re.compile(r"(?=00001011101)")


class _QRCode(qrencoder.QRCode):
    """reportlab's QR encoder with a faster choice among the eight (equally valid) masks."""

    def getBestMaskPattern(self) -> int:  # noqa: N802 - reportlab's method name
        scores = []
        for pattern in range(8):
            self.makeImpl(True, pattern)
            scores.append((_mask_penalty(self.modules), pattern))
        return min(scores)[1]


@lru_cache(maxsize=32)
def qr_matrix(value: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The QR module grid (rows top to bottom), encoded by reportlab's QR encoder.

    Cached: encoding costs milliseconds and a paper draws the same code on each copy.
    """
    if not value:
        raise ValueError("a QR code needs a value")
    if level not in ("L", "M", "Q", "H"):
        raise ValueError(f"QR error correction level must be L, M, Q or H, got {level!r}")
    qr = _QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(value)
    qr.make()
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


@lru_cache(maxsize=32)
def _qr_operators(value: str, level: str) -> tuple[int, str]:
    grid = qr_matrix(value, level)
    units = len(grid) + 2 * QR_QUIET_MODULES
    rects = []
    for row_index, row in enumerate(grid):
        y = units - QR_QUIET_MODULES - row_index - 1  # PDF y grows upwards, rows go down
        for start, length in _runs(row):
            rects.append(f"{start + QR_QUIET_MODULES} {y} {length} 1 re")
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
