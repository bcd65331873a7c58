"""Mẫu 01 for every shipped procedure: one sheet per copy, legible, and a barcode that scans from a
150 dpi image of a worn copy (a fax, a phone photo, a cheap flatbed scan)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from counter_app.papers import barcode
from counter_app.papers import slip as slip_module
from counter_app.papers.slip import SlipData, SlipDocument, render_slip
from counter_app.services.catalogue import ProcedureSpec, load_shipped_catalogue
from tests.paper_fixtures import LOOKUP, SLIP, SLIP_CODE, SLIP_OFFICE
from tests.pdf_reading import assert_inside_and_apart, decode, needs_pdftoppm, rasterise, text_boxes
from tests.unit.test_slip import _expected_payment, _size_of

CATALOGUE = load_shipped_catalogue()
BIRTH = next(p for p in CATALOGUE if p.name == "Thủ tục đăng ký khai sinh")


def _slip_for(procedure: ProcedureSpec) -> SlipData:
    """The slip as the counter fills it, at its fullest: a long four-part name, a two-line address, a
    fee with its VietQR, the look-up QR and an officer's note."""
    return replace(
        SLIP,
        procedure_name=procedure.name,
        working_days=procedure.working_days,
        applicant_name="Nguyễn Thị Phương Thảo Hoàng Lê Bảo Ngọc",
        address="Số 127, ngõ 34, đường Nguyễn Văn Cừ, tổ dân phố Phú Xuân, thôn Đông Thượng, xã Bình Mỹ,"
        " tỉnh Ninh Bình",
        email="phuongthao.hoangle@example.vn",
        documents=tuple(SlipDocument(d.name, d.form, d.count) for d in procedure.documents),
        register_book="2026",
        register_number="1250",
        fee_amount=procedure.fee_amount or 50000,
        note="Hồ sơ nộp thay; người nộp là con trai của người có yêu cầu.",
    )


def test_the_smallest_body_size_stays_legible() -> None:
    assert slip_module.MIN_BODY >= 7.5
    assert min(slip_module.BODY_SIZES) == slip_module.MIN_BODY


@pytest.mark.parametrize("procedure", CATALOGUE, ids=[p.code for p in CATALOGUE])
def test_every_shipped_procedure_slip_prints_on_one_sheet_per_copy(procedure: ProcedureSpec) -> None:
    data = _slip_for(procedure)
    a5 = render_slip(SLIP_OFFICE, data, "a5")
    pages = PdfReader(io.BytesIO(a5)).pages
    assert len(pages) == 2, f"{procedure.name}: {len(pages)} A5 pages"
    two_up = PdfReader(io.BytesIO(render_slip(SLIP_OFFICE, data, "a4-2up"))).pages
    assert len(two_up) == 1, f"{procedure.name}: {len(two_up)} A4 sheets"

    for text in (pages[0].extract_text(), pages[1].extract_text()):
        assert "Trang" not in text  # no continuation
        assert "Ghi chú:" in text  # the notes are on the copy's one page, not a sheet of their own
        assert f"({len(procedure.documents)}) " in text
    assert two_up[0].extract_text().count("Ghi chú:") == 2
    assert _size_of(a5, "Tiếp nhận hồ sơ của:") >= slip_module.MIN_BODY

    width, height = A5
    frame = (3 * mm, 3 * mm, width - 3 * mm, height - 3 * mm)
    assert_inside_and_apart(text_boxes(a5)[0], [frame])


def test_a_birth_registration_slip_prints_on_one_sheet_per_copy_at_8_pt_or_more() -> None:
    a5 = render_slip(SLIP_OFFICE, _slip_for(BIRTH), "a5")
    assert len(PdfReader(io.BytesIO(a5)).pages) == 2
    assert _size_of(a5, "Tiếp nhận hồ sơ của:") >= 8.0


# --------------------------------------------------------------------------------------------------
# The barcode at 150 dpi


def test_the_code128_has_a_wide_module_and_standard_quiet_zones() -> None:
    module = barcode.code128_module_for(SLIP_CODE, slip_module.CONTENT_WIDTH)
    assert module >= 0.33 * mm  # two pixels of a 150 dpi image, with room for wear
    assert barcode.CODE128_QUIET_MODULES >= 10  # ISO/IEC 15417
    assert barcode.code128_width(SLIP_CODE, module) <= slip_module.CONTENT_WIDTH


def _worn(image):  # noqa: ANN001, ANN202 - PIL images
    """Toner worn thin and a soft scan: bars grey and blurred, paper not quite white."""
    from PIL import ImageFilter

    return image.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: 90 + v * 0.6)


def _quiet_zone_px(image) -> tuple[int, int]:  # noqa: ANN001 - a PIL image
    """The blank paper left and right of the Code 128 (as the decoder located it), in pixels: the
    shortest white run over the symbol's rows, one anti-aliased pixel beside the outer bars allowed."""
    import zxingcpp

    (found,) = [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.Code128]
    corners = [found.position.top_left, found.position.top_right, found.position.bottom_left,
               found.position.bottom_right]
    left, right = min(p.x for p in corners), max(p.x for p in corners)
    top, bottom = min(p.y for p in corners), max(p.y for p in corners)
    pixels = image.load()
    width = image.size[0]
    lefts, rights = [], []
    for y in range(top + 2, bottom - 1):
        lefts.append(next((left - 1 - x for x in range(left - 2, -1, -1) if pixels[x, y] < 250), left))
        rights.append(next((x - right - 1 for x in range(right + 2, width) if pixels[x, y] < 250), width - right))
    return min(lefts), min(rights)


@needs_pdftoppm
@pytest.mark.parametrize("paper", ["a5", "a4-2up"])
def test_the_slip_barcode_scans_from_a_150_dpi_render_of_a_worn_copy(paper: str, tmp_path: Path) -> None:
    data = _slip_for(BIRTH)
    dpi = 150
    images = rasterise(render_slip(SLIP_OFFICE, data, paper), tmp_path, dpi=dpi)  # type: ignore[arg-type]
    if paper == "a5":
        assert len(images) == 2
        copies = images
    else:
        (sheet,) = images
        width, height = sheet.size
        copies = [sheet.crop((0, 0, width // 2, height)), sheet.crop((width // 2, 0, width, height))]
    quiet = 10 * barcode.CODE128_MODULE / mm / 25.4 * dpi
    payment = _expected_payment(SLIP_OFFICE, data)
    for copy in copies:
        for image in (copy, _worn(copy)):
            found = decode(image)
            assert found["code128"] == {SLIP_CODE}
            # The look-up QR carries the code too, so a phone reads it where no barcode scanner is.
            assert found["qr"] == {f"{LOOKUP}{SLIP_CODE}", payment}
        left, right = _quiet_zone_px(copy)
        assert left >= quiet and right >= quiet
