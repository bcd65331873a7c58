"""Mẫu 02–06: what each form says, that its code scans back, that long content stays on the page."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from counter_app.domain.deadlines import timeliness
from counter_app.papers import form_data
from counter_app.papers.form_data import ControlSheet
from counter_app.papers.forms import render_form
from tests import pdf_reading
from tests.paper_fixtures import (
    CODE,
    DOSSIER,
    DUE,
    LONG_ADDRESS,
    LONG_NAME,
    LONG_PROCEDURE,
    NEW_DUE,
    OFFICE,
    OFFICE_NAME,
    VN,
    sample_forms,
)

A5_FRAME = (3 * mm, 3 * mm, A5[0] - 3 * mm, A5[1] - 3 * mm)


# --------------------------------------------------------------------------------------------------
# What each form says

HEADER = ("UBND XÃ BÌNH MỸ", "TRUNG TÂM PHỤC VỤ HÀNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "Mã hồ sơ:", CODE)


# What each form says, in the model's words (Thông tư 03/2025): every sentence is looked for in the page's
# text with its line breaks made spaces, so a wrapped sentence reads whole.
SAYS = {
    "02": (
        "Số: ……/HDHS",
        "Bình Mỹ, ngày 03 tháng 3 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Bộ phận tiếp nhận và trả kết quả: {OFFICE_NAME}",
        "Tiếp nhận hồ sơ của: Nguyễn Văn Đức",
        "Địa chỉ: Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình",
        "Số điện thoại: 0912 345 678",
        "Email: duc.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Yêu cầu Ông hoàn thiện hồ sơ gồm những nội dung như sau:",
        "1. Bản sao giấy chứng sinh có chứng thực",
        "2. Căn cước của người đi khai sinh (bản chính để đối chiếu)",
        "Lý do: Bản sao chưa được chứng thực theo quy định.",
        "NGƯỜI HƯỚNG DẪN",
        "(Ký và ghi rõ họ tên)",
        "Trần Thị Hoa",
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông liên hệ với Trần Thị Hoa, số điện thoại "
        "0229 3851 234 để được hướng dẫn./.",
    ),
    "03": (
        "Số: ……/TCHS",
        "Bình Mỹ, ngày 02 tháng 3 năm 2026",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Tiếp nhận hồ sơ của: Nguyễn Văn Đức",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Bản sao chưa được chứng thực theo quy định.",
        "Xin thông báo cho Ông được biết và thực hiện./.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Thị Hoa",
        f"Căn cứ quy định tại …………, {OFFICE_NAME} từ chối tiếp nhận, giải quyết hồ sơ này vì lý do cụ thể như sau:",
    ),
    "04": (  # both appointments: the first and the new one
        "Số: ……/PXL",
        "Bình Mỹ, ngày 04 tháng 3 năm 2026",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN",
        "THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Ông Nguyễn Văn Đức",
        "Thời gian hẹn trả kết quả: 08 giờ 00 phút, ngày 05 tháng 03 năm 2026.",
        "Rất mong nhận được sự thông cảm của Ông./.",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Lê Văn Nam",
        "Nơi nhận:",
        "- Như trên;",
        f"{OFFICE_NAME} đã tiếp nhận hồ sơ của Ông lúc 08 giờ 00 phút, ngày 02 tháng 03 năm 2026.",
        "Lý do: Bản sao chưa được chứng thực theo quy định.",
        "thời gian hẹn trả kết quả mới: 16 giờ 00 phút, ngày 10 tháng 03 năm 2026.",
    ),
    "05": (
        "Số: ……/TB",
        "Bình Mỹ, ngày 04 tháng 3 năm 2026",
        "THÔNG BÁO",
        "Dừng giải quyết hồ sơ",
        "Kính gửi: Ông Nguyễn Văn Đức",
        "Lý do: Bản sao chưa được chứng thực theo quy định.",
        "Xin thông báo để Ông được biết./.",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        f"{OFFICE_NAME} thông báo dừng giải quyết hồ sơ nêu trên kể từ 14 giờ 30 phút, ngày 04 tháng 03 năm 2026.",
        "Thời gian hẹn trả kết quả: 08 giờ 00 phút, ngày 05 tháng 03 năm 2026.",
    ),
    "06": (
        "Bình Mỹ, ngày 02 tháng 3 năm 2026",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Kèm theo hồ sơ của: Nguyễn Văn Đức",
        "Ngày nhận: 08 giờ 00 phút, ngày 02 tháng 03 năm 2026",
        "Ngày, giờ hẹn trả kết quả: 08 giờ 00 phút, ngày 05 tháng 03 năm 2026",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Công chức Tư pháp - Hộ tịch",
        "Cơ quan phối hợp giải quyết hồ sơ: Công an xã Bình Mỹ",
        "TÊN CƠ QUAN",
        "GHI CHÚ",
        "Chuyển giải quyết",
        "Người giao",
        "Người nhận",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "1. Giao:",
        "2. Nhận:",
        "09 giờ 00 phút, ngày 02 tháng 03 năm 2026",
    ),
}


@pytest.mark.parametrize("form", sorted(SAYS))
def test_each_form_says_what_its_model_says_on_one_page(form: str) -> None:
    (text,) = pdf_reading.pages_text(render_form(OFFICE, sample_forms()[form]))
    flat = pdf_reading.flattened(text)
    for expected in (*HEADER, *SAYS[form]):
        assert expected in flat, expected
    assert "Trang" not in text  # one page, so no page numbers


def test_the_control_sheet_judges_each_hand_over_against_the_due_time() -> None:
    (text,) = pdf_reading.pages_text(render_form(OFFICE, sample_forms()["06"]))
    # Handed on before the due day, back on the due day before the due time, returned the day after.
    verdicts = [line.strip() for line in text.splitlines() if line.strip() in ("Trước hạn", "Đúng hạn", "Quá hạn")]
    assert verdicts == ["Trước hạn", "Đúng hạn", "Quá hạn"]


def test_supplement_without_a_list_prints_the_request_as_its_content() -> None:
    form = dataclasses.replace(sample_forms()["02"], missing=(), reason="Bổ sung tờ khai có chữ ký của người yêu cầu")
    (text,) = pdf_reading.pages_text(render_form(OFFICE, form))
    assert "1. Bổ sung tờ khai có chữ ký của người yêu cầu" in text
    assert "Lý do" not in text


def test_control_sheet_repeats_its_header_on_later_pages() -> None:
    base = sample_forms()["06"]
    assert isinstance(base, ControlSheet)
    many = dataclasses.replace(base, hand_overs=base.hand_overs * 5, blank_rows=2)
    pages = pdf_reading.pages_text(render_form(OFFICE, many))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "TÊN CƠ QUAN" in page, f"no table header on page {number}"
        assert f"Trang {number}/{len(pages)}" in page
    strip = f"Phiếu kiểm soát quá trình giải quyết hồ sơ - Mã hồ sơ: {CODE} (tiếp theo)"
    for page in pages[1:]:
        assert strip in pdf_reading.flattened(page)
    assert pdf_reading.flattened(" ".join(pages)).count("Chuyển giải quyết") == 5
    assert pdf_reading.flattened(" ".join(pages)).count("…… giờ …… phút") == 2  # the blank pairs to write on


def test_extension_note_on_the_control_sheet() -> None:
    extended = dataclasses.replace(DOSSIER, due_at=NEW_DUE)
    sheet = dataclasses.replace(sample_forms()["06"], original_due_at=DUE, dossier=extended)
    (text,) = pdf_reading.pages_text(render_form(OFFICE, sheet))
    assert ("Ngày, giờ hẹn trả kết quả: 16 giờ 00 phút, ngày 10 tháng 03 năm 2026 (đã gia hạn; hẹn lần đầu: 08 giờ "
            "00 phút, ngày 05 tháng 03 năm 2026)") in pdf_reading.flattened(text)


def test_a_given_number_replaces_the_dots() -> None:
    (text,) = pdf_reading.pages_text(render_form(OFFICE, dataclasses.replace(sample_forms()["02"], number="12")))
    assert "Số: 12/HDHS" in text


@pytest.mark.parametrize("form", ["02", "03", "04", "05", "06"])
def test_every_form_is_a5_with_metadata(form: str) -> None:
    paper = sample_forms()[form]
    reader = PdfReader(io.BytesIO(render_form(OFFICE, paper)))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A5)
    assert reader.metadata.title == f"{form_data.paper_name(paper)} - {CODE}"
    assert reader.metadata.author == OFFICE_NAME


def test_salutation_defaults_to_ong_ba() -> None:
    neutral = dataclasses.replace(DOSSIER, salutation="")
    (text,) = pdf_reading.pages_text(render_form(OFFICE, sample_forms(neutral)["03"]))
    assert "Xin thông báo cho Ông/Bà được biết và thực hiện./." in text


def test_decomposed_input_prints_composed() -> None:
    nfd = dataclasses.replace(DOSSIER, applicant_name=unicodedata.normalize("NFD", "Nguyễn Văn Đức"))
    stop = sample_forms(nfd, reason=unicodedata.normalize("NFD", "Thiếu tờ khai"))["05"]
    (text,) = pdf_reading.pages_text(render_form(OFFICE, stop))
    assert "Kính gửi: Ông Nguyễn Văn Đức" in pdf_reading.flattened(text)
    assert "Lý do: Thiếu tờ khai" in pdf_reading.flattened(text)
    assert unicodedata.is_normalized("NFC", text)


def test_a_time_without_offset_prints_as_vietnam_time() -> None:
    stop = sample_forms()["05"]
    naive = render_form(OFFICE, dataclasses.replace(stop, stopped_at=datetime(2026, 3, 4, 14, 30)))
    aware = render_form(OFFICE, dataclasses.replace(stop, stopped_at=datetime(2026, 3, 4, 14, 30, tzinfo=VN)))
    assert pdf_reading.pages_text(naive) == pdf_reading.pages_text(aware)


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (datetime(2026, 3, 4, 16, 0, tzinfo=VN), "Trước hạn"),
        (datetime(2026, 3, 5, 7, 0, tzinfo=VN), "Đúng hạn"),
        (datetime(2026, 3, 5, 8, 0, tzinfo=VN), "Đúng hạn"),
        (datetime(2026, 3, 5, 16, 30, tzinfo=VN), "Đúng hạn"),  # the due day counts whole (statistics.py)
        (datetime(2026, 3, 6, 7, 0, tzinfo=VN), "Quá hạn"),
        (datetime(2026, 3, 4, 17, 30, tzinfo=UTC), "Đúng hạn"),  # 00:30 on the 5th in Vietnam
        (datetime(2026, 3, 4, 16, 30, tzinfo=UTC), "Trước hạn"),  # 23:30 on the 4th in Vietnam
    ],
)
def test_timeliness(done: datetime, expected: str) -> None:
    assert timeliness(done, DUE) == expected


# --------------------------------------------------------------------------------------------------
# 200-character values and 20 missing papers: wrapped, continued, never outside or overlapping

LONG_REASON = pdf_reading.exactly(
    200, "Thiếu chữ ký của người có yêu cầu trên tờ khai và bản sao chưa được chứng thực".split()
)
TWENTY = tuple(
    f"Giấy tờ số {i}: bản sao có chứng thực giấy chứng nhận quyền sử dụng đất, kèm sơ đồ thửa đất"
    for i in range(1, 21)
)
LONG_DOSSIER = dataclasses.replace(
    DOSSIER, applicant_name=LONG_NAME, address=LONG_ADDRESS, procedure_name=LONG_PROCEDURE,
    email="nguyen.thi.phuong.thao.hoang.le.vu@mot-ten-mien-rat-dai-cua-xa-binh-my.gov.vn",
)


def _long_forms() -> dict[str, form_data.Form]:
    papers = sample_forms(LONG_DOSSIER, LONG_REASON, TWENTY)
    sheet = papers["06"]
    assert isinstance(sheet, ControlSheet)
    long_unit = pdf_reading.exactly(200, "Phòng Kinh tế Hạ tầng và Đô thị xã Bình Mỹ bộ phận đất đai".split())
    rows = tuple(dataclasses.replace(r, receiver=long_unit, note=LONG_REASON) for r in sheet.hand_overs) * 3
    papers["06"] = dataclasses.replace(sheet, hand_overs=rows, blank_rows=2, notes=(LONG_REASON,))
    return papers


@pytest.mark.parametrize("form", ["02", "03", "04", "05", "06"])
def test_long_values_wrap_and_stay_on_the_page(form: str) -> None:
    assert len(LONG_NAME) == len(LONG_ADDRESS) == len(LONG_PROCEDURE) == len(LONG_REASON) == 200
    pdf = render_form(OFFICE, _long_forms()[form])
    pages = pdf_reading.pages_text(pdf)
    whole = pdf_reading.flattened(" ".join(pages))
    if form != "06":
        assert pdf_reading.flattened(LONG_ADDRESS) in whole
        assert LONG_REASON in whole
    assert pdf_reading.flattened(LONG_NAME) in whole
    assert pdf_reading.flattened(LONG_PROCEDURE) in whole
    if form == "02":
        assert len(pages) >= 2
        for number, paper in enumerate(TWENTY, start=1):
            assert f"{number}. {paper}" in whole
        assert "NGƯỜI HƯỚNG DẪN" in pages[-1]
    if len(pages) > 1:
        assert f"Trang 1/{len(pages)}" in pages[0]
        assert f"Mã hồ sơ: {CODE} (tiếp theo)" in pdf_reading.flattened(pages[1])
    for boxes in pdf_reading.text_boxes(pdf):
        pdf_reading.assert_inside_and_apart(boxes, A5_FRAME)


# --------------------------------------------------------------------------------------------------
# What prints scans back


@pdf_reading.needs_pdftoppm
@pytest.mark.parametrize("form", ["02", "03", "04", "05", "06"])
def test_code128_scans_back_from_a_150_dpi_render(form: str, tmp_path: Path) -> None:
    # Forms share the slip's barcode block (layout.code_blocks): the same X-dimension, the same scan.
    images = pdf_reading.rasterise(render_form(OFFICE, sample_forms()[form]), tmp_path, dpi=150)
    assert len(images) == 1
    assert pdf_reading.code128(images[0]) == {CODE}


@pdf_reading.needs_pdftoppm
@pytest.mark.parametrize("form", ["02", "06"])
def test_long_forms_scan_and_keep_their_margins_blank(form: str, tmp_path: Path) -> None:
    dpi = 200
    images = pdf_reading.rasterise(render_form(OFFICE, _long_forms()[form]), tmp_path, dpi=dpi)
    assert len(images) >= 2
    assert pdf_reading.code128(images[0]) == {CODE}
    pdf_reading.assert_margins_blank(images, dpi, 3)
