"""The statistics page that opens the PDF report (the register, Mẫu 07, follows it)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from counter_app.domain.text import nfc
from counter_app.papers.fonts import register_fonts


@dataclass(frozen=True)
class StatisticsPage:
    parent_name: str
    office_name: str
    period: str  # "từ 01/03/2026 đến 31/03/2026"
    figures: tuple[tuple[str, str, str], ...]  # (indicator, count, rate)
    by_field: tuple[tuple[str, int, int, int, int, int], ...]  # field, received, resolved, early, on time, late


def render_statistics(page: StatisticsPage) -> bytes:
    register_fonts()
    base = ParagraphStyle("base", fontName="BeVietnamPro-Regular", fontSize=9.5, leading=12.5)
    bold = ParagraphStyle("bold", parent=base, fontName="BeVietnamPro-Bold")
    title = ParagraphStyle("title", parent=bold, fontSize=13, leading=17, alignment=1)
    centre = ParagraphStyle("centre", parent=base, alignment=1)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title="Thống kê tình hình giải quyết hồ sơ",
                            author=nfc(page.office_name))
    story = [
        Paragraph(nfc(page.parent_name).upper(), centre),
        Paragraph(nfc(page.office_name).upper(), ParagraphStyle("o", parent=bold, alignment=1)),
        Spacer(1, 6 * mm),
        Paragraph("THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ", title),
        Paragraph(nfc(page.period), centre),
        Spacer(1, 5 * mm),
    ]
    rows = [[Paragraph("Chỉ tiêu", bold), Paragraph("Số hồ sơ", bold), Paragraph("Tỷ lệ (%)", bold)]]
    indented = ParagraphStyle("indented", parent=base, leftIndent=6 * mm)
    # A label starting with spaces is a part of the line above it ("  Trước hạn" under "Đã giải quyết").
    rows += [[Paragraph(nfc(a), indented if a.startswith(" ") else base), Paragraph(b, base), Paragraph(c, base)]
             for a, b, c in page.figures]
    table = Table(rows, colWidths=[120 * mm, 25 * mm, 25 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE7F0")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 6 * mm)]
    if page.by_field:
        head = ["Lĩnh vực", "Tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn"]
        field_rows = [[Paragraph(h, bold) for h in head]]
        field_rows += [[Paragraph(nfc(f), base), *(Paragraph(str(n), base) for n in counts)]
                       for f, *counts in page.by_field]
        fields = Table(field_rows, colWidths=[60 * mm, 22 * mm, 25 * mm, 21 * mm, 21 * mm, 21 * mm], repeatRows=1)
        fields.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE7F0")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]))
        story.append(fields)
    doc.build(story)
    return buffer.getvalue()
