"""How long printing a Mẫu 01 slip takes, against the floor reportlab itself sets.

    .venv/bin/python bench/bench_slip.py [--runs 50]

- render_slip: A5, both copies, Code 128 + look-up QR + VietQR; a new dossier code on every run, so
  the QR encodings are really computed (the cache only helps within one slip);
- bare canvas: the same strings drawn with plain drawString at fixed positions on two A5 pages, same
  fonts, no measuring, wrapping, barcodes or QR codes;
- the ratio of the two medians. Target: render_slip under 50 ms;
- the shipped birth registration (five long documents): the slip that has to shrink to fit one page.
"""

from __future__ import annotations

import argparse
import io
import itertools
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A5  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from timing import median_ms  # noqa: E402

from counter_app.papers.fonts import REGULAR, register_fonts  # noqa: E402
from counter_app.papers.page_flow import plain_streams  # noqa: E402
from counter_app.papers.slip import SlipData, SlipDocument, render_slip  # noqa: E402
from tests.paper_fixtures import SLIP  # noqa: E402
from tests.paper_fixtures import SLIP_OFFICE as OFFICE  # noqa: E402


def make_slip(number: int) -> SlipData:
    """The paper tests' slip under a new dossier code, so every run computes its QR codes afresh."""
    return replace(SLIP, code=f"000.00.20.H12-260213-{number % 10000:04d}")


def birth_registration_slip(number: int) -> SlipData:
    """The catalogue's birth registration, the procedure whose slip has to shrink to one page."""
    from counter_app.services.catalogue import load_shipped_catalogue

    birth = next(p for p in load_shipped_catalogue() if p.name == "Thủ tục đăng ký khai sinh")
    documents = tuple(SlipDocument(d.name, d.form, d.count) for d in birth.documents)
    return replace(make_slip(number), procedure_name=birth.name, documents=documents)


def slip_strings(pdf: bytes) -> list[list[str]]:
    """The text lines of each page, as printed (pypdf: a dev dependency, fine for a bench)."""
    from pypdf import PdfReader

    return [[line for line in page.extract_text().splitlines() if line.strip()]
            for page in PdfReader(io.BytesIO(pdf)).pages]


def bare_canvas(pages: list[list[str]]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, pageCompression=1)
    for lines in pages:
        canvas.setFont(REGULAR, 9)
        y = A5[1] - 10 * mm
        for line in lines:
            canvas.drawString(12 * mm, y, line)
            y -= 11
        canvas.showPage()
    with plain_streams():  # the same stream encoding as ours: the ratio is our layout and codes alone
        canvas.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    register_fonts()
    pages = slip_strings(render_slip(OFFICE, make_slip(0)))  # also warms fonts and caches
    bare_canvas(pages)

    numbers = itertools.count(1)  # a new dossier code on every run
    slip_ms = median_ms(lambda: render_slip(OFFICE, make_slip(next(numbers))), args.runs)
    same_ms = median_ms(lambda: render_slip(OFFICE, make_slip(0)), args.runs)
    bare_ms = median_ms(lambda: bare_canvas(pages), args.runs)
    birth_ms = median_ms(lambda: render_slip(OFFICE, birth_registration_slip(next(numbers))), args.runs)
    print(f"render_slip (A5, 2 copies, Code 128 + 2 QR, new code each run): {slip_ms:7.2f} ms median of {args.runs}")
    print(f"render_slip (same slip again, QR encodings cached):            {same_ms:7.2f} ms")
    print(f"bare reportlab canvas, same strings, no layout or codes:       {bare_ms:7.2f} ms")
    print(f"ratio render_slip / bare canvas:                               {slip_ms / bare_ms:7.2f}x")
    print(f"target < 50 ms: {'met' if slip_ms < 50 else 'NOT met'}")
    print(f"render_slip, birth registration (5 long documents, shrunk):     {birth_ms:7.2f} ms")


if __name__ == "__main__":
    main()
