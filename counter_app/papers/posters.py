"""The public poster of one procedure (niêm yết công khai), A4 or A5 portrait, always one page.

What a citizen reads standing in front of a notice board, top to bottom: the office, the procedure's
name large, how long it takes and what it costs beside a large QR to its web page, the papers to
bring as a checklist to tick at home, where and when to submit, and at the foot the catalogue's
version and date, so an outdated print on a village board can be told from a fresh one.

A poster must fit its sheet: the layout is tried at decreasing scales; when even the smallest does
not hold every paper to bring, the list is cut and says how many more the QR page shows. A batch
(every procedure of a field for the villages) is one PDF of such pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.public_papers import POSTER_PAPERS
from counter_app.domain.text import nfc
from counter_app.domain.vn_time import vn_short_date
from counter_app.papers import barcode
from counter_app.papers.fonts import BOLD, ITALIC, register_fonts
from counter_app.papers.layout import Block, PageFrame, blocks_height, paint_page, set_metadata, text_blocks, vn_money
from counter_app.papers.slip import SlipDocument, document_text, working_time_text
from counter_app.papers.text_lines import Line, Run, draw_lines, line_height, wrap

PosterPaper = Literal["a4", "a5"]
_SIZES = {"a4": A4, "a5": A5}
# Sizes are set for A4; A5 is the same poster at 1/√2, the ratio of the two sheets.
_PAPER_SCALE = {"a4": 1.0, "a5": A5[0] / A4[0]}
# Tried in turn, largest first: a short procedure reads from further away on a village board;
# below 0.6 an A5 body would drop under 7 pt.
FIT_SCALES = (1.3, 1.2, 1.1, 1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6)

NO_DOCUMENTS = "Danh mục chưa ghi giấy tờ cần nộp; xin hỏi tại nơi nộp hồ sơ hoặc quét mã QR để xem."
NO_FEE = "Danh mục chưa ghi phí, lệ phí; xin hỏi tại nơi nộp hồ sơ."
MORE_DOCUMENTS = "… và {n} giấy tờ khác: quét mã QR để xem đủ danh sách."
SCAN_HINT = "Quét mã QR để xem thủ tục này trên điện thoại"


@dataclass(frozen=True)
class PosterOffice:
    parent_name: str            # "UBND xã Bình Mỹ"
    office_name: str            # "Bộ phận Một cửa" / "Trung tâm Phục vụ hành chính công xã …"
    address: str = ""           # where to submit (office setting office.address)
    hours: str = ""             # when (office.hours, or the calendar's working periods)
    hotline: str = ""           # papers.office_phone; left off when empty


@dataclass(frozen=True)
class CatalogueMark:
    """Printed at the foot of every poster and on the listing board."""

    version: str                # services.catalogue.catalogue_stamp: a short fingerprint of the content
    updated: date | None        # the day the catalogue last changed
    printed: date

    def text(self) -> str:
        updated = f", cập nhật ngày {vn_short_date(self.updated)}" if self.updated else ""
        return f"Danh mục thủ tục phiên bản {self.version}{updated}. In ngày {vn_short_date(self.printed)}."


@dataclass(frozen=True)
class PosterProcedure:
    code: str
    name: str
    field: str
    working_days: float
    fee: str                    # the catalogue's fee text
    fee_amount: int | None      # the amount in đồng when the catalogue gives one (0: free)
    documents: tuple[SlipDocument, ...]
    url: str                    # the procedure's public page: what the QR holds


class HasFee(Protocol):
    """A poster's procedure or a catalogue entry (services.catalogue.ProcedureSpec): the district
    server's procedure page words the fee the same way as the poster."""

    @property
    def fee(self) -> str: ...
    @property
    def fee_amount(self) -> int | None: ...


def fee_text(procedure: HasFee) -> str:
    """The catalogue's own words first; else the amount; else say the catalogue is silent."""
    if nfc(procedure.fee):
        return nfc(procedure.fee)
    if procedure.fee_amount is not None:
        return vn_money(procedure.fee_amount) if procedure.fee_amount > 0 else "Không thu phí, lệ phí"
    return NO_FEE


def frame_for(paper: str) -> PageFrame:
    width, height = _SIZES[paper]
    margin = 14 * mm * _PAPER_SCALE[paper]
    return PageFrame(width, height, left=margin, right=margin, top=margin, bottom=margin)


# --------------------------------------------------------------------------------------------------
# Blocks


def _heading(text: str, size: float, width: float, space_before: float) -> list[Block]:
    """A section title with a rule under it, kept with what follows."""
    lines = wrap(nfc(text).upper(), size, width, font=BOLD)
    height = len(lines) * line_height(size) + 1.2 * mm

    def paint(canvas: Canvas, x: float, y: float) -> None:
        draw_lines(canvas, lines, x, y, width, size)
        canvas.saveState()
        canvas.setLineWidth(0.8)
        canvas.line(x, y - height + 0.6 * mm, x + width, y - height + 0.6 * mm)
        canvas.restoreState()

    return [Block(height, paint, keep_with_next=True, space_before=space_before)]


def _check_item(document: SlipDocument, size: float, width: float, space_before: float) -> Block:
    """One paper to bring: an empty square to tick (the font has no check-box glyph), then the text."""
    _, text = document_text(0, document)
    box = size * 0.95
    indent = box + size * 0.7
    lines = wrap([Run(text)], size, width, first_indent=indent, rest_indent=indent)
    height = len(lines) * line_height(size)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(max(0.6, size / 14))
        top = y - (line_height(size) - box) / 2
        canvas.rect(x + 0.3 * mm, top - box, box, box, stroke=1, fill=0)
        canvas.restoreState()
        draw_lines(canvas, lines, x, y, width, size)

    return Block(height, paint, space_before=space_before)


def _facts_and_qr(procedure: PosterProcedure, s: float, width: float, space_before: float) -> Block:
    """Left: the time and the fee; right: the large QR with its caption and address."""
    qr = 52 * mm * s
    gap = 6 * mm * s
    left_width = width - qr - gap
    label, value, small = 10.5 * s, 17 * s, 12 * s
    parts: list[tuple[list[Line], float]] = [
        (wrap([Run("Thời hạn giải quyết", ITALIC)], label, left_width), label),
        (wrap([Run(working_time_text(procedure.working_days), BOLD)], value, left_width), value),
        (wrap([Run("Phí, lệ phí", ITALIC)], label, left_width), label),
        (wrap([Run(fee_text(procedure), BOLD)], small, left_width), small),
    ]
    spacing = (0.0, 0.0, 3 * mm * s, 0.0)
    left_height = sum(len(lines) * line_height(size) + pad for (lines, size), pad in zip(parts, spacing, strict=True))
    caption_size, url_size = 8.5 * s, 7 * s
    caption = wrap([Run(SCAN_HINT, ITALIC)], caption_size, qr)
    address = wrap([Run(procedure.url)], url_size, qr)
    right_height = qr + len(caption) * line_height(caption_size) + len(address) * line_height(url_size)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        top = y
        for ((lines, size), pad) in zip(parts, spacing, strict=True):
            top -= pad
            top -= draw_lines(canvas, lines, x, top, left_width, size)
        right = x + left_width + gap
        barcode.draw_qr(canvas, procedure.url, right, y - qr, qr, level="M")
        used = qr + draw_lines(canvas, caption, right, y - qr, qr, caption_size, "center")
        draw_lines(canvas, address, right, y - used, qr, url_size, "center")

    return Block(max(left_height, right_height), paint, space_before=space_before)


def _blocks(office: PosterOffice, procedure: PosterProcedure, s: float, width: float,
            documents: Sequence[SlipDocument], more: int) -> list[Block]:
    body = 12 * s
    blocks: list[Block] = []
    if nfc(office.parent_name):
        blocks += text_blocks(nfc(office.parent_name).upper(), 10 * s, width, align="center", keep_together=True)
    blocks += text_blocks(nfc(office.office_name).upper(), 11 * s, width, align="center", font=BOLD,
                          keep_together=True)
    kind = "THỦ TỤC HÀNH CHÍNH" + (f" · LĨNH VỰC {nfc(procedure.field).upper()}" if nfc(procedure.field) else "")
    blocks += text_blocks(kind, 9.5 * s, width, align="center", space_before=5 * mm * s, keep_together=True)
    blocks += text_blocks(nfc(procedure.name), 24 * s, width, align="center", font=BOLD,
                          space_before=2 * mm * s, keep_together=True)
    blocks += text_blocks([Run("Mã thủ tục: "), Run(nfc(procedure.code), BOLD)], 10 * s, width, align="center",
                          space_before=1.5 * mm * s, keep_together=True)
    blocks.append(_facts_and_qr(procedure, s, width, 6 * mm * s))
    blocks += _heading("Giấy tờ cần mang theo", 13 * s, width, 6 * mm * s)
    if documents:
        blocks += [_check_item(d, body, width, 1.6 * mm * s) for d in documents]
        if more:
            blocks += text_blocks([Run(MORE_DOCUMENTS.format(n=more), ITALIC)], body, width,
                                  space_before=1.6 * mm * s, keep_together=True)
    else:
        blocks += text_blocks([Run(NO_DOCUMENTS, ITALIC)], body, width, space_before=1.6 * mm * s,
                              keep_together=True)
    blocks += _heading("Nơi nộp hồ sơ", 13 * s, width, 6 * mm * s)
    place = ", ".join(p for p in (nfc(office.office_name), nfc(office.parent_name)) if p)
    blocks += text_blocks([Run(place, BOLD)], body, width, space_before=1.6 * mm * s, keep_together=True)
    for label, value in (("Địa chỉ: ", office.address), ("Thời gian tiếp nhận: ", office.hours),
                         ("Điện thoại hỗ trợ: ", office.hotline)):
        if nfc(value):
            blocks += text_blocks([Run(label), Run(nfc(value), BOLD)], body, width, space_before=1 * mm * s,
                                  keep_together=True)
    return blocks


def _footer(mark: CatalogueMark, size: float, width: float) -> Block:
    lines = wrap([Run(mark.text(), ITALIC)], size, width)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(0.4)
        canvas.line(x, y, x + width, y)
        canvas.restoreState()
        draw_lines(canvas, lines, x, y - 1 * mm, width, size, "center")

    return Block(len(lines) * line_height(size) + 1 * mm, paint)


@dataclass(frozen=True)
class FittedPoster:
    blocks: tuple[Block, ...]
    scale: float                # the scale it fits at (1.0 for A4's full sizes)
    shown_documents: int        # papers listed; the rest are counted in MORE_DOCUMENTS


def fit(office: PosterOffice, procedure: PosterProcedure, paper: str, room: float) -> FittedPoster:
    """The largest layout whose blocks fit in `room` points of height."""
    width = frame_for(paper).content_width
    documents = procedure.documents
    base = _PAPER_SCALE[paper]
    for factor in FIT_SCALES:
        blocks = _blocks(office, procedure, base * factor, width, documents, 0)
        if blocks_height(blocks) <= room:
            return FittedPoster(tuple(blocks), base * factor, len(documents))
    smallest = base * FIT_SCALES[-1]
    for shown in range(len(documents) - 1, -1, -1):
        blocks = _blocks(office, procedure, smallest, width, documents[:shown], len(documents) - shown)
        if blocks_height(blocks) <= room:
            return FittedPoster(tuple(blocks), smallest, shown)
    # Only a name of thousands of characters gets here (the catalogue caps nothing else that large);
    # the page still comes out, the name cut by the sheet's edge rather than a second page.
    blocks = _blocks(office, procedure, smallest, width, (), len(documents))
    return FittedPoster(tuple(blocks), smallest, 0)


def fit_page(office: PosterOffice, procedure: PosterProcedure, mark: CatalogueMark,
             paper: str) -> tuple[FittedPoster, Block]:
    """The poster fitted above its footer (the catalogue's version), and that footer."""
    frame = frame_for(paper)
    footer = _footer(mark, 7.5 * _PAPER_SCALE[paper], frame.content_width)
    room = frame.content_height - footer.height - 3 * mm
    return fit(office, procedure, paper, room), footer


def draw_poster(canvas: Canvas, office: PosterOffice, procedure: PosterProcedure, mark: CatalogueMark,
                paper: str) -> FittedPoster:
    """Paint one poster as the canvas's current page (the caller shows the page)."""
    frame = frame_for(paper)
    fitted, footer = fit_page(office, procedure, mark, paper)
    paint_page(canvas, fitted.blocks, frame.left, frame.height - frame.top)
    footer.paint(canvas, frame.left, frame.bottom + footer.height)
    return fitted


def render_posters(office: PosterOffice, procedures: Sequence[PosterProcedure], mark: CatalogueMark,
                   paper: str = "a4") -> bytes:
    """One page per procedure, in the order given."""
    if paper not in POSTER_PAPERS:
        raise ValueError(f"poster paper must be one of {POSTER_PAPERS}, got {paper!r}")
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=_SIZES[paper], pageCompression=1)
    title = (f"Niêm yết thủ tục {nfc(procedures[0].code)}" if len(procedures) == 1
             else f"Niêm yết {len(procedures)} thủ tục hành chính")
    set_metadata(canvas, title, office.office_name or office.parent_name, "Niêm yết công khai thủ tục hành chính")
    for procedure in procedures:
        draw_poster(canvas, office, procedure, mark, paper)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


__all__ = [
    "FIT_SCALES", "MORE_DOCUMENTS", "NO_DOCUMENTS", "NO_FEE", "POSTER_PAPERS", "CatalogueMark", "FittedPoster",
    "PosterOffice", "PosterPaper", "PosterProcedure", "draw_poster", "fee_text", "fit", "fit_page", "frame_for",
    "render_posters",
]
