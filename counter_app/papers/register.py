"""Mẫu 07: Sổ theo dõi hồ sơ (docs/legal.md §2.5), A4 landscape, for a range of intake dates.

The columns are those of the production register (TD-DVC): STT, code, procedure, sets, applicant,
address, phone, the received and appointment dates, the return (date, who handed over, who received),
the receiving officer, the area, notes. The header row is repeated at the top of every page.

Drawn on the canvas rather than with platypus: a month of a busy office is about 2,000 rows, and
measuring each cell once with the shared wrapper, then painting a page's grid as one path, keeps that
under 2 s (bench/bench_papers.py; platypus Paragraph cells cost several times more).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.text import nfc
from counter_app.domain.vn_time import vn_short_date, vn_short_datetime
from counter_app.papers.fonts import BOLD, ITALIC, REGULAR, register_fonts
from counter_app.papers.form_data import FormOffice
from counter_app.papers.layout import Block, HeaderStyle, PageFrame, centered_text_block, header_block, set_metadata
from counter_app.papers.page_flow import plain_streams
from counter_app.papers.text_lines import Align, Line, baseline_offset, draw_lines, line_height, text_width, wrap

TITLE = "SỔ THEO DÕI HỒ SƠ"
FRAME = PageFrame(*landscape(A4), left=12 * mm, right=8 * mm, top=9 * mm, bottom=10 * mm)
WIDTH = FRAME.content_width
SIZE = 7.0                 # Be Vietnam Pro is wide: 7 pt keeps fifteen columns legible on A4
HEAD_SIZE = 6.5
PAD = 0.8 * mm
GRID = 0.4
NO_ROWS = "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này."
# Official procedure names run to 300 characters ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do
# cơ quan, tổ chức có thẩm quyền của Việt Nam; …"): printed whole, a month of them fills 500 pages. The
# register shows the procedure's code and the start of its name; Mẫu 01 and the catalogue carry the rest.
PROCEDURE_LINES = 3
ELLIPSIS = "…"


@dataclass(frozen=True)
class RegisterRow:
    number: int                 # the entry number (STT)
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    address: str
    phone: str
    received_at: datetime
    due_at: datetime | None     # None: refused at intake, nothing was due
    returned_at: datetime | None = None
    handed_by: str = ""         # Trả kết quả - Bên giao: the officer who handed the result over
    recipient: str = ""         # Trả kết quả - Bên nhận: who collected it
    officer: str = ""           # Người nhận hồ sơ: the officer who received the dossier
    area: str = ""              # Địa bàn phát sinh
    note: str = ""
    procedure_code: str = ""    # printed before the name, which the register cuts short


@dataclass(frozen=True)
class Register:
    date_from: date
    date_to: date
    printed_at: datetime        # the header's "<place>, ngày …"
    rows: tuple[RegisterRow, ...]


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    group: str = ""             # columns under one spanning title ("Ngày, tháng, năm")
    align: Align = "left"


# Widths: a date ("00/00/0000") and a ten-digit phone number fit their columns on one line at 7 pt.
COLUMNS: tuple[Column, ...] = (
    Column("STT", 8 * mm, align="center"),
    Column("Mã hồ sơ", 23 * mm),
    Column("Nội dung hồ sơ (tên thủ tục hành chính)", 33 * mm),
    Column("Số lượng (bộ)", 10 * mm, align="center"),
    Column("Họ tên chủ hồ sơ", 26 * mm),
    Column("Địa chỉ", 31 * mm),
    Column("Số điện thoại", 19.5 * mm),
    Column("Nhận hồ sơ", 18.5 * mm, "Ngày, tháng, năm", "center"),
    Column("Hẹn trả kết quả", 18.5 * mm, "Ngày, tháng, năm", "center"),
    Column("Ngày nhận kết quả", 18.5 * mm, "Trả kết quả", "center"),
    Column("Bên giao (ký)", 14 * mm, "Trả kết quả"),
    Column("Bên nhận (ký)", 17 * mm, "Trả kết quả"),
    Column("Người nhận hồ sơ", 15 * mm),
    Column("Địa bàn phát sinh", 11 * mm),
)
# Ghi chú takes what is left of the width.
COLUMNS = (*COLUMNS, Column("Ghi chú", WIDTH - sum(c.width for c in COLUMNS)))
WIDTHS = tuple(c.width for c in COLUMNS)
EDGES = tuple(FRAME.left + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1))


def range_text(date_from: date, date_to: date) -> str:
    return f"Từ ngày {vn_short_date(date_from)} đến ngày {vn_short_date(date_to)}"


# --------------------------------------------------------------------------------------------------
# Cells


Lines = tuple[Line, ...]


def _lines(text: str, width: float, font: str = REGULAR, size: float = SIZE) -> Lines:
    """Wrapped lines of a cell; the common one-line cell skips the word-by-word wrapper."""
    text = nfc(text)
    inner = width - 2 * PAD
    if not text:
        return ()
    single = text_width(text, font, size)
    if single <= inner and "  " not in text:
        return (Line(((0.0, text, font),), single, 0.0),)
    return tuple(wrap(text, size, inner, font=font))


def _procedure_text(row: RegisterRow) -> str:
    code, name = nfc(row.procedure_code), nfc(row.procedure_name)
    return f"{code} - {name}" if code else name


def _clipped(text: str, width: float, max_lines: int) -> Lines:
    """At most `max_lines` lines; a longer text ends its last line on a whole word and '…'."""
    lines = _lines(text, width)
    if len(lines) <= max_lines:
        return lines
    inner = width - 2 * PAD
    words = "".join(piece for _, piece, _ in lines[max_lines - 1].segments).split()
    while words and text_width(" ".join(words) + ELLIPSIS, REGULAR, SIZE) > inner:
        words.pop()
    last = " ".join(words) + ELLIPSIS
    return (*lines[: max_lines - 1], Line(((0.0, last, REGULAR),), text_width(last, REGULAR, SIZE), 0.0))


def _when(moment: datetime | None, width: float) -> Lines:
    """'10:00' over '13/02/2026': a column fits the date, not the date and the time."""
    if moment is None:
        return ()
    time_text, day_text = vn_short_datetime(moment).split(" ")
    return _lines(time_text, width) + _lines(day_text, width)


_CODE_BREAK = re.compile(r"(?<=-)")


def _code_lines(code: str, width: float) -> Lines:
    """A dossier code breaks only after its hyphens ('000.00.20.H12-' / '260213-0001'): cut anywhere
    else it would no longer read as a code."""
    code = nfc(code)
    inner = width - 2 * PAD
    lines: list[Line] = []
    current = ""
    for part in _CODE_BREAK.split(code):
        if current and text_width(current + part, BOLD, SIZE) > inner:
            lines.append(Line(((0.0, current, BOLD),), text_width(current, BOLD, SIZE), 0.0))
            current = ""
        current += part
    if current:
        lines.append(Line(((0.0, current, BOLD),), text_width(current, BOLD, SIZE), 0.0))
    return tuple(lines)


def _row_cells(row: RegisterRow) -> list[Lines]:
    w = WIDTHS
    return [
        _lines(str(row.number), w[0]),
        _code_lines(row.code, w[1]),
        _clipped(_procedure_text(row), w[2], PROCEDURE_LINES),
        _lines(str(row.sets), w[3]),
        _lines(row.applicant_name, w[4], BOLD),
        _lines(row.address, w[5]),
        _lines(row.phone, w[6]),
        _when(row.received_at, w[7]),
        _when(row.due_at, w[8]),
        _when(row.returned_at, w[9]),
        _lines(row.handed_by, w[10]),
        _lines(row.recipient, w[11]),
        _lines(row.officer, w[12]),
        _lines(row.area, w[13]),
        _lines(row.note, w[14]),
    ]


@dataclass(frozen=True)
class _Row:
    cells: list[Lines]
    height: float


def _measure(row: RegisterRow) -> _Row:
    cells = _row_cells(row)
    tallest = max((len(c) for c in cells), default=1)
    return _Row(cells, max(tallest, 1) * line_height(SIZE) + 2 * PAD)


# --------------------------------------------------------------------------------------------------
# The header row: two levels where columns are grouped, then the column numbers (1) … (15)


@dataclass(frozen=True)
class _Header:
    height: float
    level: float        # height of the group titles' level
    numbers: float      # height of the column-number row
    titles: list[Lines]
    groups: list[tuple[int, int, Lines]]   # (first column, last column, title)


def _header() -> _Header:
    titles = [tuple(wrap(c.title, HEAD_SIZE, c.width - 2 * PAD, font=BOLD)) for c in COLUMNS]
    groups: list[tuple[int, int, Lines]] = []
    for index, column in enumerate(COLUMNS):
        if not column.group:
            continue
        if groups and COLUMNS[groups[-1][0]].group == column.group:
            first, _, lines = groups[-1]
            groups[-1] = (first, index, lines)
        else:
            groups.append((index, index, ()))
    groups = [
        (first, last, tuple(wrap(COLUMNS[first].group, HEAD_SIZE, sum(WIDTHS[first:last + 1]) - 2 * PAD, font=BOLD)))
        for first, last, _ in groups
    ]
    step = line_height(HEAD_SIZE)
    level = max(len(lines) for _, _, lines in groups) * step + 2 * PAD
    grouped = {i for first, last, _ in groups for i in range(first, last + 1)}
    lower = max(len(titles[i]) for i in grouped) * step + 2 * PAD
    whole = max(len(t) for i, t in enumerate(titles) if i not in grouped) * step + 2 * PAD
    numbers = line_height(HEAD_SIZE - 0.5) + PAD
    return _Header(max(whole, level + lower) + numbers, level, numbers, titles, groups)


def _paint_header(canvas: Canvas, header: _Header, y: float) -> float:
    """Paint the header at y (its top); returns the y below it."""
    bottom = y - header.height
    titles_bottom = bottom + header.numbers
    grouped = {i: (first, last) for first, last, _ in header.groups for i in range(first, last + 1)}
    canvas.saveState()
    canvas.setFillGray(0.93)
    canvas.rect(EDGES[0], bottom, EDGES[-1] - EDGES[0], header.height, stroke=0, fill=1)
    canvas.restoreState()
    path = canvas.beginPath()
    path.rect(EDGES[0], bottom, EDGES[-1] - EDGES[0], header.height)
    path.moveTo(EDGES[0], titles_bottom)
    path.lineTo(EDGES[-1], titles_bottom)
    for index in range(1, len(COLUMNS)):
        x = EDGES[index]
        first_last = grouped.get(index)
        # Inside a group the separator stops under the group title.
        top = y - header.level if first_last and first_last[0] < index else y
        path.moveTo(x, top)
        path.lineTo(x, bottom)
    for first, last, _ in header.groups:
        path.moveTo(EDGES[first], y - header.level)
        path.lineTo(EDGES[last + 1], y - header.level)
    canvas.setLineWidth(GRID)
    canvas.drawPath(path, stroke=1, fill=0)
    for first, last, lines in header.groups:
        _middle(canvas, lines, EDGES[first], y, EDGES[last + 1] - EDGES[first], header.level, HEAD_SIZE)
    for index, lines in enumerate(header.titles):
        if index in grouped:
            top, height = y - header.level, header.height - header.numbers - header.level
        else:
            top, height = y, header.height - header.numbers
        _middle(canvas, lines, EDGES[index], top, WIDTHS[index], height, HEAD_SIZE)
    canvas.setFont(ITALIC, HEAD_SIZE - 0.5)
    base = titles_bottom - PAD / 2 - baseline_offset(HEAD_SIZE - 0.5)
    for index in range(len(COLUMNS)):
        canvas.drawCentredString(EDGES[index] + WIDTHS[index] / 2, base, f"({index + 1})")
    return bottom


HEADER_FORM = "RegisterHeader"


def _define_header(canvas: Canvas, header: _Header) -> None:
    """The header row as a form XObject: painted once per document, placed on every page by reference
    (a month's register repeats it on a hundred pages)."""
    canvas.beginForm(HEADER_FORM, 0, 0, FRAME.width, header.height)
    _paint_header(canvas, header, header.height)
    canvas.endForm()


def _place_header(canvas: Canvas, header: _Header, y: float) -> float:
    canvas.saveState()
    canvas.translate(0, y - header.height)
    canvas.doForm(HEADER_FORM)
    canvas.restoreState()
    return y - header.height


def _middle(canvas: Canvas, lines: Lines, x: float, top: float, width: float, height: float, size: float) -> None:
    used = len(lines) * line_height(size)
    draw_lines(canvas, lines, x + PAD, top - (height - used) / 2, width - 2 * PAD, size, "center")


# --------------------------------------------------------------------------------------------------
# Pages


def _title_blocks(office: FormOffice, register: Register) -> list[Block]:
    header = header_block(
        office.parent_name, office.office_name, office.place, register.printed_at, WIDTH,
        HeaderStyle(size=9.0, right_share=0.5),
    )
    return [
        header,
        centered_text_block(TITLE, BOLD, 14.0, WIDTH, space_before=4 * mm),
        centered_text_block(range_text(register.date_from, register.date_to), ITALIC, 9.5, WIDTH,
                            space_before=1 * mm),
    ]


def _continuation(office: FormOffice, register: Register) -> tuple[list[Line], float]:
    text = (f"Sổ theo dõi hồ sơ - {nfc(office.office_name)} - "
            f"{range_text(register.date_from, register.date_to).lower()} (tiếp theo)")
    lines = wrap(text, 7.5, WIDTH, font=ITALIC)
    return lines, len(lines) * line_height(7.5) + 2 * mm


def _paginate(rows: Sequence[_Row], first_room: float, other_room: float) -> list[list[_Row]]:
    """Rows per page; a row taller than a whole page (it cannot be) would still get a page of its own."""
    pages: list[list[_Row]] = [[]]
    room = first_room
    for row in rows:
        if pages[-1] and row.height > room + 1e-6:
            pages.append([])
            room = other_room
        pages[-1].append(row)
        room -= row.height
    return pages


def _paint_rows(canvas: Canvas, rows: Sequence[_Row], y: float) -> None:
    """A page's rows: the grid as one path (row rules plus full-height column rules), then the text."""
    bottom = y - sum(r.height for r in rows)
    path = canvas.beginPath()
    for x in EDGES:
        path.moveTo(x, y)
        path.lineTo(x, bottom)
    top = y
    for row in rows:
        top -= row.height
        path.moveTo(EDGES[0], top)
        path.lineTo(EDGES[-1], top)
    canvas.setLineWidth(GRID)
    canvas.drawPath(path, stroke=1, fill=0)

    # One text object for the page: a font is set only when it changes, and each string costs one
    # origin and one show operator instead of drawString's whole BT … ET group.
    text = canvas.beginText()
    step = line_height(SIZE)
    base = baseline_offset(SIZE)
    font = None
    top = y
    for row in rows:
        for index, lines in enumerate(row.cells):
            if not lines:
                continue
            align = COLUMNS[index].align
            left = EDGES[index] + PAD
            inner = WIDTHS[index] - 2 * PAD
            line_top = top - PAD
            for line in lines:
                x = left + (inner - line.width) / 2 if align == "center" else left + line.indent
                for offset, piece, face in line.segments:
                    if face != font:
                        text.setFont(face, SIZE)
                        font = face
                    text.setTextOrigin(x + offset, line_top - base)
                    text.textLine(piece)
                line_top -= step
        top -= row.height
    canvas.drawText(text)


def render_register(office: FormOffice, register: Register) -> bytes:
    """The register as PDF bytes: title and range on the first page, the header row on every page,
    'Trang i/n' at the foot."""
    register_fonts()
    header = _header()
    intro = _title_blocks(office, register)
    intro_height = sum(b.height + b.space_before for b in intro) + 3 * mm
    strip, strip_height = _continuation(office, register)
    content = FRAME.content_height
    rows = [_measure(r) for r in register.rows]
    pages = _paginate(rows, content - intro_height - header.height, content - strip_height - header.height)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(FRAME.width, FRAME.height), pageCompression=1)
    set_metadata(canvas, f"Sổ theo dõi hồ sơ - {range_text(register.date_from, register.date_to)}",
                 nfc(office.office_name) or nfc(office.parent_name))
    _define_header(canvas, header)
    total = len(pages)
    for index, page_rows in enumerate(pages):
        y = FRAME.height - FRAME.top
        if index == 0:
            for block in intro:
                y -= block.space_before
                block.paint(canvas, FRAME.left, y)
                y -= block.height
            y -= 3 * mm
        else:
            draw_lines(canvas, strip, FRAME.left, y, WIDTH, 7.5, "center")
            y -= strip_height
        y = _place_header(canvas, header, y)
        if page_rows:
            _paint_rows(canvas, page_rows, y)
        elif not register.rows:
            canvas.setFont(ITALIC, SIZE + 1)
            canvas.drawCentredString(FRAME.left + WIDTH / 2, y - 6 * mm, NO_ROWS)
        canvas.setFont(ITALIC, 7.5)
        canvas.drawRightString(FRAME.width - FRAME.right, FRAME.bottom / 2, f"Trang {index + 1}/{total}")
        canvas.showPage()
    with plain_streams():
        canvas.save()
    return buffer.getvalue()


__all__ = ["COLUMNS", "NO_ROWS", "TITLE", "Column", "Register", "RegisterRow", "range_text", "render_register"]
