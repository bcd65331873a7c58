"""Reading a paper back as a person would: its text, where each piece of text sits on the page, and
the codes a scanner reads from a render of it (pdftoppm, then zxing-cpp). One copy for every paper's
tests and the benches."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm (Debian package poppler-utils) is not installed: cannot rasterise"
)

Box = tuple[float, float, float, float, str]  # x0, y0, x1, y1 in points, and the text
Frame = tuple[float, float, float, float]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flattened(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (a wrapped line reads whole)."""
    return " ".join(text.split())


def rasterise(pdf: bytes, tmp_path: Path, dpi: int = 200, name: str = "paper"):  # noqa: ANN201 - PIL images
    """Every page as a greyscale image at `dpi`, the way a scanner or a printer sees it."""
    from PIL import Image

    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", str(source), str(tmp_path / name)], check=True)
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob(f"{name}-*.png"))]


def decode(image) -> dict[str, set[str]]:  # noqa: ANN001 - a PIL image
    """What a scanner reads from `image`: the Code 128 and the QR codes' texts."""
    import zxingcpp

    found: dict[str, set[str]] = {"code128": set(), "qr": set()}
    for result in zxingcpp.read_barcodes(image):
        if result.format == zxingcpp.BarcodeFormat.Code128:
            found["code128"].add(result.text)
        elif result.format == zxingcpp.BarcodeFormat.QRCode:
            found["qr"].add(result.text)
    return found


def code128(image) -> set[str]:  # noqa: ANN001 - a PIL image
    return decode(image)["code128"]


def text_boxes(pdf: bytes) -> list[list[Box]]:
    """Per page, the box of every text item, from its real font metrics."""
    result = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        boxes: list[Box] = []

        def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float,
                  boxes: list = boxes) -> None:
            if not text.strip() or not font:
                return
            face = str(font["/BaseFont"]).split("+")[-1]
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            width = stringWidth(text.rstrip("\n"), face, size)
            # Cap height rather than the accent-stacked ascender: neighbouring lines may share
            # the air above the capitals, never the letters.
            boxes.append((x, y - 0.2 * size, x + width, y + 0.72 * size, text.strip()))

        page.extract_text(visitor_text=visit)
        result.append(boxes)
    return result


def assert_inside_and_apart(boxes: list[Box], frames: Frame | list[Frame]) -> None:
    """Every piece of text inside one of the frames (the page's printable area, or each half of a
    two-up sheet), and no two pieces overlapping."""
    inside = [frames] if isinstance(frames, tuple) else frames
    for x0, y0, x1, y1, text in boxes:
        assert any(fx0 <= x0 and x1 <= fx1 and fy0 <= y0 and y1 <= fy1 for fx0, fy0, fx1, fy1 in inside), (
            f"outside the page: {text!r} at {x0:.1f},{y0:.1f}-{x1:.1f},{y1:.1f}"
        )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, f"overlap: {a[4]!r} / {b[4]!r}"


def assert_margins_blank(images: list, dpi: int, margin_mm: float) -> None:  # PIL images
    """No ink within `margin_mm` of any edge of any page image: a printer that cannot reach the edge
    would cut it off."""
    edge = int(margin_mm * dpi / 25.4)
    for index, image in enumerate(images):
        width, height = image.size
        for strip in ((0, 0, edge, height), (width - edge, 0, width, height),
                      (0, 0, width, edge), (0, height - edge, width, height)):
            assert image.crop(strip).getextrema()[0] >= 250, f"ink in the margin of page {index + 1}"


def exactly(length: int, words: list[str]) -> str:
    """Words repeated up to exactly `length` characters, ending on a whole word."""
    text = ""
    index = 0
    while len(text) < length:
        text = f"{text} {words[index % len(words)]}".strip()
        index += 1
    text = text[:length]
    return text[:-1] + "x" if text.endswith(" ") else text
