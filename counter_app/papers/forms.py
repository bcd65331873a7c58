"""Mẫu 02 to 06 (Thông tư 03/2025 numbering; docs/legal.md §2.1–2.4), printed as PDFs.

02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ; 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ; 04 Văn bản
xin lỗi và đề nghị gia hạn thời gian giải quyết; 05 Thông báo dừng giải quyết hồ sơ; 06 Phiếu kiểm soát
quá trình giải quyết hồ sơ. All A5 portrait, one copy each (the office keeps the record in the store).

Pure data in, PDF bytes out: `services/papers.py` turns a stored dossier and its events into the
dataclasses of `papers/form_data.py`. Every paper carries the state header, the dossier code and its Code 128
(docs/rules.md, "Papers"). Content that does not fit one page first tries a smaller body size, then continues on
further pages under a strip naming the paper and the code; the control sheet repeats its table header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.deadlines import timeliness
from counter_app.domain.text import nfc
from counter_app.domain.vn_time import vn_datetime
from counter_app.papers.fonts import BOLD, ITALIC, REGULAR
from counter_app.papers.form_data import (
    STOP_SUBJECT,
    TITLES,
    ControlSheet,
    ExtensionNotice,
    Form,
    FormDossier,
    FormOffice,
    HandOver,
    Refusal,
    StopNotice,
    SupplementRequest,
    number_text,
    paper_name,
)
from counter_app.papers.layout import (
    Block,
    Cell,
    HeaderStyle,
    PageFrame,
    Signatory,
    blocks_height,
    cell,
    centered_text_block,
    code_blocks,
    contact_blocks,
    continuation_block,
    draw_cell,
    grid_path,
    header_block,
    labelled_blocks,
    letter_signature_block,
    or_dots,
    paginate,
    paginate_with_header,
    render_document,
    text_blocks,
)
from counter_app.papers.text_lines import Line, Run, draw_lines, line_height, text_width, wrap

FRAME = PageFrame(*A5)
WIDTH = FRAME.content_width
# Body sizes tried in turn (as Mẫu 01): the normal size, then half-point steps down before spilling over.
BODY_SIZES = (9.5, 9.0, 8.5)
HEADER_SIZE = 8.5
TITLE_SIZE = 12.0
SIGN_SPACE = 15 * mm
LIST_INDENT = 4 * mm
# Space between the items of a body: the tightest first, then wider ones tried while one page still holds.
GAP_MIN = 1.2 * mm
GAPS = (2.6 * mm, 2.2 * mm, 1.8 * mm)


HEAD_OF_UNIT = Signatory("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", note="(Ký, ghi rõ họ tên và đóng dấu)")


# --------------------------------------------------------------------------------------------------
# Body pieces


def _para(runs: Sequence[Run] | str, size: float, gap: float, **kw: object) -> list[Block]:
    return text_blocks(runs, size, WIDTH, space_before=gap, **kw)  # type: ignore[arg-type]


def _field(label: str, value: str, size: float, gap: float, value_font: str = REGULAR) -> list[Block]:
    return labelled_blocks(label, value, size, WIDTH, value_font, space_before=gap)


def _numbered_list(items: Sequence[str], size: float, gap: float) -> list[Block]:
    """'1. …', '2. …' with the text hanging under itself, indented under the sentence introducing it."""
    blocks: list[Block] = []
    for index, item in enumerate(items, start=1):
        prefix = f"{index}. "
        hang = LIST_INDENT + text_width(prefix, REGULAR, size)
        blocks += text_blocks(
            [Run(prefix), Run(or_dots(item))], size, WIDTH, first_indent=LIST_INDENT, rest_indent=hang,
            space_before=gap / 2,
        )
    return blocks


def _applicant_fields(dossier: FormDossier, office: FormOffice, size: float, gap: float) -> list[Block]:
    """The receiving unit and the applicant, in the order of Mẫu 01 (a citizen reads them alike)."""
    blocks = _field("Bộ phận tiếp nhận và trả kết quả: ", office.office_name, size, gap)
    blocks += _field("Tiếp nhận hồ sơ của: ", dossier.applicant_name, size, gap, BOLD)
    blocks += _field("Địa chỉ: ", dossier.address, size, gap)
    blocks += contact_blocks(dossier.phone, dossier.email, size, WIDTH, space_before=gap)
    blocks += _field("Nội dung yêu cầu giải quyết: ", dossier.procedure_name, size, gap, BOLD)
    return blocks


def _addressee(dossier: FormDossier, size: float, gap: float) -> list[Block]:
    """'Kính gửi: Ông Nguyễn Văn Đức' and the address, for the letters (04, 05)."""
    name = f"{nfc(dossier.salutation)} {nfc(dossier.applicant_name)}".strip()
    blocks = text_blocks(
        [Run("Kính gửi: "), Run(name, BOLD)], size, WIDTH, first_indent=12 * mm, rest_indent=12 * mm,
        space_before=gap,
    )
    blocks += labelled_blocks("Địa chỉ: ", dossier.address, size, WIDTH, first_indent=12 * mm,
                              rest_indent=12 * mm)
    return blocks


def _closing(text: str, size: float, gap: float) -> list[Block]:
    # Bound to the signature, so a signature never opens a page alone.
    return _para(text, size, gap, keep_with_next=True)


def _salutation(dossier: FormDossier) -> str:
    return nfc(dossier.salutation) or "Ông/Bà"


def _recipients(office: FormOffice) -> list[str]:
    return ["Như trên;", f"{nfc(office.office_name)};", "Lưu: VT."]


# --------------------------------------------------------------------------------------------------
# Each form's body


def _supplement_body(office: FormOffice, form: SupplementRequest, size: float, gap: float) -> list[Block]:
    you = _salutation(form.dossier)
    blocks = _applicant_fields(form.dossier, office, size, gap)
    missing = [nfc(m) for m in form.missing if nfc(m)]
    reason = nfc(form.reason)
    blocks += _para(f"Yêu cầu {you} hoàn thiện hồ sơ gồm những nội dung như sau:", size, gap, keep_with_next=True)
    if missing:
        blocks += _numbered_list(missing, size, gap)
        blocks += _field("Lý do: ", reason, size, gap)
    else:
        # A request recorded without a list: what the officer wrote is the content of the request.
        blocks += _numbered_list([reason], size, gap)
    officer = or_dots(form.officer_name)
    phone = or_dots(office.phone)
    blocks += _closing(
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, {you} liên hệ với {officer}, số điện thoại "
        f"{phone} để được hướng dẫn./.", size, gap,
    )
    return blocks


def _refusal_body(office: FormOffice, form: Refusal, size: float, gap: float) -> list[Block]:
    you = _salutation(form.dossier)
    blocks = _applicant_fields(form.dossier, office, size, gap)
    basis = or_dots(form.legal_basis)
    blocks += _para(
        f"Căn cứ quy định tại {basis}, {nfc(office.office_name)} từ chối tiếp nhận, giải quyết hồ sơ này vì "
        "lý do cụ thể như sau:", size, gap,
    )
    blocks += _para([Run(or_dots(form.reason), BOLD)], size, gap / 2, first_indent=LIST_INDENT,
                    rest_indent=LIST_INDENT)
    blocks += _closing(f"Xin thông báo cho {you} được biết và thực hiện./.", size, gap)
    return blocks


def _letter_opening(office: FormOffice, dossier: FormDossier, due: list[Run], size: float, gap: float) -> list[Block]:
    """Mẫu 04 and 05 open alike: to whom, when the unit received the dossier, what it asks for and the
    appointment (`due`: its runs, as each letter stresses it)."""
    you = _salutation(dossier)
    unit = nfc(office.office_name)
    blocks = _addressee(dossier, size, gap)
    blocks += _para(
        [Run(f"{unit} đã tiếp nhận hồ sơ của {you} lúc "), Run(vn_datetime(dossier.received_at), keep=True),
         Run(".")], size, 2 * gap,
    )
    blocks += _field("Nội dung yêu cầu giải quyết: ", dossier.procedure_name, size, gap, BOLD)
    blocks += _para([Run("Thời gian hẹn trả kết quả: "), *due], size, gap)
    return blocks


def _extension_body(office: FormOffice, form: ExtensionNotice, size: float, gap: float) -> list[Block]:
    dossier = form.dossier
    you = _salutation(dossier)
    unit = nfc(office.office_name)
    previous_due = [Run(f"{vn_datetime(form.previous_due_at)}.", BOLD, keep=True)]
    blocks = _letter_opening(office, dossier, previous_due, size, gap)
    blocks += _para(
        f"Đến nay, hồ sơ của {you} chưa được giải quyết xong theo đúng thời gian đã hẹn. Lý do: "
        f"{or_dots(form.reason)}", size, gap,
    )
    blocks += _para(
        [Run(f"{unit} thành thật xin lỗi {you} vì sự chậm trễ này và đề nghị gia hạn thời gian giải quyết "
             "hồ sơ; thời gian hẹn trả kết quả mới: "),
         Run(f"{vn_datetime(form.new_due_at)}.", BOLD, keep=True)],
        size, gap,
    )
    blocks += _closing(f"Rất mong nhận được sự thông cảm của {you}./.", size, gap)
    return blocks


def _stop_body(office: FormOffice, form: StopNotice, size: float, gap: float) -> list[Block]:
    dossier = form.dossier
    you = _salutation(dossier)
    unit = nfc(office.office_name)
    blocks = _letter_opening(office, dossier, [Run(vn_datetime(dossier.due_at), keep=True), Run(".")], size, gap)
    blocks += _para(
        [Run(f"{unit} thông báo dừng giải quyết hồ sơ nêu trên kể từ "),
         Run(f"{vn_datetime(form.stopped_at)}.", BOLD, keep=True)],
        size, gap,
    )
    blocks += _field("Lý do: ", form.reason, size, gap)
    blocks += _closing(f"Xin thông báo để {you} được biết./.", size, gap)
    return blocks


# --------------------------------------------------------------------------------------------------
# Mẫu 06: the control table


# TÊN CƠ QUAN | THỜI GIAN GIAO, NHẬN HỒ SƠ | KẾT QUẢ GIẢI QUYẾT HỒ SƠ | GHI CHÚ (docs/legal.md §2.4)
CONTROL_WIDTHS = (40 * mm, 40 * mm, 21 * mm, WIDTH - 101 * mm)
CELL_PAD = 1.2 * mm
ROW_SIGN_SPACE = 9 * mm
BLANK_TIME = "…… giờ …… phút, ngày …… tháng …… năm ……"


def _header_row(size: float) -> Block:
    widths = CONTROL_WIDTHS
    small = size - 1.5
    cells = [
        cell("TÊN CƠ QUAN", small, widths[0], font=BOLD, align="center", padding=CELL_PAD),
        cell("THỜI GIAN GIAO, NHẬN HỒ SƠ", small, widths[1], font=BOLD, align="center", padding=CELL_PAD),
        cell(
            [Run("KẾT QUẢ GIẢI QUYẾT HỒ SƠ ", BOLD), Run("(Trước hạn/ đúng hạn/ quá hạn)", ITALIC)], small,
            widths[2], align="center", padding=CELL_PAD,
        ),
        cell("GHI CHÚ", small, widths[3], font=BOLD, align="center", padding=CELL_PAD),
    ]
    height = max(c.height for c in cells) + 2 * CELL_PAD

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(0.6)
        grid_path(canvas, x, y, widths, height)
        left = x
        for item, width in zip(cells, widths, strict=True):
            draw_cell(canvas, item, left, y, width, height, CELL_PAD, "middle")
            left += width
        canvas.restoreState()

    return Block(height, paint, keep_with_next=True, space_before=2 * mm)


def _hand_over_row(row: HandOver | None, size: float) -> Block:
    """One hand-over as the official pair of rows: names and time above, the two signatures below.
    `None` is an empty pair for hand-writing."""
    widths = CONTROL_WIDTHS
    small = size - 1
    pad = CELL_PAD
    giver = nfc(row.giver) if row else ""
    receiver = nfc(row.receiver) if row else ""
    name_cell = _names_cell([("1. Giao: ", giver), ("2. Nhận: ", receiver)], small, widths[0])
    time_cell = cell(vn_datetime(row.at) if row else BLANK_TIME, small, widths[1], align="center", padding=pad)
    verdict = timeliness(row.at, row.due_at) if row and row.due_at else ""
    verdict_cell = cell(verdict, small, widths[2], font=BOLD, align="center", padding=pad)
    note = "\n".join(nfc(part) for part in row.note.split("\n")) if row else ""
    note_cell = cell(note, small - 0.5, widths[3], padding=pad)
    half = widths[1] / 2
    sign_labels = [cell(text, small - 0.5, half, font=ITALIC, align="center", padding=pad)
                   for text in ("Người giao", "Người nhận")]
    sign_height = max(c.height for c in sign_labels) + pad + ROW_SIGN_SPACE
    top_height = time_cell.height + 2 * pad
    height = max(
        name_cell.height + 2 * pad, top_height + sign_height, verdict_cell.height + 2 * pad,
        note_cell.height + 2 * pad,
    )
    sign_top = height - sign_height  # the signature sub-row sits at the bottom of the pair

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(0.5)
        grid_path(canvas, x, y, widths, height)
        time_x = x + widths[0]
        canvas.setLineWidth(0.3)
        canvas.line(time_x, y - sign_top, time_x + widths[1], y - sign_top)
        canvas.line(time_x + half, y - sign_top, time_x + half, y - height)
        draw_cell(canvas, name_cell, x, y, widths[0], height, pad)
        draw_cell(canvas, time_cell, time_x, y, widths[1], sign_top, pad, "middle")
        for index, label in enumerate(sign_labels):
            draw_cell(canvas, label, time_x + index * half, y - sign_top, half, sign_height, pad)
        draw_cell(canvas, verdict_cell, time_x + widths[1], y, widths[2], height, pad, "middle")
        draw_cell(canvas, note_cell, time_x + widths[1] + widths[2], y, widths[3], height, pad)
        canvas.restoreState()

    return Block(height, paint)


def _names_cell(parts: Sequence[tuple[str, str]], size: float, width: float) -> Cell:
    """'1. Giao: …' and '2. Nhận: …', each wrapped with its text hanging under itself."""
    lines: list[Line] = []
    inner = width - 2 * CELL_PAD
    # Continuation lines hang under "Giao"/"Nhận", not under the name: the column is narrow.
    hang = text_width("1. ", REGULAR, size)
    for prefix, value in parts:
        lines += wrap([Run(prefix), Run(or_dots(value), BOLD)], size, inner, rest_indent=hang)
    return Cell(tuple(lines), size)


def _control_body(office: FormOffice, form: ControlSheet, size: float, gap: float
                  ) -> tuple[list[Block], Block, list[Block]]:
    dossier = form.dossier
    blocks = _field("Kèm theo hồ sơ của: ", dossier.applicant_name, size, gap, BOLD)
    blocks += _field("Nội dung yêu cầu giải quyết: ", dossier.procedure_name, size, gap, BOLD)
    blocks += _para([Run("Ngày nhận: "), Run(vn_datetime(dossier.received_at), keep=True)], size, gap)
    due = [Run("Ngày, giờ hẹn trả kết quả: "), Run(vn_datetime(dossier.due_at), BOLD, keep=True)]
    if form.original_due_at is not None:
        due += [Run(" (đã gia hạn; hẹn lần đầu: "), Run(vn_datetime(form.original_due_at), keep=True), Run(")")]
    blocks += _para(due, size, gap)
    blocks += _field("Cơ quan (bộ phận) giải quyết hồ sơ: ", form.processing_unit, size, gap)
    coordinating = "; ".join(nfc(u) for u in form.coordinating_units if nfc(u))
    blocks += _field("Cơ quan phối hợp giải quyết hồ sơ: ", coordinating, size, gap)
    header = _header_row(size)
    rows = [_hand_over_row(row, size) for row in form.hand_overs]
    rows += [_hand_over_row(None, size) for _ in range(max(form.blank_rows, 0))]
    if not rows:
        rows = [_hand_over_row(None, size)]
    blocks.append(header)
    blocks += rows
    notes = [nfc(n) for n in form.notes if nfc(n)]
    if notes:
        blocks += _para([Run("Ghi chú:", BOLD)], size - 0.5, 2 * gap, keep_with_next=True)
        for note in notes:
            dash = text_width("- ", REGULAR, size - 0.5)
            blocks += text_blocks(f"- {note}", size - 0.5, WIDTH, rest_indent=dash)
    return blocks, header, rows


# --------------------------------------------------------------------------------------------------
# Assembling a paper


@dataclass(frozen=True)
class _Content:
    blocks: list[Block]
    table_header: Block | None = None      # repeated on a page that opens inside the table
    table_rows: tuple[Block, ...] = ()


def _dated(form: Form) -> datetime:
    """The day in the header: when the event the paper records happened (06: when the dossier came in)."""
    if isinstance(form, SupplementRequest):
        return form.requested_at
    if isinstance(form, Refusal):
        return form.refused_at
    if isinstance(form, ExtensionNotice):
        return form.extended_at
    if isinstance(form, StopNotice):
        return form.stopped_at
    return form.dossier.received_at


def _signature(office: FormOffice, form: Form, size: float) -> Block | None:
    if isinstance(form, SupplementRequest):
        signer = Signatory("NGƯỜI HƯỚNG DẪN", name=nfc(form.officer_name))
        return letter_signature_block([], signer, WIDTH, size, SIGN_SPACE)
    if isinstance(form, Refusal):
        signer = Signatory("NGƯỜI TIẾP NHẬN HỒ SƠ", name=nfc(form.officer_name))
        return letter_signature_block([], signer, WIDTH, size, SIGN_SPACE)
    if isinstance(form, ExtensionNotice | StopNotice):
        signer = replace(HEAD_OF_UNIT, name=nfc(form.signer_name))
        return letter_signature_block(_recipients(office), signer, WIDTH, size, SIGN_SPACE)
    return None  # the control sheet is signed row by row


_BODIES: dict[type, Callable[..., list[Block]]] = {
    SupplementRequest: _supplement_body,
    Refusal: _refusal_body,
    ExtensionNotice: _extension_body,
    StopNotice: _stop_body,
}


def _build(office: FormOffice, form: Form, size: float, gap: float = GAP_MIN) -> _Content:
    header = header_block(
        office.parent_name, office.office_name, office.place, _dated(form), WIDTH, HeaderStyle(size=HEADER_SIZE),
        number=number_text(form),
    )
    blocks: list[Block] = [replace(header, keep_with_next=True)]
    for index, title in enumerate(TITLES[type(form)]):
        blocks.append(centered_text_block(title, BOLD, TITLE_SIZE, WIDTH, space_before=0.0 if index else 5 * mm))
    if isinstance(form, StopNotice):
        blocks.append(_subject_block(STOP_SUBJECT, size + 0.5))
    blocks += code_blocks(form.dossier.code, size + 0.5, WIDTH, space_before=1.5 * mm)
    content = _Content([])
    if isinstance(form, ControlSheet):
        body, table_header, rows = _control_body(office, form, size, gap)
        content = _Content([], table_header, tuple(rows))
    else:
        body = _BODIES[type(form)](office, form, size, gap)
    blocks += [replace(body[0], space_before=3 * mm), *body[1:]]
    signature = _signature(office, form, size)
    if signature is not None:
        blocks.append(replace(signature, space_before=4 * mm))
    return replace(content, blocks=blocks)


def _subject_block(text: str, size: float) -> Block:
    """A notice's subject under its title, with the short rule Nghị định 30/2020 sets beneath it."""
    lines = wrap([Run(text, BOLD)], size, WIDTH)
    used = len(lines) * line_height(size)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        draw_lines(canvas, lines, x, y, WIDTH, size, "center")
        rule = max(line.width for line in lines) / 3
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.line(x + (WIDTH - rule) / 2, y - used - 0.8 * mm, x + (WIDTH + rule) / 2, y - used - 0.8 * mm)
        canvas.restoreState()

    return Block(used + 1.5 * mm, paint, keep_with_next=True)


def _fits(content: _Content) -> bool:
    return blocks_height(content.blocks) <= FRAME.content_height + 1e-6


def _layout(office: FormOffice, form: Form) -> _Content:
    """The largest body size whose content fits one page (else the smallest, continued on more pages),
    then the widest item spacing that still fits: a short form should not huddle at the top."""
    for size in BODY_SIZES:
        content = _build(office, form, size)
        if _fits(content):
            break
    else:
        return content
    for gap in GAPS:
        wider = _build(office, form, size, gap)
        if _fits(wider):
            return wider
    return content


def render_form(office: FormOffice, form: Form) -> bytes:
    """One of Mẫu 02–06 as PDF bytes (A5 portrait)."""
    if type(form) not in TITLES:
        raise TypeError(f"not a form this module prints: {type(form).__name__}")
    content = _layout(office, form)
    code = nfc(form.dossier.code)
    name = paper_name(form)
    continuation = continuation_block(f"{name} - Mã hồ sơ: {code} (tiếp theo)", WIDTH)
    first, other = FRAME.content_height, FRAME.content_height - continuation.height
    if content.table_header is not None:
        pages = paginate_with_header(content.blocks, first, other, content.table_header, content.table_rows)
    else:
        pages = paginate(content.blocks, first, other)
    return render_document(
        FRAME, pages, title=f"{name} - {code}", author=nfc(office.office_name) or nfc(office.parent_name),
        subject=nfc(form.dossier.procedure_name), continuation=continuation,
    )


__all__ = ["BODY_SIZES", "render_form"]
