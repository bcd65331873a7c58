"""The parts every official paper shares: the state header, signatures, the dossier code with its
barcode, labelled fields, ruled tables, and the dates and sums as Vietnamese papers print them.

Each part is a measured `Block`; how blocks flow onto pages and into a PDF is papers/page_flow.py,
re-exported here so that a paper imports its whole toolkit from this one module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.text import nfc
from counter_app.domain.vn_time import vn_date_phrase, vn_day
from counter_app.papers import barcode
from counter_app.papers.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR
from counter_app.papers.page_flow import (
    Block,
    Copy,
    PageFrame,
    beside,
    blocks_height,
    continuation_block,
    paginate,
    paginate_with_header,
    paint_page,
    render_copies,
    render_document,
    set_metadata,
    spacer,
    stack,
    text_blocks,
)
from counter_app.papers.text_lines import Align, Line, Run, draw_lines, line_height, text_width, wrap

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOTS = "…………"


# --------------------------------------------------------------------------------------------------
# Dates and numbers as Vietnamese papers print them


def place_date_line(place: str, moment: datetime | date) -> str:
    day = vn_day(moment)
    place = nfc(place)
    return f"{place}, {vn_date_phrase(day)}" if place else vn_date_phrase(day).capitalize()


def vn_decimal(value: float) -> str:
    """0.5 -> '0,5', 3.0 -> '3': Vietnamese uses the decimal comma."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def vn_money(amount: int) -> str:
    """50000 -> '50.000 đồng' (dot groups thousands in Vietnamese)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def or_dots(value: str) -> str:
    """Empty fields print as dots, the way the paper form leaves room to write by hand."""
    value = nfc(value)
    return value if value else DOTS


# --------------------------------------------------------------------------------------------------
# The state header (Nghị định 30/2020 layout, scaled for A5)


@dataclass(frozen=True)
class HeaderStyle:
    size: float = 9.0
    right_share: float = 0.58  # the national name needs the wider column
    gap: float = 2 * mm


def header_block(
    parent_name: str, office_name: str, place: str, moment: datetime | date, width: float,
    style: HeaderStyle | None = None, number: str = "",
) -> Block:
    """Left: parent body (upper case), office (bold upper case), short rule, and the paper's number
    ("Số: …/HDHS") when it has one. Right: national name, motto with a rule, italic place and date.
    Both columns are centred in themselves."""
    style = style or HeaderStyle()
    size = style.size
    right_width = width * style.right_share
    left_width = width - right_width - style.gap
    step = line_height(size)

    left_lines = wrap(nfc(parent_name).upper(), size, left_width) if nfc(parent_name) else []
    office_lines = wrap(nfc(office_name).upper(), size, left_width, font=BOLD)
    national = wrap(NATIONAL_NAME, size, right_width, font=BOLD)
    motto_size = size + 0.5  # the motto is a half step larger, as on A4 (13 pt under 12 pt)
    motto = wrap(NATIONAL_MOTTO, motto_size, right_width, font=BOLD)
    date_lines = wrap(place_date_line(place, moment), size, right_width, font=ITALIC)

    rule_gap = 2.0 * mm  # the rules clear the dots below Ộ, Ụ, Ạ
    # Nghị định 30/2020 puts the number under the issuing body, below its rule.
    number_lines = wrap(nfc(number), size, left_width) if nfc(number) else []
    left_height = (len(left_lines) + len(office_lines) + len(number_lines)) * step + rule_gap
    right_top = len(national) * step + len(motto) * line_height(motto_size) + rule_gap
    right_height = right_top + 1.5 * mm + len(date_lines) * step
    height = max(left_height, right_height)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(0.6)
        # Left column
        used = draw_lines(canvas, left_lines, x, y, left_width, size, "center")
        used += draw_lines(canvas, office_lines, x, y - used, left_width, size, "center")
        office_width = max((line.width for line in office_lines), default=0.0)
        rule = max(office_width / 3, 12 * mm)
        rule_y = y - used - 0.9 * mm
        canvas.line(x + (left_width - rule) / 2, rule_y, x + (left_width + rule) / 2, rule_y)
        draw_lines(canvas, number_lines, x, y - used - rule_gap, left_width, size, "center")
        # Right column
        right_x = x + left_width + style.gap
        used = draw_lines(canvas, national, right_x, y, right_width, size, "center")
        used += draw_lines(canvas, motto, right_x, y - used, right_width, motto_size, "center")
        motto_width = max(line.width for line in motto)
        rule_y = y - used - 0.9 * mm
        motto_left = right_x + (right_width - motto_width) / 2
        canvas.line(motto_left, rule_y, motto_left + motto_width, rule_y)
        draw_lines(canvas, date_lines, right_x, y - right_top - 1.5 * mm, right_width, size, "center")
        canvas.restoreState()

    return Block(height, paint)


# --------------------------------------------------------------------------------------------------
# Signatures


@dataclass(frozen=True)
class Signatory:
    title: str                              # "NGƯỜI NỘP HỒ SƠ"
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""                          # printed under the signing space when known


def signature_block(
    signatories: Sequence[Signatory], width: float, size: float, sign_space: float = 16 * mm
) -> Block:
    """Side-by-side signature columns of equal width, each centred; kept whole on one page."""
    columns = max(len(signatories), 1)
    column_width = width / columns
    step = line_height(size)
    prepared = []
    for person in signatories:
        title = wrap(nfc(person.title), size, column_width, font=BOLD)
        note = wrap(nfc(person.note), size - 1, column_width, font=ITALIC) if person.note else []
        name = wrap(nfc(person.name), size, column_width, font=BOLD) if nfc(person.name) else []
        prepared.append((title, note, name))
    height = max(
        len(t) * step + len(n) * line_height(size - 1) + sign_space + len(nm) * step for t, n, nm in prepared
    )

    def paint(canvas: Canvas, x: float, y: float) -> None:
        for column, (title, note, name) in enumerate(prepared):
            left = x + column * column_width
            used = draw_lines(canvas, title, left, y, column_width, size, "center")
            used += draw_lines(canvas, note, left, y - used, column_width, size - 1, "center")
            if name:
                draw_lines(canvas, name, left, y - used - sign_space, column_width, size, "center")

    return Block(height, paint)


# --------------------------------------------------------------------------------------------------
# Small painters


def centered_text_block(
    text: str, font: str, size: float, width: float, space_before: float = 0.0, keep_with_next: bool = True
) -> Block:
    lines = wrap(text, size, width, font=font)
    height = len(lines) * line_height(size)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        draw_lines(canvas, lines, x, y, width, size, "center")

    return Block(height, paint, keep_with_next=keep_with_next, space_before=space_before)


# --------------------------------------------------------------------------------------------------
# The dossier code with its Code 128 (docs/rules.md, "Papers": every paper shows both)


def barcode_block(code: str, width: float, height: float = 8 * mm, space_before: float = 1 * mm) -> Block:
    """The code's Code 128 centred in `width`, the module narrowed (never below printable) to fit."""
    code = nfc(code)
    module = barcode.code128_module_for(code, width)
    symbol_width = barcode.code128_width(code, module)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        barcode.draw_code128(canvas, code, x + (width - symbol_width) / 2, y - height, height, module)

    return Block(height, paint, keep_with_next=True, space_before=space_before)


def code_blocks(code: str, size: float, width: float, space_before: float = 1 * mm) -> list[Block]:
    """'Mã hồ sơ: <code>' centred, the barcode right under it; the two never part."""
    lines = text_blocks(
        [Run("Mã hồ sơ: "), Run(nfc(code), BOLD)], size, width, align="center", space_before=space_before,
        keep_with_next=True,
    )
    return [*lines, barcode_block(code, width)]


def qr_row_width(count: int, size: float, gap: float = 1 * mm) -> float:
    """The width `qr_row_block` takes for `count` codes."""
    return count * size + max(count - 1, 0) * gap


def qr_row_block(
    codes: Sequence[tuple[str, str]], size: float, caption_size: float, gap: float = 1 * mm, level: str = "M"
) -> Block:
    """(value, caption) QR codes in a row from the left, each a `size` square (quiet zone included)
    with its caption centred under it; an empty row is an empty block."""
    captions = [wrap(caption, caption_size, size) for _, caption in codes]
    caption_height = max((len(lines) for lines in captions), default=0) * line_height(caption_size)
    height = size + caption_height if codes else 0.0

    def paint(canvas: Canvas, x: float, y: float) -> None:
        for (value, _), lines in zip(codes, captions, strict=True):
            barcode.draw_qr(canvas, value, x, y - size, size, level)
            draw_lines(canvas, lines, x, y - size, size, caption_size, "center")
            x += size + gap

    return Block(height, paint)


# --------------------------------------------------------------------------------------------------
# Labelled fields of a form body


def labelled_blocks(
    label: str, value: str, size: float, width: float, value_font: str = REGULAR, **kw: object
) -> list[Block]:
    """'Địa chỉ: <value>' as one wrapped paragraph; an empty value prints dots to write on."""
    return text_blocks([Run(label), Run(or_dots(value), value_font)], size, width, **kw)  # type: ignore[arg-type]


def contact_blocks(phone: str, email: str, size: float, width: float, space_before: float = 0.0) -> list[Block]:
    """'Số điện thoại: … Email: …' on one line as two half-width fields, as the paper forms have them;
    one wrapped paragraph when either value is too long for its half."""
    phone_runs = [Run("Số điện thoại: "), Run(or_dots(phone))]
    email_runs = [Run("Email: "), Run(or_dots(email))]
    half = width / 2
    phone_lines = wrap(phone_runs, size, half - 2 * mm)
    email_lines = wrap(email_runs, size, half)
    if len(phone_lines) == 1 and len(email_lines) == 1:

        def paint(canvas: Canvas, x: float, y: float) -> None:
            draw_lines(canvas, phone_lines, x, y, half, size)
            draw_lines(canvas, email_lines, x + half, y, half, size)

        return [Block(line_height(size), paint, space_before=space_before)]
    return text_blocks([*phone_runs, Run("; "), *email_runs], size, width, space_before=space_before)


# --------------------------------------------------------------------------------------------------
# Signatures with the addressees of an official letter (Nghị định 30/2020: "Nơi nhận" bottom left)


def letter_signature_block(
    recipients: Sequence[str], signatory: Signatory, width: float, size: float, sign_space: float = 16 * mm
) -> Block:
    """Left: 'Nơi nhận:' and its lines (small); right: the signatory. An empty `recipients` leaves the
    left half blank, the way a one-signature form puts its signer on the right."""
    half = width / 2
    small = size - 1.5
    left: list[Line] = []
    if recipients:
        left = wrap([Run("Nơi nhận:", BOLD_ITALIC)], small, half)
        dash = text_width("- ", REGULAR, small)
        for item in recipients:
            left += wrap(f"- {nfc(item)}", small, half - 2 * mm, rest_indent=dash)
    right = signature_block([signatory], half, size, sign_space)
    # The addressees start a line below the signer's title, as on a printed letter.
    left_height = line_height(size) + len(left) * line_height(small)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        draw_lines(canvas, left, x, y - line_height(size), half, small)
        right.paint(canvas, x + half, y)

    return Block(max(right.height, left_height), paint)


# --------------------------------------------------------------------------------------------------
# Ruled tables: a row is one block, so pages break between rows


@dataclass(frozen=True)
class Cell:
    """A table cell: wrapped lines, the size they are set in, alignment inside the column."""

    lines: tuple[Line, ...]
    size: float
    align: Align = "left"

    @property
    def height(self) -> float:
        return len(self.lines) * line_height(self.size)


def cell(text: str | Sequence[Run], size: float, width: float, *, font: str = REGULAR, align: Align = "left",
         padding: float = 1 * mm) -> Cell:
    """Wrap `text` for a column of `width` (its side padding taken off); in a plain string, each
    newline starts a new line (a notes cell lists one event per line)."""
    inner = max(width - 2 * padding, 1.0)
    if isinstance(text, str):
        lines = [line for part in text.split("\n") for line in wrap([Run(part, font)], size, inner)]
        return Cell(tuple(lines), size, align)
    return Cell(tuple(wrap(text, size, inner)), size, align)


def draw_cell(canvas: Canvas, item: Cell, x: float, y_top: float, width: float, height: float,
              padding: float = 1 * mm, valign: Literal["top", "middle"] = "top") -> None:
    """Paint a cell's lines in its box (top left x, y_top), padded; `middle` centres them vertically."""
    inner = item.height
    top = y_top - padding if valign == "top" else y_top - (height - inner) / 2
    draw_lines(canvas, item.lines, x + padding, top, width - 2 * padding, item.size, item.align)


def grid_path(canvas: Canvas, x: float, y_top: float, widths: Sequence[float], height: float) -> None:
    """The box of one table row: outer rectangle and the column separators, stroked once."""
    path = canvas.beginPath()
    total = sum(widths)
    path.rect(x, y_top - height, total, height)
    left = x
    for w in widths[:-1]:
        left += w
        path.moveTo(left, y_top)
        path.lineTo(left, y_top - height)
    canvas.drawPath(path, stroke=1, fill=0)


__all__ = [
    "BOLD", "BOLD_ITALIC", "DOTS", "ITALIC", "REGULAR", "Block", "HeaderStyle", "Signatory", "blocks_height",
    "centered_text_block", "header_block", "or_dots", "paginate", "paint_page", "place_date_line", "set_metadata",
    "signature_block", "spacer", "text_blocks", "vn_decimal", "vn_money",
    # shared by forms 02-06 and the register (07)
    "Cell", "PageFrame", "barcode_block", "cell", "code_blocks", "continuation_block", "contact_blocks", "draw_cell",
    "grid_path", "labelled_blocks", "letter_signature_block", "paginate_with_header", "render_document",
    # the slip (01): its copies, the notes beside its QR codes
    "Copy", "beside", "qr_row_block", "qr_row_width", "render_copies", "stack",
]
