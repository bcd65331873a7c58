"""Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (docs/legal.md §2.2), printed as a PDF.

Two copies ("liên"): one stays with the dossier, one goes to the applicant. On A5 they are two pages;
on "a4-2up" they sit side by side on one A4 landscape sheet, each exactly one A5 half, to be cut.
Every shipped procedure fits one A5 page per copy (tests/unit/test_slip_one_sheet.py): spaces are laid
out tight and opened up into what room is left, and a long slip steps its body down to 7.5 pt. Only a
slip with more content than that (many documents typed in at the counter) continues on a following
page, headed by a strip naming the dossier and the copy (every copy gets the same number of pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Literal

from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from counter_app.domain import vietqr
from counter_app.domain.text import nfc
from counter_app.domain.vn_time import vn_datetime
from counter_app.papers.fonts import BOLD, ITALIC, REGULAR
from counter_app.papers.layout import (
    Block,
    Copy,
    HeaderStyle,
    PageFrame,
    Signatory,
    beside,
    blocks_height,
    centered_text_block,
    code_blocks,
    contact_blocks,
    continuation_block,
    header_block,
    labelled_blocks,
    or_dots,
    paginate,
    qr_row_block,
    qr_row_width,
    render_copies,
    signature_block,
    spacer,
    stack,
    text_blocks,
    vn_decimal,
    vn_money,
)
from counter_app.papers.text_lines import Run, text_width

TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
COPY_LABELS = ("Liên 1: Lưu", "Liên 2: Giao người nộp")
Paper = Literal["a5", "a4-2up"]

# A5 portrait; the left margin is the wider one, for binding the office copy into the dossier.
FRAME = PageFrame(*A5, top=7 * mm)  # 7 mm: clear of the 4-5 mm edge a laser printer cannot print
PAGE_WIDTH, PAGE_HEIGHT = A5
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = FRAME.left, FRAME.right, FRAME.top, FRAME.bottom
CONTENT_WIDTH = FRAME.content_width
CONTENT_HEIGHT = FRAME.content_height

# Body sizes tried in turn, largest first, until one copy fits one A5 page. 7.5 pt is the floor, still
# easy to read held in the hand; the birth registration (five long documents) fits at 8 pt and the
# longest shipped procedures (seven documents) at 7.5 pt. When even the floor does not fit, the slip
# continues on a second page.
BODY_SIZES = (9.5, 9.0, 8.5, 8.0, 7.5)
MIN_BODY = BODY_SIZES[-1]
HEADER_SIZE = 8.5           # never larger than the body it heads
TITLE_SIZE = 12.0
QR_SIZE = 20 * mm
QR_GAP = 3 * mm
PAGE_NUMBER_SIZE = 7.0
SIGN_SPACE = 13 * mm
# Vertical space is laid out at its tightest, then opened up (see `_layout`) into the room a copy has
# left: a short slip gets air between its items, a long one still fits its page.
GAP_MIN = 0.6 * mm          # between items …
GAP_MAX = 2.4 * mm
TITLE_SPACE = 2.5 * mm      # … and the fixed breaks: under the header, before the body,
BODY_SPACE = 1.0 * mm
SIGN_SPACE_BEFORE = 2.0 * mm  # above the signatures and above the notes
NOTES_SPACE_BEFORE = 2.5 * mm  # the QR codes never read as the officer's name caption
NOTE_SIZE = 7.5             # the notes and QR captions are small print, never below 6.5 pt
NOTE_MIN = 6.5
CAPTION_SIZE = 6.5

NOTES = (
    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 02 liên; một liên chuyển kèm theo Phiếu"
    " kiểm soát quá trình giải quyết hồ sơ và được lưu tại Bộ phận tiếp nhận và trả kết quả; một liên"
    " giao cho cá nhân, tổ chức nộp hồ sơ.",
    "Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận tiếp nhận và trả kết quả hoặc tại nhà"
    " (trụ sở tổ chức) qua dịch vụ bưu chính.",
)


@dataclass(frozen=True)
class SlipOffice:
    parent_name: str          # "UBND XÃ BÌNH MỸ" (printed upper case)
    office_name: str          # "Trung tâm Phục vụ hành chính công xã Bình Mỹ"
    place: str                # "Bình Mỹ" for the "<place>, ngày … tháng … năm …" line
    lookup_url: str = ""      # status look-up address: QR of f"{lookup_url}{code}", or "{code}" filled in
    bank_bin: str = ""        # VietQR is printed when bin, account and a fee are all set
    bank_account: str = ""
    bank_account_name: str = ""


@dataclass(frozen=True)
class SlipDocument:
    name: str
    form: str                 # "Bản chính", "Bản sao chứng thực" …
    count: int


@dataclass(frozen=True)
class SlipData:
    code: str                 # "000.00.20.H12-260213-0001"
    procedure_name: str
    working_days: float       # 0 = same day ("Trong ngày")
    applicant_name: str
    address: str
    phone: str
    email: str
    documents: tuple[SlipDocument, ...]
    sets: int
    received_at: datetime     # aware; printed in Vietnam time
    due_at: datetime
    receive_at_place: str = ""   # default: the office name
    register_book: str = ""
    register_number: str = ""
    officer_name: str = ""
    fee_amount: int | None = None
    note: str = ""


# --------------------------------------------------------------------------------------------------
# What the slip says


def lookup_qr_value(office: SlipOffice, code: str) -> str:
    """The look-up address for this dossier, or '' when the office has none configured."""
    url = nfc(office.lookup_url)
    if not url:
        return ""
    return url.replace("{code}", code) if "{code}" in url else f"{url}{code}"


def payment_qr_value(office: SlipOffice, slip: SlipData) -> str:
    """The VietQR payload for the fee (exact amount, the dossier code as the note), or ''."""
    if not (office.bank_bin.strip() and office.bank_account.strip() and slip.fee_amount):
        return ""
    return _payment_payload(office.bank_bin, office.bank_account, slip.fee_amount, nfc(slip.code))


@lru_cache(maxsize=32)
def _payment_payload(bank_bin: str, account: str, amount: int, code: str) -> str:
    # Asked for by every layout attempt and copy; the CRC is a pure-Python loop.
    return vietqr.build_payload(bank_bin, account, amount, purpose=code)


def working_time_text(days: float) -> str:
    if days <= 0:
        return "Trong ngày"
    return f"{vn_decimal(days)} ngày làm việc"


def document_text(index: int, document: SlipDocument) -> tuple[str, str]:
    """('(1) ', 'Tờ khai đăng ký khai sinh - Bản chính: 01')."""
    form = nfc(document.form)
    # Catalogues write forms in lower case ("bản chính"); after the dash the form starts a phrase.
    form = form[:1].upper() + form[1:] if form else "Số lượng"
    return f"({index}) ", f"{nfc(document.name)} - {form}: {document.count:02d}"


# --------------------------------------------------------------------------------------------------
# Building the blocks


@dataclass(frozen=True)
class _Sizes:
    body: float
    # How much of the spare height the spaces take: 0 is the tightest layout, 1 the airiest (what a
    # short slip gets). See `_layout`.
    stretch: float = 0.0

    @property
    def small(self) -> float:
        return max(NOTE_MIN, min(NOTE_SIZE, self.body - 1.5))

    @property
    def header(self) -> float:
        return min(HEADER_SIZE, self.body)

    def space(self, tightest: float, airiest: float) -> float:
        return tightest + self.stretch * (airiest - tightest)

    @property
    def gap(self) -> float:
        return self.space(GAP_MIN, GAP_MAX)


def _numbered(number: int, runs: Sequence[Run], sizes: _Sizes, **kw: object) -> list[Block]:
    prefix = f"{number}. "
    hang = text_width(prefix, REGULAR, sizes.body)
    return text_blocks([Run(prefix), *runs], sizes.body, CONTENT_WIDTH, rest_indent=hang, **kw)  # type: ignore[arg-type]


def _footer_block(office: SlipOffice, slip: SlipData, sizes: _Sizes) -> Block:
    """'Ghi chú:' on the left, the look-up and payment QR codes with captions on the right, painted
    against the bottom margin of the copy's last page."""
    qrs: list[tuple[str, str]] = []
    lookup = lookup_qr_value(office, nfc(slip.code))
    if lookup:
        qrs.append((lookup, "Tra cứu hồ sơ"))
    payment = payment_qr_value(office, slip)
    if payment:
        qrs.append((payment, "VietQR nộp phí"))

    size = sizes.small
    qr_area = qr_row_width(len(qrs), QR_SIZE)
    notes_width = CONTENT_WIDTH - (qr_area + QR_GAP if qrs else 0.0)
    dash = text_width("- ", ITALIC, size)
    notes = [
        text_blocks([Run("- " + note, ITALIC)], size, notes_width, rest_indent=dash, keep_together=True)[0]
        for note in (*NOTES, *([nfc(slip.note)] if nfc(slip.note) else []))
    ]
    heading = text_blocks([Run("Ghi chú:", BOLD)], size, notes_width, keep_together=True)[0]
    footer = beside(
        stack([heading, *notes]), qr_row_block(qrs, QR_SIZE, CAPTION_SIZE), CONTENT_WIDTH - qr_area,
        space_before=sizes.space(NOTES_SPACE_BEFORE, 3 * mm),
    )
    return replace(footer, at_foot=True)


def _copy_label_block(label: str, sizes: _Sizes) -> Block:
    return centered_text_block(
        f"({label})", ITALIC, sizes.body - 0.5, CONTENT_WIDTH, space_before=1 * mm, keep_with_next=False
    )


def _build_blocks(office: SlipOffice, slip: SlipData, sizes: _Sizes) -> tuple[list[Block], int]:
    """The blocks of one copy, and the index of its copy label (the one block the copies differ in)."""
    body = sizes.body
    gap = sizes.gap
    code = nfc(slip.code)
    header = header_block(
        office.parent_name, office.office_name, office.place, slip.received_at, CONTENT_WIDTH,
        HeaderStyle(size=sizes.header),
    )
    blocks: list[Block] = [replace(header, keep_with_next=True)]
    blocks.append(
        centered_text_block(TITLE, BOLD, TITLE_SIZE, CONTENT_WIDTH, space_before=sizes.space(TITLE_SPACE, 4.5 * mm))
    )
    blocks += code_blocks(code, body + 0.5, CONTENT_WIDTH)
    label_index = len(blocks)
    blocks.append(_copy_label_block(COPY_LABELS[0], sizes))

    blocks.append(spacer(sizes.space(BODY_SPACE, 2 * mm)))
    blocks += labelled_blocks("Bộ phận tiếp nhận và trả kết quả: ", office.office_name, body, CONTENT_WIDTH)
    blocks += labelled_blocks("Tiếp nhận hồ sơ của: ", slip.applicant_name, body, CONTENT_WIDTH, BOLD,
                              space_before=gap)
    blocks += labelled_blocks("Địa chỉ: ", slip.address, body, CONTENT_WIDTH, space_before=gap)
    blocks += contact_blocks(slip.phone, slip.email, body, CONTENT_WIDTH, space_before=gap)
    blocks += labelled_blocks("Nội dung yêu cầu giải quyết: ", slip.procedure_name, body, CONTENT_WIDTH, BOLD,
                              space_before=gap)

    # 1. Documents, each "(n) name - form: count" with a hanging indent under the name.
    blocks += _numbered(1, [Run("Thành phần hồ sơ nộp gồm:")], sizes, space_before=gap, keep_with_next=True)
    indent = 4 * mm
    for index, document in enumerate(slip.documents, start=1):
        prefix, text = document_text(index, document)
        hang = indent + text_width(prefix, REGULAR, body)
        blocks += text_blocks(
            [Run(prefix), Run(text)], body, CONTENT_WIDTH, first_indent=indent, rest_indent=hang,
            space_before=gap / 2,
        )
    if not slip.documents:
        blocks += text_blocks([Run(or_dots(""))], body, CONTENT_WIDTH, first_indent=indent)

    blocks += _numbered(
        2, [Run("Số lượng hồ sơ: "), Run(f"{slip.sets:02d}"), Run(" (bộ)")], sizes, space_before=gap
    )
    blocks += _numbered(
        3, [Run("Thời gian giải quyết hồ sơ theo quy định là: "), Run(working_time_text(slip.working_days))],
        sizes, space_before=gap,
    )
    blocks += _numbered(
        4, [Run("Thời gian nhận hồ sơ: "), Run(vn_datetime(slip.received_at), keep=True)], sizes,
        space_before=gap,
    )
    blocks += _numbered(
        5, [Run("Thời gian trả kết quả giải quyết hồ sơ: "), Run(vn_datetime(slip.due_at), BOLD, keep=True)],
        sizes, space_before=gap,
    )
    place = nfc(slip.receive_at_place) or nfc(office.office_name)
    blocks += _numbered(6, [Run("Đăng ký nhận kết quả tại: "), Run(or_dots(place))], sizes, space_before=gap)

    if slip.fee_amount is not None:
        fee = vn_money(slip.fee_amount) if slip.fee_amount > 0 else "Không thu"
        runs = [Run("Phí, lệ phí: "), Run(fee, BOLD, keep=True)]
        if payment_qr_value(office, slip):
            account = nfc(office.bank_account)
            holder = nfc(office.bank_account_name)
            runs.append(Run(f" (chuyển khoản: TK {account}{' - ' + holder if holder else ''})"))
        blocks += text_blocks(runs, body, CONTENT_WIDTH, space_before=gap)

    book = [
        Run("Vào Sổ theo dõi hồ sơ, Quyển số: "), Run(or_dots(slip.register_book)),
        Run(", Số thứ tự: "), Run(or_dots(slip.register_number)),
    ]
    # Bound to the signatures, so they never open a page on their own.
    blocks += text_blocks(book, body, CONTENT_WIDTH, space_before=2 * gap, keep_with_next=True)

    signatures = signature_block(
        [
            Signatory("NGƯỜI NỘP HỒ SƠ"),
            Signatory("NGƯỜI TIẾP NHẬN HỒ SƠ", name=nfc(slip.officer_name)),
        ],
        CONTENT_WIDTH, body, sign_space=SIGN_SPACE,
    )
    blocks.append(replace(signatures, space_before=sizes.space(SIGN_SPACE_BEFORE, 3 * mm)))
    blocks.append(_footer_block(office, slip, sizes))
    return blocks, label_index


# --------------------------------------------------------------------------------------------------
# Layout: fit, then paint


def _layout(office: SlipOffice, slip: SlipData) -> list[Copy]:
    """The largest body size at which a copy fits one page, its spaces opened up into the room left;
    when none fits, the smallest size, tight, continued on further pages."""
    for body in BODY_SIZES:
        sizes = _Sizes(body)
        blocks, label_index = _build_blocks(office, slip, sizes)
        height = blocks_height(blocks)
        if height > CONTENT_HEIGHT + 1e-6:
            continue
        slack = CONTENT_HEIGHT - height
        airy, _ = _build_blocks(office, slip, _Sizes(body, 1.0))
        spread = blocks_height(airy) - height
        if slack > 0 and spread > 0:
            # Half the room goes to the spaces (so a short slip does not huddle at the top); the rest
            # stays above the notes, which sit on the bottom margin.
            sizes = _Sizes(body, min(1.0, slack / 2 / spread))
            blocks, label_index = _build_blocks(office, slip, sizes)
        break
    # (No size fits: the last attempt, MIN_BODY at its tightest, continues on further pages.)
    copies = []
    for label in COPY_LABELS:
        copy_blocks = list(blocks)
        copy_blocks[label_index] = _copy_label_block(label, sizes)
        text = f"{TITLE.capitalize()} - Mã hồ sơ: {nfc(slip.code)} - {label} (tiếp theo)"
        continuation = continuation_block(text, CONTENT_WIDTH)
        pages = paginate(copy_blocks, CONTENT_HEIGHT, CONTENT_HEIGHT - continuation.height)
        copies.append(Copy(pages, continuation, lambda page, of, label=label: f"({label}) Trang {page}/{of}"))
    return copies


def render_slip(office: SlipOffice, slip: SlipData, paper: Paper = "a5") -> bytes:
    """The slip as PDF bytes: two A5 pages (or more, if it overflows), or A4 landscape sheets 2-up, each
    copy exactly one A5 half."""
    if paper not in ("a5", "a4-2up"):
        raise ValueError(f"unknown paper {paper!r}")
    return render_copies(
        FRAME, _layout(office, slip), title=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {nfc(slip.code)}",
        author=nfc(office.office_name) or nfc(office.parent_name), subject=nfc(slip.procedure_name),
        sheet=None if paper == "a5" else landscape(A4), page_size=PAGE_NUMBER_SIZE,
    )
