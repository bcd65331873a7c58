"""The plain XLSX writer: what openpyxl reads back equals the same sheets written by openpyxl."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from counter_app.papers import workbook as xl

SHEETS = [
    xl.Sheet("Sổ theo dõi hồ sơ", freeze="C3", auto_filter="A2:D4", widths={"A": 6, "B": 27, "AA": 9}),
    xl.Sheet("Thống kê", widths={"A": 48}),
    xl.Sheet("Theo tuần", freeze="A2"),
]
SHEETS[0].append(["SỔ THEO DÕI — Bình Mỹ & <Tây> \"trích\""], xl.TITLE)
SHEETS[0].append(["STT", "Mã hồ sơ", "Ngày nhận", "Ghi chú"], xl.HEADER_WRAPPED)
SHEETS[0].append([1, "000.00.20.H12-260302-0001", datetime(2026, 3, 2, 8, 15), "  hai khoảng trắng đầu"])
SHEETS[0].append([2, "mã\x01lạ", datetime(2026, 3, 31, 23, 59, 30), None, 2.5])
SHEETS[1].append(["Chỉ tiêu", "Số hồ sơ", "Tỷ lệ (%)"], xl.HEADER)
SHEETS[1].append(["  Trước hạn", 12, 62.5])
SHEETS[1].append(["Tỷ lệ đúng hạn", None, None])
SHEETS[2].append(["Tuần bắt đầu", "Tiếp nhận"], xl.HEADER)
SHEETS[2].append([date(2026, 3, 2), 40])
SHEETS[2].rows += [[date(2026, 3, 9), n] for n in range(30)]


def _with_openpyxl(path: Path) -> None:
    """The same sheets through openpyxl, as services/reports.py wrote them before (a bold font with
    no size is the default 11 pt: read back as such)."""
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=xl.HEADER_FILL)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        for number, row in enumerate(sheet.rows, 1):
            ws.append([v.replace("\x01", "") if isinstance(v, str) else v for v in row])
            style = sheet.row_styles.get(number)
            for cell in ws[number]:
                if isinstance(cell.value, datetime):
                    cell.number_format = xl.DATETIME_FORMAT
                elif isinstance(cell.value, date):
                    cell.number_format = xl.DATE_FORMAT
                if style == xl.TITLE:
                    cell.font = Font(bold=True, size=12)
                elif style in (xl.HEADER, xl.HEADER_WRAPPED):
                    cell.font, cell.fill = bold, fill
                if style == xl.HEADER_WRAPPED:
                    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for letter, width in sheet.widths.items():
            ws.column_dimensions[letter].width = width
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        if sheet.auto_filter:
            ws.auto_filter.ref = sheet.auto_filter
    wb.save(path)


def _read(path: Path) -> list[dict]:
    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[c.coordinate] = (c.value, c.number_format if c.is_date else "", c.font.b, c.font.sz or 11.0,
                                           c.fill.fgColor.rgb[-6:] if c.fill.fill_type else "",
                                           bool(c.alignment.wrap_text))
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
        out.append({"name": ws.title, "cells": cells, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                    "widths": widths})
    return out


def test_the_fast_workbook_reads_back_as_openpyxl_writes_it(tmp_path: Path) -> None:
    xl.save(SHEETS, tmp_path / "fast.xlsx")
    _with_openpyxl(tmp_path / "slow.xlsx")
    fast, slow = _read(tmp_path / "fast.xlsx"), _read(tmp_path / "slow.xlsx")
    assert fast == slow
    assert fast[0]["cells"]["C3"][0] == datetime(2026, 3, 2, 8, 15)
    assert fast[0]["cells"]["D3"][0] == "  hai khoảng trắng đầu"
    assert fast[0]["freeze"] == "C3" and fast[0]["filter"] == "A2:D4"
    assert fast[2]["cells"]["A2"][:2] == (datetime(2026, 3, 2), xl.DATE_FORMAT)


def test_column_letters_go_past_z() -> None:
    assert [xl.column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
