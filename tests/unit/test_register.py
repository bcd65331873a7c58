"""Mẫu 07, Sổ theo dõi hồ sơ: A4 landscape, header row on every page, every entry once, fast."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from counter_app.papers.register import COLUMNS, NO_ROWS, Register, RegisterRow, render_register
from tests import pdf_reading
from tests.paper_fixtures import LONG_ADDRESS, LONG_NAME, OFFICE, VN

START = datetime(2026, 3, 2, 7, 30, tzinfo=VN)
HEADER_TITLES = ("STT", "Mã hồ sơ", "Họ tên chủ hồ sơ", "Địa chỉ", "Số điện thoại", "Ngày, tháng, năm", "Nhận hồ sơ",
                 "Trả kết quả", "Bên giao (ký)", "Bên nhận (ký)", "Ghi chú", "(15)")


def rows(count: int, **overrides: object) -> tuple[RegisterRow, ...]:
    result = []
    for index in range(count):
        received = START + timedelta(minutes=25 * index)
        returned = received + timedelta(days=3) if index % 2 else None
        values = dict(
            number=index + 1, code=f"000.00.20.H12-{received:%y%m%d}-{index + 1:04d}",
            procedure_name="Đăng ký khai sinh", sets=1, applicant_name=f"Nguyễn Văn Đức {index + 1}",
            address="Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình",
            phone="0912345678", received_at=received, due_at=received + timedelta(days=3), returned_at=returned,
            handed_by="Trần Thị Hoa" if returned else "", recipient="Nguyễn Văn Đức" if returned else "",
            officer="Trần Thị Hoa", note="Đúng hạn" if returned else "Đang xử lý",
        )
        values.update(overrides)
        result.append(RegisterRow(**values))  # type: ignore[arg-type]
    return tuple(result)


def register(entries: tuple[RegisterRow, ...]) -> Register:
    return Register(date(2026, 3, 1), date(2026, 3, 31), datetime(2026, 4, 1, 8, 0, tzinfo=VN), entries)


def _codes_in(text: str) -> list[str]:
    # A code breaks after a hyphen in its narrow column; join it back before counting.
    return re.findall(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}", re.sub(r"-\s*\n\s*", "-", text))


def test_one_page_register_says_what_it_covers() -> None:
    pdf = render_register(OFFICE, register(rows(5)))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(landscape(A4))
    text = page.extract_text()
    flat = pdf_reading.flattened(text)
    for expected in ("UBND XÃ BÌNH MỸ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Bình Mỹ, ngày 01 tháng 4 năm 2026",
                     "SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/03/2026 đến ngày 31/03/2026", "Trang 1/1", *HEADER_TITLES,
                     "Nội dung hồ sơ (tên thủ tục hành chính)", "Hẹn trả kết quả", "Ngày nhận kết quả",
                     "Người nhận hồ sơ", "Địa bàn phát sinh", "Số lượng (bộ)",
                     "Nguyễn Văn Đức 2", "Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình", "0912345678",
                     "07:30 02/03/2026", "07:55 05/03/2026", "Đang xử lý"):
        assert expected in flat, expected
    assert len(COLUMNS) == 15
    assert sorted(_codes_in(text)) == sorted(r.code for r in rows(5))
    assert reader.metadata.title == "Sổ theo dõi hồ sơ - Từ ngày 01/03/2026 đến ngày 31/03/2026"


def test_header_row_repeats_and_every_entry_appears_once() -> None:
    entries = rows(60)
    pages = pdf_reading.pages_text(render_register(OFFICE, register(entries)))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        flat = pdf_reading.flattened(page)
        for title in HEADER_TITLES:
            assert title in flat, f"{title!r} missing on page {number}"
        assert f"Trang {number}/{len(pages)}" in flat
    for page in pages[1:]:
        strip = "Sổ theo dõi hồ sơ - Trung tâm Phục vụ hành chính công xã Bình Mỹ - từ ngày 01/03/2026"
        assert strip in pdf_reading.flattened(page)
        assert "SỔ THEO DÕI HỒ SƠ" not in page  # the big title is on the first page only
    found = [code for page in pages for code in _codes_in(page)]
    assert sorted(found) == sorted(r.code for r in entries)  # each once, none lost between pages


def test_enough_rows_make_two_pages() -> None:
    one = len(pdf_reading.pages_text(render_register(OFFICE, register(rows(12)))))
    two = len(pdf_reading.pages_text(render_register(OFFICE, register(rows(30)))))
    assert (one, two) == (1, 2)


def test_an_empty_range_still_prints_its_page() -> None:
    (text,) = pdf_reading.pages_text(render_register(OFFICE, register(())))
    assert NO_ROWS in pdf_reading.flattened(text)
    assert "STT" in text


def test_refused_entry_has_no_appointment() -> None:
    (entry,) = rows(1, due_at=None, note="Từ chối tiếp nhận")
    (text,) = pdf_reading.pages_text(render_register(OFFICE, register((entry,))))
    assert "07:30 02/03/2026" in pdf_reading.flattened(text)
    assert "05/03/2026" not in text
    assert "Từ chối tiếp nhận" in pdf_reading.flattened(text)


def test_long_values_wrap_inside_their_columns() -> None:
    entries = rows(8, applicant_name=LONG_NAME, address=LONG_ADDRESS, procedure_name=LONG_ADDRESS)
    pdf = render_register(OFFICE, register(entries))
    pages = pdf_reading.pages_text(pdf)
    assert pdf_reading.flattened(LONG_NAME) in pdf_reading.flattened(pages[0])
    width, height = landscape(A4)
    # The header row is one form XObject placed on each page; pypdf reports its text in the form's own
    # coordinates, so the box check covers the rows, and the rasterised margins below cover the rest.
    header_text = " ".join([*(c.title for c in COLUMNS), *(c.group for c in COLUMNS)])
    for boxes in pdf_reading.text_boxes(pdf):
        body = [b for b in boxes if b[4] not in header_text and not re.fullmatch(r"\(\d+\)", b[4])]
        pdf_reading.assert_inside_and_apart(body, (3 * mm, 3 * mm, width - 3 * mm, height - 3 * mm))


@pdf_reading.needs_pdftoppm
def test_nothing_prints_in_the_margins(tmp_path: Path) -> None:
    dpi = 100
    entries = rows(40, applicant_name=pdf_reading.exactly(200, ["Lê", "Thị"]))
    images = pdf_reading.rasterise(render_register(OFFICE, register(entries)), tmp_path, dpi=dpi)
    assert len(images) >= 2
    pdf_reading.assert_margins_blank(images, dpi, 4)
    edge = int(4 * dpi / 25.4)  # 4 mm
    for image in images:
        width, height = image.size
        # The header row (grey band) is on every page, in the upper part.
        assert image.crop((edge, 0, width - edge, height // 3)).getextrema()[0] < 100


def test_a_busy_month_of_2000_rows_prints_every_row_once() -> None:
    # How long it takes is bench/bench_papers.py's to say (no timing asserts in tests).
    entries = rows(2000)
    reader = PdfReader(io.BytesIO(render_register(OFFICE, register(entries))))
    def text(page: int) -> str:
        return "".join(reader.pages[page].extract_text().split())  # codes wrap in their column

    first, last = text(0), text(-1)
    assert entries[0].code in first and entries[1].code in first and entries[0].code not in last
    assert entries[-1].code in last and entries[-1].code not in first
    assert f"Trang{len(reader.pages)}/{len(reader.pages)}" in last
    assert len(reader.pages) > 2000 // 40  # a sheet holds a few dozen rows: many pages, not squeezed
