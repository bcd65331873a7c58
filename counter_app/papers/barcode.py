"""Code 128 and QR drawn as vector shapes on a reportlab canvas.

Each symbol becomes one form XObject drawn in module units (one module = one unit, integer
coordinates) and placed with a scale. That keeps it fast (a slip prints two copies of the same
symbols: the second is a one-line reference) and crisp: the bars are one filled path, which rasterises
without the hairline seams that separate rectangles show between touching modules.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import cache, lru_cache

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


def _mask_penalty(rows: list[str]) -> int:
    """ISO/IEC 18004 mask penalty (N1 runs, N2 2x2 blocks, N3 finder look-alikes, N4 balance) of a
    symbol given as rows of '0'/'1'.

    reportlab scores the eight masks in pure Python at about 1 ms each; strings, regular expressions and
    integer bit operations do the same in a fraction of that.
    """
    cols = ["".join(col) for col in zip(*rows, strict=True)]
    size = len(rows)
    # Every row and column in one string, '2' between them so no run or pattern spans two lines.
    lines = "2".join(rows + cols)
    runs = _RUN_RE.findall(lines)
    penalty = sum(map(len, runs)) - 2 * len(runs)  # 3 for a run of 5, one more per module beyond
    # Neither finder look-alike overlaps itself, so a plain count finds every occurrence.
    penalty += 40 * (lines.count(_FINDER_A) + lines.count(_FINDER_B))
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
_FINDER_A = "10111010000"
_FINDER_B = "00001011101"
_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
# Per symbol version: for each of the eight masks, the cells (row * size + column) it inverts.
_MASK_CELLS: dict[int, tuple[tuple[int, ...], ...]] = {}
_DATA_POSITIONS: dict[int, list[tuple[int, int]]] = {}  # (column, row) of the data modules, in order


class _QRCode(qrencoder.QRCode):
    """reportlab's QR encoder, made several times faster where it spends its time.

    reportlab lays the whole symbol out again for each of the eight masks it scores; here it is laid
    out once and each mask only inverts its cells of a flat copy (scored with the format bits blank, as
    reportlab scores), then the chosen mask's copy gets its format and version bits. The codewords'
    Reed-Solomon remainders come from `_codewords`. The symbols are module for module those of the
    encoder before it (tests/unit/test_barcode_qr.py).
    """

    def makeImpl(self, test: bool, maskPattern: int) -> None:  # noqa: N802, N803 - reportlab's names
        if self.dataCache is None:
            self.dataCache = _codewords(self.version, self.errorCorrectLevel, self.dataList)
        super().makeImpl(test, maskPattern)

    def make(self) -> None:
        if self.version is None:
            self.version = self.calculate_version()
        self.makeImpl(True, 0)
        size = self.moduleCount
        cells = self._mask_cells()
        plain = bytearray(bool(dark) for row in self.modules for dark in row)
        for index in cells[0]:  # undo mask 0: the data as placed, unmasked
            plain[index] ^= 1
        best: tuple[int, int, bytearray] | None = None
        for pattern, inverted in enumerate(cells):
            masked = bytearray(plain)
            for index in inverted:
                masked[index] ^= 1
            digits = masked.translate(_AS_DIGITS).decode("ascii")
            penalty = _mask_penalty([digits[start:start + size] for start in range(0, size * size, size)])
            if best is None or penalty < best[0]:
                best = (penalty, pattern, masked)
        assert best is not None
        _, pattern, masked = best
        self.modules = [[bool(m) for m in masked[start:start + size]] for start in range(0, size * size, size)]
        self.setupTypeInfo(False, pattern)
        if self.version >= 7:
            self.setupTypeNumber(False)

    def dataPosIterator(self) -> list[tuple[int, int]]:  # noqa: N802 - reportlab's method name
        # Where the data modules go depends on the version alone: remembered per version, not per symbol.
        positions = _DATA_POSITIONS.get(self.version)
        if positions is None:
            positions = _DATA_POSITIONS[self.version] = list(self._dataPosIterator())
        return positions

    def _mask_cells(self) -> tuple[tuple[int, ...], ...]:
        cells = _MASK_CELLS.get(self.version)
        if cells is None:
            size = self.moduleCount
            positions = self.dataPosIterator()
            cells = tuple(
                tuple(row * size + col for col, row in positions if qrencoder.QRUtil.getMask(pattern)(row, col))
                for pattern in range(8)
            )
            _MASK_CELLS[self.version] = cells
        return cells


def _codewords(version: int, level: int, segments: list) -> list[int]:
    """The symbol's data and error correction codewords, interleaved: reportlab's `createData`, with the
    Reed-Solomon remainders computed from log tables and a remembered generator polynomial (reportlab
    rebuilds the polynomial and divides by it recursively, about half the encoding time)."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    bits = qrencoder.QRBitBuffer()
    for segment in segments:
        segment.write(bits, version)
    capacity = sum(block.dataCount for block in blocks) * 8
    if bits.getLengthInBits() > capacity:
        raise ValueError(f"QR data too long for version {version} ({bits.getLengthInBits()} > {capacity} bits)")
    if bits.getLengthInBits() + 4 <= capacity:
        bits.put(0, 4)  # terminator
    while bits.getLengthInBits() % 8:
        bits.putBit(False)
    data = list(bits.buffer)
    data += itertools.islice(itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)), capacity // 8 - len(data))
    data_blocks, ec_blocks = [], []
    offset = 0
    for block in blocks:
        chunk = data[offset:offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(chunk)
        ec_blocks.append(_rs_remainder(chunk, block.totalCount - block.dataCount))
    return [
        word for group in itertools.chain(itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks))
        for word in group if word is not None
    ]


_EXP = qrencoder.EXP_TABLE  # GF(256) antilogarithms and logarithms, the tables reportlab builds
_LOG = qrencoder.LOG_TABLE


@cache
def _generator_logs(degree: int) -> tuple[tuple[int, int], ...]:
    """(position, logarithm) of each non-zero coefficient after the leading 1 of the product of
    (x - a^i), i < degree."""
    poly = [1]
    for i in range(degree):
        product = [*poly, 0]
        for j, coefficient in enumerate(poly):
            if coefficient:
                product[j + 1] ^= _EXP[(_LOG[coefficient] + i) % 255]
        poly = product
    return tuple((position, _LOG[c]) for position, c in enumerate(poly[1:], start=1) if c)


def _rs_remainder(data: list[int], degree: int) -> list[int]:
    """The `degree` error correction codewords of a block: data * x^degree modulo the generator."""
    generator = _generator_logs(degree)
    remainder = [*data, *([0] * degree)]
    for index in range(len(data)):
        coefficient = remainder[index]
        if coefficient:
            log = _LOG[coefficient]
            for position, g in generator:
                remainder[index + position] ^= _EXP[(log + g) % 255]
    return remainder[len(data):]


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
