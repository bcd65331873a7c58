"""Mẫu 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả): what it says, that its codes scan, that it fits."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from counter_app.domain import vietqr
from counter_app.papers import slip as slip_module
from counter_app.papers.slip import SlipData, SlipDocument, SlipOffice, render_slip
from tests import pdf_reading
from tests.paper_fixtures import LONG_ADDRESS, LONG_NAME, LONG_PROCEDURE, LOOKUP, SLIP, SLIP_CODE, SLIP_OFFICE

DUE_TEXT = "10 giờ 00 phút, ngày 25 tháng 02 năm 2026"
TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"


@pytest.fixture(scope="module")
def office() -> SlipOffice:
    return SLIP_OFFICE


@pytest.fixture(scope="module")
def slip() -> SlipData:
    return SLIP


@pytest.fixture(scope="module")
def long_slip(slip: SlipData) -> SlipData:
    documents = tuple(
        SlipDocument(
            f"Giấy tờ số {i}: giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn"
            " liền với đất, kèm sơ đồ thửa đất",
            "Bản sao chứng thực",
            i,
        )
        for i in range(1, 16)
    )
    return dataclasses.replace(
        slip,
        applicant_name=LONG_NAME,
        address=LONG_ADDRESS,
        procedure_name=LONG_PROCEDURE,
        email="nguyen.thi.phuong.thao.hoang.le.vu.dang.bui@mot-ten-mien-rat-dai-cua-xa-binh-my.gov.vn",
        documents=documents,
        note="Hồ sơ nộp thay; người nộp là con trai của người có yêu cầu.",
    )


@pytest.fixture(scope="module")
def a5_pdf(office: SlipOffice, slip: SlipData) -> bytes:
    return render_slip(office, slip, "a5")


@pytest.fixture(scope="module")
def two_up_pdf(office: SlipOffice, slip: SlipData) -> bytes:
    return render_slip(office, slip, "a4-2up")


# --------------------------------------------------------------------------------------------------
# Text


def test_a5_has_the_form_text(a5_pdf: bytes, slip: SlipData) -> None:
    pages = pdf_reading.pages_text(a5_pdf)
    assert len(pages) == 2  # one page per copy
    first = pages[0]
    for expected in (
        "UBND XÃ BÌNH MỸ",
        "TRUNG TÂM PHỤC VỤ HÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Mỹ, ngày 13 tháng 02 năm 2026",
        TITLE,
        "Mã hồ sơ:",
        SLIP_CODE,
        "(Liên 1: Lưu)",
        "Bộ phận tiếp nhận và trả kết quả:",
        "Tiếp nhận hồ sơ của:",
        "Nguyễn Văn Đức",
        "Địa chỉ: Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình",
        "Số điện thoại: 0912 345 678",
        "Email: duc.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết:",
        "1. Thành phần hồ sơ nộp gồm:",
        "(1) Tờ khai đăng ký khai sinh - Bản chính: 01",
        "(3) Căn cước của cha, mẹ - Bản sao: 02",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 13 tháng 02 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ:",
        DUE_TEXT,
        "6. Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã Bình Mỹ",
        "50.000 đồng",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 01, Số thứ tự: 125",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Trần Thị Hoa",
        "Ghi chú:",
    ):
        assert expected in first, expected
    assert "Liên 2" not in first
    assert "(Liên 2: Giao người nộp)" in pages[1]
    assert "Liên 1" not in pages[1]
    # The second copy says all the first does, in the same order (it draws the first's forms).
    assert pages[1] == first.replace("(Liên 1: Lưu)", "(Liên 2: Giao người nộp)")
    # The extracted text is already NFC: the PDF maps glyphs to precomposed characters.
    assert unicodedata.is_normalized("NFC", first)


def test_metadata(a5_pdf: bytes) -> None:
    meta = PdfReader(io.BytesIO(a5_pdf)).metadata
    assert meta.title == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {SLIP_CODE}"
    assert meta.author == "Trung tâm Phục vụ hành chính công xã Bình Mỹ"


def test_page_sizes(a5_pdf: bytes, two_up_pdf: bytes) -> None:
    for page in PdfReader(io.BytesIO(a5_pdf)).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A5)
    sheets = PdfReader(io.BytesIO(two_up_pdf)).pages
    assert len(sheets) == 1
    assert (float(sheets[0].mediabox.width), float(sheets[0].mediabox.height)) == pytest.approx(landscape(A4))
    text = sheets[0].extract_text()
    assert "(Liên 1: Lưu)" in text and "(Liên 2: Giao người nộp)" in text
    assert text.count(DUE_TEXT) == 2


def test_decomposed_input_prints_composed(office: SlipOffice, slip: SlipData) -> None:
    nfd = dataclasses.replace(
        slip,
        applicant_name=unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        procedure_name=unicodedata.normalize("NFD", "Đăng ký khai sinh"),
    )
    office_nfd = dataclasses.replace(office, office_name=unicodedata.normalize("NFD", office.office_name))
    text = pdf_reading.pages_text(render_slip(office_nfd, nfd))[0]
    assert "Nguyễn Văn Đức" in text
    assert "Đăng ký khai sinh" in text
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "Trong ngày"), (0.5, "0,5 ngày làm việc"), (1, "1 ngày làm việc"), (1.5, "1,5 ngày làm việc")],
)
def test_working_time_wording(office: SlipOffice, slip: SlipData, days: float, expected: str) -> None:
    assert slip_module.working_time_text(days) == expected
    text = pdf_reading.pages_text(render_slip(office, dataclasses.replace(slip, working_days=days)))[0]
    assert f"3. Thời gian giải quyết hồ sơ theo quy định là: {expected}" in text


def test_empty_fields_print_dots_and_receive_place_defaults(office: SlipOffice, slip: SlipData) -> None:
    bare = dataclasses.replace(
        slip, email="", register_book="", register_number="", officer_name="", fee_amount=None
    )
    text = pdf_reading.pages_text(render_slip(dataclasses.replace(office, lookup_url=""), bare))[0]
    assert "Email: …………" in text
    assert "Quyển số: …………, Số thứ tự: …………" in text
    assert "Phí, lệ phí" not in text
    assert "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã Bình Mỹ" in text
    posted = dataclasses.replace(slip, receive_at_place="Qua dịch vụ bưu chính công ích")
    posted_text = pdf_reading.pages_text(render_slip(office, posted))[0]
    assert "Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích" in posted_text


def test_lookup_url_with_placeholder(office: SlipOffice) -> None:
    with_placeholder = dataclasses.replace(office, lookup_url="https://x.gov.vn/ho-so/{code}/trang-thai")
    assert slip_module.lookup_qr_value(with_placeholder, SLIP_CODE) == f"https://x.gov.vn/ho-so/{SLIP_CODE}/trang-thai"
    assert slip_module.lookup_qr_value(office, SLIP_CODE) == f"{LOOKUP}{SLIP_CODE}"
    assert slip_module.lookup_qr_value(dataclasses.replace(office, lookup_url=""), SLIP_CODE) == ""


def test_no_payment_qr_without_fee_or_bank(office: SlipOffice, slip: SlipData) -> None:
    assert slip_module.payment_qr_value(office, dataclasses.replace(slip, fee_amount=None)) == ""
    assert slip_module.payment_qr_value(office, dataclasses.replace(slip, fee_amount=0)) == ""
    assert slip_module.payment_qr_value(dataclasses.replace(office, bank_account=""), slip) == ""


def test_an_appointment_without_offset_prints_as_vietnam_time(office: SlipOffice, slip: SlipData) -> None:
    pdf = render_slip(office, dataclasses.replace(slip, due_at=datetime(2026, 2, 25, 10, 0)))
    assert "10 giờ 00 phút, ngày 25 tháng 02 năm 2026" in pdf_reading.flattened(pdf_reading.pages_text(pdf)[0])


def test_unknown_paper_is_refused(office: SlipOffice, slip: SlipData) -> None:
    with pytest.raises(ValueError):
        render_slip(office, slip, "letter")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Long content: shrinks, then continues on more pages, never outside the page, never overlapping




def test_long_content_shrinks_then_continues(office: SlipOffice, long_slip: SlipData) -> None:
    assert len(long_slip.applicant_name) == 200
    assert len(long_slip.address) == 200
    assert len(long_slip.procedure_name) == 200
    pdf = render_slip(office, long_slip, "a5")
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 4 and len(pages) % 2 == 0  # both copies continue, on the same number of pages
    per_copy = len(pages) // 2
    first_copy = pdf_reading.flattened(" ".join(pages[:per_copy]))
    second_copy = pdf_reading.flattened(" ".join(pages[per_copy:]))
    for copy_text in (first_copy, second_copy):
        assert pdf_reading.flattened(long_slip.applicant_name) in copy_text
        assert pdf_reading.flattened(long_slip.address) in copy_text
        assert pdf_reading.flattened(long_slip.procedure_name) in copy_text
        assert "(15) Giấy tờ số 15" in copy_text
        assert DUE_TEXT in copy_text
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in copy_text
    assert "(Liên 1: Lưu)" in pages[0] and "Liên 1: Lưu (tiếp theo)" in pages[1]
    assert "(Liên 2: Giao người nộp)" in pages[per_copy]
    assert f"Trang 1/{per_copy}" in pages[0]

    # The body font went down a step or two before spilling over, and no further.
    assert _size_of(pdf, "Tiếp nhận hồ sơ của:") == min(slip_module.BODY_SIZES)

    width, height = A5
    frame = (3 * mm, 3 * mm, width - 3 * mm, height - 3 * mm)
    for boxes in pdf_reading.text_boxes(pdf):
        pdf_reading.assert_inside_and_apart(boxes, [frame])


def _size_of(pdf: bytes, label: str) -> float:
    """The font size of the first text item that starts with `label`."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if text.strip().startswith(label):
            sizes.append(float(size))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return sizes[0]


def test_long_content_two_up_stays_in_its_half(office: SlipOffice, long_slip: SlipData) -> None:
    pdf = render_slip(office, long_slip, "a4-2up")
    width, height = landscape(A4)
    half = width / 2
    left = (3 * mm, 3 * mm, half - 3 * mm, height - 3 * mm)
    right = (half + 3 * mm, 3 * mm, width - 3 * mm, height - 3 * mm)
    sheets = pdf_reading.text_boxes(pdf)
    assert len(sheets) >= 2
    for boxes in sheets:
        pdf_reading.assert_inside_and_apart(boxes, [left, right])
        assert any(b[2] <= half for b in boxes) and any(b[0] >= half for b in boxes)


def test_normal_slip_fits_one_page_per_copy_at_a_readable_size(a5_pdf: bytes) -> None:
    width, height = A5
    frame = (3 * mm, 3 * mm, width - 3 * mm, height - 3 * mm)
    for boxes in pdf_reading.text_boxes(a5_pdf):
        pdf_reading.assert_inside_and_apart(boxes, [frame])
    assert "Trang" not in pdf_reading.pages_text(a5_pdf)[0]
    assert _size_of(a5_pdf, "Tiếp nhận hồ sơ của:") >= 9.0


# --------------------------------------------------------------------------------------------------
# What prints scans back (pdftoppm + zxing-cpp)


def _expected_payment(office: SlipOffice, slip: SlipData) -> str:
    return vietqr.build_payload(office.bank_bin, office.bank_account, slip.fee_amount, purpose=slip.code)


@pdf_reading.needs_pdftoppm
def test_a5_codes_scan_back(a5_pdf: bytes, office: SlipOffice, slip: SlipData, tmp_path: Path) -> None:
    pages = pdf_reading.rasterise(a5_pdf, tmp_path)
    assert len(pages) == 2
    payment = _expected_payment(office, slip)
    assert vietqr.crc_ok(payment)
    for image in pages:
        found = pdf_reading.decode(image)
        assert found["code128"] == {SLIP_CODE}
        assert found["qr"] == {f"{LOOKUP}{SLIP_CODE}", payment}
        assert all(vietqr.crc_ok(text) for text in found["qr"] if text.startswith("000201"))


@pdf_reading.needs_pdftoppm
def test_slips_printed_one_after_the_other_each_carry_their_own_code(
    office: SlipOffice, slip: SlipData, tmp_path: Path
) -> None:
    """What a paper remembers between slips (QR symbols, drawing operators, laid out text) never
    carries one dossier's code onto the next slip."""
    codes = ("000.00.20.H12-260213-0002", "000.00.20.H12-260213-0003")
    pdfs = [render_slip(office, dataclasses.replace(slip, code=code)) for code in codes]
    for code, pdf in zip(codes, pdfs, strict=True):
        pages = pdf_reading.rasterise(pdf, tmp_path, dpi=150, name=code)
        assert len(pages) == 2
        payment = vietqr.build_payload(office.bank_bin, office.bank_account, slip.fee_amount, purpose=code)
        for image in pages:
            found = pdf_reading.decode(image)
            assert found["code128"] == {code}
            assert found["qr"] == {f"{LOOKUP}{code}", payment}


@pdf_reading.needs_pdftoppm
def test_two_up_halves_each_scan_back(
    two_up_pdf: bytes, office: SlipOffice, slip: SlipData, tmp_path: Path
) -> None:
    (sheet,) = pdf_reading.rasterise(two_up_pdf, tmp_path)
    width, height = sheet.size
    payment = _expected_payment(office, slip)
    for box in ((0, 0, width // 2, height), (width // 2, 0, width, height)):
        found = pdf_reading.decode(sheet.crop(box))
        assert found["code128"] == {SLIP_CODE}
        assert found["qr"] == {f"{LOOKUP}{SLIP_CODE}", payment}


@pdf_reading.needs_pdftoppm
def test_long_slip_codes_scan_and_margins_stay_blank(
    office: SlipOffice, long_slip: SlipData, tmp_path: Path
) -> None:
    dpi = 200
    pages = pdf_reading.rasterise(render_slip(office, long_slip, "a5"), tmp_path, dpi=dpi)
    per_copy = len(pages) // 2
    pdf_reading.assert_margins_blank(pages, dpi, 3)
    payment = _expected_payment(office, long_slip)
    for first, last in ((0, per_copy - 1), (per_copy, 2 * per_copy - 1)):
        # The barcode heads each copy's first page; the QR codes sit with the notes on its last.
        assert pdf_reading.decode(pages[first])["code128"] == {SLIP_CODE}
        assert pdf_reading.decode(pages[last])["qr"] == {f"{LOOKUP}{SLIP_CODE}", payment}


def test_the_slip_is_written_without_reportlabs_ascii85_layer_and_still_reads_whole(office: SlipOffice) -> None:
    """Plain Flate streams (papers/page_flow.plain_streams): a quarter smaller, a fifth quicker."""
    from reportlab import rl_config

    pdf = render_slip(office, SLIP)
    assert b"/ASCII85Decode" not in pdf and b"/FlateDecode" in pdf
    assert rl_config.useA85  # reportlab's own setting is left as it was, for whoever else draws
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert SLIP_CODE in text
