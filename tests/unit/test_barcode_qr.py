"""The QR codes on the papers: the fast encoder makes, module for module, the symbol reportlab's own
layout makes with the best-scoring mask, and every symbol it makes scans back."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image
from reportlab.graphics.barcode import qrencoder

from counter_app.domain import vietqr
from counter_app.papers import barcode

LOOKUP = "https://dichvucong.binhmy.gov.vn/tra-cuu?ma=000.00.20.H12-260213-{:04d}"
# A look-up address and a VietQR payload as a slip prints them, and longer values for the larger
# versions (7 and up carry version bits) at every error correction level.
VALUES = [
    LOOKUP.format(1),
    LOOKUP.format(9876),
    vietqr.build_payload("970436", "0011012345678", 50000, purpose="000.00.20.H12-260213-0001"),
    vietqr.build_payload("970436", "0011012345678", 1250000, purpose="000.00.20.H12-260213-0042"),
    "https://dichvucong.binhmy.gov.vn/thu-tuc/" + "1.000656-" * 12,
    "HỒ SƠ 000.00.20.H12-260213-0001 " * 6,
]
LEVELS = ["L", "M", "Q", "H"]


def _penalty(grid: list[list[bool]]) -> int:
    """ISO/IEC 18004 mask penalty, written out plainly as the standard states it."""
    size = len(grid)
    lines = [list(row) for row in grid] + [[grid[r][c] for r in range(size)] for c in range(size)]
    score = 0
    for line in lines:
        run = 1
        for a, b in zip(line, line[1:], strict=False):
            if a == b:
                run += 1
                continue
            score += run - 2 if run >= 5 else 0
            run = 1
        score += run - 2 if run >= 5 else 0
        text = "".join("1" if m else "0" for m in line)
        for pattern in ("10111010000", "00001011101"):
            score += 40 * sum(text.startswith(pattern, i) for i in range(len(text)))
    for r in range(size - 1):
        for c in range(size - 1):
            if grid[r][c] == grid[r][c + 1] == grid[r + 1][c] == grid[r + 1][c + 1]:
                score += 3
    dark = sum(m for row in grid for m in row)
    return score + 10 * (abs(dark * 20 - size * size * 10) // (size * size))


def _reference(value: str, level: str) -> tuple[tuple[bool, ...], ...]:
    """reportlab's plain encoder, each mask laid out in full and scored, the best one kept."""
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(value)
    qr.version = qr.calculate_version()
    scores = []
    for pattern in range(8):
        qr.makeImpl(True, pattern)
        scores.append((_penalty(qr.modules), pattern))
    qr.makeImpl(False, min(scores)[1])
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


@pytest.mark.parametrize("level", LEVELS)
def test_the_fast_qr_encoder_makes_the_reference_symbol(level: str) -> None:
    for value in VALUES:
        assert barcode.qr_matrix(value, level) == _reference(value, level), (value, level)


def test_every_qr_symbol_scans_back() -> None:
    for level in LEVELS:
        for value in VALUES:
            grid = barcode.qr_matrix(value, level)
            quiet, scale = 4, 4
            side = (len(grid) + 2 * quiet) * scale
            image = Image.new("L", (side, side), 255)
            pixels = image.load()
            for r, row in enumerate(grid):
                for c, dark in enumerate(row):
                    if dark:
                        for dy in range(scale):
                            for dx in range(scale):
                                pixels[(c + quiet) * scale + dx, (r + quiet) * scale + dy] = 0
            found = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
            assert found == [value], (value, level)
