from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from counter_app.errors import UserError
from counter_app.services import reports
from tests.unit.test_statistics import march  # noqa: F401 - the fixture with every category


def test_register_workbook_with_real_dates_and_the_figures(march, tmp_path: Path) -> None:  # noqa: ANN001, F811
    path = tmp_path / "bao-cao.xlsx"
    with march.read() as session:
        rows = reports.write_xlsx(session, date(2026, 3, 1), date(2026, 3, 31), path)
    assert rows == 9  # 8 received + 1 refused, in received order
    wb = load_workbook(path)
    reg = wb["Sổ theo dõi hồ sơ"]
    assert reg.freeze_panes == "C3"
    assert [c.value for c in reg[2]][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    first = [c.value for c in reg[3]]
    # The year's book numbers on: two February entries come before March's first.
    assert first[0] == 3 and first[1] == "000.00.20.H12-260302-0001"
    assert first[7] == datetime(2026, 3, 2, 8, 0)  # a real date, Vietnam wall-clock time
    assert isinstance(first[8], datetime)
    codes = [reg.cell(row=r, column=2).value for r in range(3, reg.max_row + 1)]
    assert len(codes) == len(set(codes)) == 9
    assert all("-2603" in c for c in codes)
    assert [reg.cell(row=r, column=1).value for r in range(3, reg.max_row + 1)] == list(range(3, 12))
    figures = {r[0].value: r[1].value for r in wb["Thống kê"].iter_rows(min_row=3)}
    assert figures["Tiếp nhận trong kỳ"] == 8
    assert figures["  Quá hạn"] in (1, 2)
    assert figures["Thời gian giải quyết trung bình (ngày làm việc)"] == 4.0
    rate = {r[0].value: r[2].value for r in wb["Thống kê"].iter_rows(min_row=3)}
    assert rate["Tỷ lệ đúng hạn (QĐ 766, chỉ số 2.1)"] == 62.5


def test_bad_output_paths(march, tmp_path: Path) -> None:  # noqa: ANN001, F811
    with march.read() as session:
        with pytest.raises(UserError, match="Không ghi được"):
            reports.write_xlsx(session, date(2026, 3, 1), date(2026, 3, 31), tmp_path / "khong-co" / "x.xlsx")


def test_pdf_report_opens_with_the_statistics_then_the_register(march, tmp_path: Path) -> None:  # noqa: ANN001, F811
    from pypdf import PdfReader

    path = tmp_path / "bao-cao.pdf"
    with march.read() as session:
        rows = reports.write_pdf(session, date(2026, 3, 1), date(2026, 3, 31), path)
    assert rows == 9
    pages = [p.extract_text() for p in PdfReader(path).pages]
    assert "THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ" in pages[0]
    assert "62,5" in pages[0] and "Tiếp nhận trong kỳ" in pages[0]
    assert "SỔ THEO DÕI HỒ SƠ" in pages[1]
    assert "000.00.20.H12-260302-0001" in "".join("".join(pages[1:]).split())  # the code wraps in its cell
