"""How long printing a Mẫu 01 slip takes, against the floor reportlab itself sets.

    .venv/bin/python bench/bench_slip.py [--runs 50]

- render_slip: A5, both copies, Code 128 + look-up QR + VietQR; a new dossier code on every run, so
  the QR encodings are really computed (the cache only helps within one slip);
- bare canvas: the bare library doing the same work: each text fragment of the slip's two pages (read
  back from its PDF) drawn in the face and at the size the slip prints it in, so reportlab subsets and
  embeds the same faces, with plain drawString at fixed positions on two A5 pages, the same stream
  encoding; no measuring, wrapping, barcodes or QR codes;
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
from typing import TYPE_CHECKING, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A5  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from timing import median_ms  # noqa: E402

from counter_app.papers.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts  # noqa: E402
from counter_app.papers.page_flow import plain_streams  # noqa: E402
from counter_app.papers.slip import SlipData, SlipDocument, render_slip  # noqa: E402
from tests.paper_fixtures import SLIP  # noqa: E402
from tests.paper_fixtures import SLIP_OFFICE as OFFICE  # noqa: E402

if TYPE_CHECKING:
    from pypdf import PageObject


def make_slip(number: int) -> SlipData:
    """The paper tests' slip under a new dossier code, so every run computes its QR codes afresh."""
    return replace(SLIP, code=f"000.00.20.H12-260213-{number % 10000:04d}")


def birth_registration_slip(number: int) -> SlipData:
    """The catalogue's birth registration, the procedure whose slip has to shrink to one page."""
    from counter_app.services.catalogue import load_shipped_catalogue

    birth = next(p for p in load_shipped_catalogue() if p.name == "Thủ tục đăng ký khai sinh")
    documents = tuple(SlipDocument(d.name, d.form, d.count) for d in birth.documents)
    return replace(make_slip(number), procedure_name=birth.name, documents=documents)


class Fragment(NamedTuple):
    """A run of text as the slip prints it: its characters, the registered face, the size in points."""

    text: str
    face: str
    size: float


def slip_strings(pdf: bytes) -> list[list[Fragment]]:
    """Each page's text fragments in the order printed, each with its face and size (pypdf: a dev
    dependency, fine for a bench). The face is read from the run's embedded font, `/AAAAAA+<name>`
    (reportlab's subset tag, then the TTF's PostScript name), and named as papers/fonts.py registers it."""
    from pypdf import PdfReader
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    faces = {pdfmetrics.getFont(face).face.name.decode(): face for face in (REGULAR, BOLD, ITALIC, BOLD_ITALIC)}
    return [_fragments(page, faces) for page in PdfReader(io.BytesIO(pdf)).pages]


def _fragments(page: PageObject, faces: dict[str, str]) -> list[Fragment]:
    fragments: list[Fragment] = []

    def visit(text: str, _cm: object, _tm: object, font: dict | None, size: float) -> None:
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            return  # the empty runs around graphics (and reportlab's Helvetica preamble) print nothing
        base_font = str(font["/BaseFont"]) if font else "?"
        face = faces.get(base_font.lstrip("/").split("+")[-1])
        if face is None:
            raise ValueError(f"the slip prints {lines[0]!r} in {base_font}, not a face papers/fonts.py registers")
        fragments.extend(Fragment(line, face, float(size)) for line in lines)

    page.extract_text(visitor_text=visit)
    return fragments


def bare_canvas(pages: list[list[Fragment]]) -> bytes:
    """The slip's fragments, each in its face and size, one under the other at a fixed step."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, pageCompression=1)
    for fragments in pages:
        y, font = A5[1] - 10 * mm, None
        for text, face, size in fragments:
            if (face, size) != font:
                canvas.setFont(face, size)
                font = face, size
            canvas.drawString(12 * mm, y, text)
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
    print(f"bare canvas, same strings in the same faces and sizes:         {bare_ms:7.2f} ms")
    print(f"ratio render_slip / bare canvas:                               {slip_ms / bare_ms:7.2f}x")
    print(f"target < 50 ms: {'met' if slip_ms < 50 else 'NOT met'}")
    print(f"render_slip, birth registration (5 long documents, shrunk):     {birth_ms:7.2f} ms")


if __name__ == "__main__":
    main()
