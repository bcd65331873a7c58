"""The listing board (danh mục thủ tục niêm yết): every procedure the office receives, grouped by
field, A4 portrait, each row with its code, name, time, fee and a small QR to its page.

A long table over several pages: the column titles head every page again, and a page that opens
inside a field repeats that field's title ("(tiếp theo)"), so a page pinned up alone still reads.
The title block names the office, the date of the list and the catalogue's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.text import nfc
from counter_app.papers import barcode
from counter_app.papers.fonts import BOLD, ITALIC
from counter_app.papers.layout import (
    Block,
    Cell,
    PageFrame,
    cell,
    continuation_block,
    draw_cell,
    grid_path,
    paginate,
    place_date_line,
    render_document,
    text_blocks,
)
from counter_app.papers.posters import CatalogueMark, PosterOffice, PosterProcedure, fee_text
from counter_app.papers.slip import working_time_text
from counter_app.papers.text_lines import Run

TITLE = "DANH MỤC THỦ TỤC HÀNH CHÍNH"
FRAME = PageFrame(*A4, left=14 * mm, right=10 * mm, top=10 * mm, bottom=11 * mm)
WIDTH = FRAME.content_width
SIZE = 8.5
HEAD_SIZE = 8.0
PAD = 1.2 * mm
GRID = 0.5
# 18 mm holds a 90-character address (version 4 at level L, 41 modules with the quiet zone) at
# 0.44 mm a module: 2.6 pixels of a 150 dpi phone photo of the board, which still decodes.
QR_SIZE = 18 * mm
QR_LEVEL = "L"
NO_FIELD = "Lĩnh vực khác"
CONTINUED = " (tiếp theo)"
COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 9 * mm),
    ("Mã thủ tục", 19 * mm),
    ("Tên thủ tục hành chính", 0.0),  # takes what the others leave
    ("Thời hạn giải quyết", 22 * mm),
    ("Phí, lệ phí", 40 * mm),
    ("Mã QR", QR_SIZE + 2 * PAD),
)
WIDTHS = tuple(w or WIDTH - sum(x for _, x in COLUMNS) for _, w in COLUMNS)


@dataclass(frozen=True)
class FieldGroup:
    title: str
    procedures: tuple[PosterProcedure, ...]


def group_by_field(procedures: Sequence[PosterProcedure], key: object) -> list[FieldGroup]:
    """Fields in the order `key` (a sort key on the field's name) gives; within a field, the order
    the procedures came in (the catalogue's). A procedure without a field goes last."""
    groups: dict[str, list[PosterProcedure]] = {}
    for procedure in procedures:
        groups.setdefault(nfc(procedure.field), []).append(procedure)
    order = sorted(groups, key=lambda name: (name == "", key(name)))  # type: ignore[operator]
    return [FieldGroup(name or NO_FIELD, tuple(groups[name])) for name in order]


# --------------------------------------------------------------------------------------------------
# Rows


def _row(cells: Sequence[Cell], *, min_height: float = 0.0, shade: float | None = None,
         paint_extra: object = None, keep_with_next: bool = False) -> Block:
    height = max(max(c.height for c in cells) + 2 * PAD, min_height)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        if shade is not None:
            canvas.setFillGray(shade)
            canvas.rect(x, y - height, WIDTH, height, stroke=0, fill=1)
        canvas.setLineWidth(GRID)
        grid_path(canvas, x, y, WIDTHS, height)
        canvas.restoreState()
        left = x
        for item, width in zip(cells, WIDTHS, strict=True):
            draw_cell(canvas, item, left, y, width, height, PAD, "middle")
            left += width
        if callable(paint_extra):
            paint_extra(canvas, x, y, height)

    return Block(height, paint, keep_with_next=keep_with_next)


def header_row() -> Block:
    return _row([cell(title, HEAD_SIZE, w, font=BOLD, align="center", padding=PAD)
                 for (title, _), w in zip(COLUMNS, WIDTHS, strict=True)], shade=0.9,
                keep_with_next=True)


def field_row(title: str, count: int, number: int, *, continued: bool = False) -> Block:
    """The field's title across the whole table ('II. Lĩnh vực Chứng thực (10 thủ tục)')."""
    text = f"{_roman(number)}. Lĩnh vực {title}" + (CONTINUED if continued else f" ({count} thủ tục)")
    lines = cell(text, SIZE + 0.5, WIDTH, font=BOLD, padding=PAD)
    height = lines.height + 2 * PAD

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setFillGray(0.96)
        canvas.setLineWidth(GRID)
        canvas.rect(x, y - height, WIDTH, height, stroke=1, fill=1)
        canvas.restoreState()
        draw_cell(canvas, lines, x, y, WIDTH, height, PAD, "middle")

    return Block(height, paint, keep_with_next=True)


def procedure_row(number: int, procedure: PosterProcedure) -> Block:
    w = WIDTHS
    cells = [
        cell(str(number), SIZE, w[0], align="center", padding=PAD),
        cell(nfc(procedure.code), SIZE, w[1], font=BOLD, padding=PAD),
        cell(nfc(procedure.name), SIZE, w[2], padding=PAD),
        cell(working_time_text(procedure.working_days), SIZE, w[3], align="center", padding=PAD),
        cell(fee_text(procedure), SIZE - 0.5, w[4], padding=PAD),
        cell("", SIZE, w[5], padding=PAD),
    ]
    qr_left = sum(w[:5]) + PAD

    def qr(canvas: Canvas, x: float, y: float, height: float) -> None:
        barcode.draw_qr(canvas, procedure.url, x + qr_left, y - (height + QR_SIZE) / 2, QR_SIZE, level=QR_LEVEL)

    return _row(cells, min_height=QR_SIZE + 2 * PAD, paint_extra=qr)


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out if n == 0 and out else str(n)


# --------------------------------------------------------------------------------------------------
# The document


def _title_blocks(office: PosterOffice, mark: CatalogueMark, place: str, total: int) -> list[Block]:
    blocks: list[Block] = []
    if nfc(office.parent_name):
        blocks += text_blocks(nfc(office.parent_name).upper(), 10, WIDTH, align="center", keep_together=True)
    blocks += text_blocks(nfc(office.office_name).upper(), 10.5, WIDTH, align="center", font=BOLD,
                          keep_together=True)
    blocks += text_blocks(TITLE, 15, WIDTH, align="center", font=BOLD, space_before=5 * mm, keep_together=True)
    blocks += text_blocks(f"tiếp nhận tại {nfc(office.office_name)} ({total} thủ tục)", 10.5, WIDTH,
                          align="center", space_before=1 * mm, keep_together=True)
    blocks += text_blocks([Run(place_date_line(place, mark.printed), ITALIC)], 9.5, WIDTH, align="center",
                          space_before=1.5 * mm, keep_together=True)
    blocks += text_blocks([Run(mark.text(), ITALIC)], 8, WIDTH, align="center", space_before=1 * mm,
                          keep_together=True)
    for label, value in (("Nơi nộp hồ sơ: ", office.address), ("Thời gian tiếp nhận: ", office.hours),
                         ("Điện thoại hỗ trợ: ", office.hotline)):
        if nfc(value):
            blocks += text_blocks([Run(label), Run(nfc(value), BOLD)], 9, WIDTH, space_before=1 * mm,
                                  keep_together=True)
    blocks += text_blocks([Run("Quét mã QR ở cột cuối để xem giấy tờ cần nộp của từng thủ tục trên điện thoại.",
                               ITALIC)], 8.5, WIDTH, space_before=2 * mm, keep_together=True)
    blocks.append(Block(0.0, lambda c, x, y: None, space_before=3 * mm))
    return blocks


def listing_pages(office: PosterOffice, groups: Sequence[FieldGroup], mark: CatalogueMark,
                  place: str) -> list[list[Block]]:
    """The board's blocks spread over pages, each later page opening with the column titles and,
    inside a field, the field's title again."""
    header = header_row()
    total = sum(len(g.procedures) for g in groups)
    blocks = [*_title_blocks(office, mark, place, total), header]
    field_of: dict[int, tuple[str, int]] = {}
    number = 0
    for index, group in enumerate(groups, 1):
        heading = field_row(group.title, len(group.procedures), index)
        blocks.append(heading)
        for procedure in group.procedures:
            number += 1
            row = procedure_row(number, procedure)
            field_of[id(row)] = (group.title, index)
            blocks.append(row)
    tallest_heading = max((field_row(g.title, 0, i, continued=True).height for i, g in enumerate(groups, 1)),
                          default=0.0)
    room = FRAME.content_height - 4 * mm  # the page number at the foot
    strip = continuation_block(_strip_text(office), WIDTH).height
    pages = paginate(blocks, room, room - strip - header.height - tallest_heading)
    for page in pages[1:]:
        first = page[0] if page else None
        if first is not None and id(first) in field_of:
            title, index = field_of[id(first)]
            page.insert(0, field_row(title, 0, index, continued=True))
        page.insert(0, header)
    return pages


def _strip_text(office: PosterOffice) -> str:
    return f"{TITLE.capitalize()} — {nfc(office.office_name)}"


def render_listing(office: PosterOffice, groups: Sequence[FieldGroup], mark: CatalogueMark,
                   place: str = "") -> bytes:
    pages = listing_pages(office, groups, mark, place)
    return render_document(
        FRAME, pages, title=f"{TITLE.capitalize()} — {nfc(office.office_name)}",
        author=office.office_name or office.parent_name, subject="Niêm yết công khai thủ tục hành chính",
        continuation=continuation_block(_strip_text(office), WIDTH), page_size=7.5,
    )


__all__ = ["COLUMNS", "CONTINUED", "NO_FIELD", "QR_LEVEL", "QR_SIZE", "TITLE", "FieldGroup", "group_by_field",
           "listing_pages", "render_listing"]
