"""QR symbols for the papers, encoded in a fraction of the time reportlab's encoder takes.

reportlab chooses the segments, the version and the format bits (its tables are the reference); what
it does in pure Python one module at a time is done here on whole symbols. What a version's symbols
share (where the data modules go, the function patterns, the cells each mask inverts) is worked out
once per version. A symbol is then a row-major string of '0'/'1' and that string as one integer: each
of the eight masks is one XOR, and its ISO/IEC 18004 penalty a few shifts and bit counts over every
row and column at once. The symbols are module for module those reportlab lays out with the
best-scoring mask (tests/unit/test_barcode_qr.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter

from reportlab.graphics.barcode import qrencoder

LEVELS = ("L", "M", "Q", "H")
# The two 1:1:3:1:1 finder look-alikes with four light modules on one side, first module first.
_FINDERS = ("10111010000", "00001011101")
_BYTE_DIGITS = tuple(f"{byte:08b}" for byte in range(256))
_EXP = qrencoder.EXP_TABLE  # GF(256) antilogarithms and logarithms, the tables reportlab builds
_LOG = qrencoder.LOG_TABLE


@lru_cache(maxsize=32)
def qr_rows(value: str, level: str = "M") -> tuple[str, ...]:
    """The symbol's rows, top to bottom, each a string of '1' (dark) and '0' (light) modules."""
    if not value:
        raise ValueError("a QR code needs a value")
    if level not in LEVELS:
        raise ValueError(f"QR error correction level must be L, M, Q or H, got {level!r}")
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(value)  # reportlab picks the segment modes ...
    version = qr.calculate_version()  # ... and the smallest version they fit
    grid = _grid(version)
    data = "".join(_BYTE_DIGITS[word] for word in _codewords(version, qr.errorCorrectLevel, qr.dataList))
    source = data.ljust(grid.data_cells, "0") + "01"  # the remainder bits are light; then the two constants
    plain = int("".join(grid.rows(source)), 2)
    plain_columns = int("".join(grid.columns(source)), 2)
    scores = [
        grid.penalty(plain ^ mask, plain_columns ^ column_mask)
        for mask, column_mask in zip(grid.masks, grid.column_masks, strict=True)
    ]
    pattern = scores.index(min(scores))  # the first of equal scores, as reportlab keeps
    symbol = plain ^ grid.masks[pattern] | _format_modules(version, qr.errorCorrectLevel, pattern)
    digits = format(symbol, f"0{grid.size * grid.size}b")
    return tuple(digits[start:start + grid.size] for start in range(0, len(digits), grid.size))


# --------------------------------------------------------------------------------------------------
# What the symbols of one version share


@dataclass(frozen=True)
class _Grid:
    """A version's layout, with its modules numbered row-major: bit `size*size - 1 - index` of a
    symbol's integer is module `index`, so a row reads left to right from high bits to low."""

    size: int
    data_cells: int  # modules that carry codeword and remainder bits
    rows: itemgetter  # picks, from the data bits followed by '0' and '1', the modules in row order
    columns: itemgetter  # the same in column order (the transposed symbol)
    masks: tuple[int, ...]  # per mask pattern, the data modules it inverts, rows ...
    column_masks: tuple[int, ...]  # ... and transposed
    pairs: int  # bits q whose module and the one before it (bit q+1) are in one line
    windows: int  # bits q where eleven modules, bits q..q+10, are in one line
    blocks: int  # bits q that are the lower right module of a 2x2 block

    def penalty(self, symbol: int, transposed: int) -> int:
        """ISO/IEC 18004 mask penalty of a symbol scored with its format modules light (as reportlab
        scores): N1 runs of five or more, N3 finder look-alikes (both over rows and columns), N2 2x2
        blocks of one colour, N4 the dark share's distance from half."""
        score = 0
        for lines in (symbol, transposed):
            same = ~(lines ^ (lines >> 1)) & self.pairs
            fives = same & (same >> 1) & (same >> 2) & (same >> 3)  # bit q: modules q..q+4 alike
            # A run of n >= 5 scores n - 2: n - 4 windows of five, plus 2 for the run (its top end).
            score += fives.bit_count() + 2 * (fives & ~(fives >> 1)).bit_count()
            shifted = [lines >> offset for offset in range(11)]
            for finder in _FINDERS:
                found = self.windows
                for offset, module in enumerate(reversed(finder)):
                    found &= shifted[offset] if module == "1" else ~shifted[offset]
                score += 40 * found.bit_count()
        across = ~(symbol ^ (symbol >> 1))
        down = ~(symbol ^ (symbol >> self.size))
        score += 3 * (across & (down >> 1) & (across >> self.size) & self.blocks).bit_count()
        cells = self.size * self.size
        return score + 10 * (abs(symbol.bit_count() * 20 - cells * 10) // cells)


@cache
def _grid(version: int) -> _Grid:
    qr = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    qr.dataCache = []  # no data: every data module is laid out light, before the mask
    qr.makeImpl(True, 0)  # function patterns, format modules light (reportlab's scoring layout)
    size = qr.moduleCount
    positions = qr._dataPosIterator()  # (column, row) in placement order
    index_of = {row * size + column: index for index, (column, row) in enumerate(positions)}
    data_cells = len(index_of)
    light, dark = data_cells, data_cells + 1  # where '0' and '1' follow the data bits
    source = [
        index_of.get(cell, dark if qr.modules[cell // size][cell % size] else light) for cell in range(size * size)
    ]
    transpose = [column * size + row for row in range(size) for column in range(size)]

    def bits(cells: Iterable[int]) -> int:
        digits = bytearray(b"0" * (size * size))
        for cell in cells:
            digits[cell] = ord("1")
        return int(digits, 2)

    masks, column_masks = [], []
    for pattern in range(8):
        inverts = qrencoder.QRUtil.getMask(pattern)
        cells = [cell for cell in index_of if inverts(cell // size, cell % size)]
        masks.append(bits(cells))
        column_masks.append(bits(transpose[cell] for cell in cells))
    return _Grid(
        size=size,
        data_cells=data_cells,
        rows=itemgetter(*source),
        columns=itemgetter(*(source[cell] for cell in transpose)),
        masks=tuple(masks),
        column_masks=tuple(column_masks),
        pairs=bits(row * size + column for row in range(size) for column in range(1, size)),
        windows=bits(row * size + column for row in range(size) for column in range(10, size)),
        blocks=bits(row * size + column for row in range(1, size) for column in range(1, size)),
    )


@cache
def _format_modules(version: int, level: int, pattern: int) -> int:
    """The format (and from version 7 the version) modules that are dark, and the dark module."""
    qr = qrencoder.QRCode(version, level)
    size = qr.moduleCount = version * 4 + 17
    qr.modules = [[False] * size for _ in range(size)]
    qr.setupTypeInfo(False, pattern)
    if version >= 7:
        qr.setupTypeNumber(False)
    return int("".join("1" if dark else "0" for row in qr.modules for dark in row), 2)


# --------------------------------------------------------------------------------------------------
# Codewords


class _Bits:
    """A bit buffer for reportlab's segments to write into (they only call `put`), kept as digits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def put(self, number: int, length: int) -> None:
        if length:
            self.parts.append(format(number & ((1 << length) - 1), f"0{length}b"))
            self.length += length

    def getLengthInBits(self) -> int:  # noqa: N802 - reportlab's name
        return self.length


def _codewords(version: int, level: int, segments: list) -> list[int]:
    """The symbol's data and error correction codewords, interleaved, as reportlab's `createData` makes
    them (reportlab rebuilds the generator polynomial and divides by it recursively, most of its time)."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    bits = _Bits()
    for segment in segments:
        segment.write(bits, version)
    capacity = sum(block.dataCount for block in blocks) * 8
    if bits.length > capacity:
        raise ValueError(f"QR data too long for version {version} ({bits.length} > {capacity} bits)")
    if bits.length + 4 <= capacity:
        bits.put(0, 4)  # terminator
    digits = "".join(bits.parts)
    digits += "0" * (-len(digits) % 8)
    data = list(int(digits, 2).to_bytes(len(digits) // 8, "big")) if digits else []
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


@cache
def _generator_products(degree: int) -> tuple[int, ...]:
    """For each byte f, f times the generator polynomial of `degree` (the product of (x - a^i), i <
    degree) without its leading 1, as one `degree`-byte integer, highest coefficient first."""
    poly = [1]
    for i in range(degree):
        product = [*poly, 0]
        for j, coefficient in enumerate(poly):
            if coefficient:
                product[j + 1] ^= _EXP[(_LOG[coefficient] + i) % 255]
        poly = product
    logs = [_LOG[c] if c else None for c in poly[1:]]
    return (0, *(
        int.from_bytes(bytes(0 if log is None else _EXP[(_LOG[f] + log) % 255] for log in logs), "big")
        for f in range(1, 256)
    ))


def _rs_remainder(data: list[int], degree: int) -> list[int]:
    """The `degree` error correction codewords of a block: data * x^degree modulo the generator, worked
    out a byte at a time in a `degree`-byte shift register held as one integer."""
    products = _generator_products(degree)
    top = 8 * (degree - 1)
    keep = (1 << top) - 1
    register = 0
    for byte in data:
        register = ((register & keep) << 8) ^ products[byte ^ (register >> top)]
    return list(register.to_bytes(degree, "big"))
