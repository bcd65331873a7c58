"""Pages handed in (scans, photos, PDFs) into the one PDF a component of a dossier is kept as.

- A JPEG within the page budget is wrapped as it is (img2pdf: the scanner's bytes, no re-encoding).
- Any other image (PNG, TIFF, each TIFF frame, a JPEG over the budget) is re-encoded with Pillow as
  a grey JPEG of at most `Limits.dpi` (200 by default) that fits the budget: quality first, then size.
- A PDF is re-saved with pikepdf as a new document holding only its pages, after pikepdf.sanitize
  removed its JavaScript (open actions, page, form and link scripts), attachments, actions that
  reach the network or the disk, and multimedia; the notes say so.
- Each page can be turned (a multiple of 90 degrees, clockwise); the dossier code and the
  component's name go in the PDF's Title, Subject and Keywords.

Nothing is written here: the caller gets bytes, or a DigitiseError (a UserError: one Vietnamese
sentence naming the file) and nothing at all. Pure CPU work: run it off the window's UI thread.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from counter_app.errors import UserError

DEFAULT_DPI = 200
DEFAULT_PAGE_BUDGET = 500 * 1024  # bytes per page: a grey 200 dpi A4 scan is 150–400 KB as JPEG
DEFAULT_MAX_FILE = 100 * 1024 * 1024  # bytes per file handed in
A4_LONG_INCHES = 297 / 25.4
_QUALITIES = (85, 75, 60, 45)
_MAX_PIXELS = 120_000_000  # beyond this an "image" is a decompression bomb, not a scan


_NOT_A_PAGE = "'{label}' không phải PDF, JPEG, PNG hoặc TIFF: không số hóa được."
_BROKEN_PDF = "Tệp PDF '{label}' bị hỏng: không số hóa."


class DigitiseError(UserError):
    """A page that cannot become part of a component; nothing was kept."""


@dataclass(frozen=True)
class Page:
    """One thing handed in: a file path or its bytes; `index` picks one page of a multi-page PDF
    or TIFF (0-based; None: all of them); `rotate` turns it clockwise (0, 90, 180, 270)."""

    source: str | os.PathLike[str] | bytes
    rotate: int = 0
    index: int | None = None
    name: str = ""  # what messages call a page given as bytes

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return "trang được quét" if isinstance(self.source, bytes) else Path(self.source).name


@dataclass(frozen=True)
class Limits:
    page_budget: int = DEFAULT_PAGE_BUDGET  # bytes per page an image is brought under
    max_file: int = DEFAULT_MAX_FILE  # bytes per file handed in
    dpi: int = DEFAULT_DPI


@dataclass(frozen=True)
class Component:
    pdf: bytes
    pages: int
    notes: tuple[str, ...]  # what was changed on the way (scripts removed …), Vietnamese


def normalise(pages: Sequence[Page | str | os.PathLike[str] | bytes], *, code: str, component: str,
              limits: Limits | None = None) -> Component:
    """The pages, in order, as one PDF with `code` and `component` in its metadata."""
    import pikepdf

    limits = limits or Limits()
    items = [p if isinstance(p, Page) else Page(p) for p in pages]
    if not items:
        raise DigitiseError("Chưa có trang nào để số hóa.")
    out = pikepdf.Pdf.new()
    notes: list[str] = []
    for item in items:
        if item.rotate % 90:
            raise DigitiseError(f"'{item.label}': chỉ xoay được 90, 180 hoặc 270 độ.")
        data = _read(item, limits)
        kind = page_kind(data)
        if kind == "pdf":
            _add_pdf(out, data, item, notes)
        elif kind is None:
            raise DigitiseError(_NOT_A_PAGE.format(label=item.label))
        else:
            for jpeg, dpi in _images(data, kind, item, limits):
                _add_image(out, jpeg, dpi, item)
    _set_metadata(out, code, component)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return Component(buffer.getvalue(), len(out.pages), tuple(notes))


def page_count(source: str | os.PathLike[str] | bytes, limits: Limits | None = None) -> int:
    """How many pages a file handed in holds (a PDF's pages, a TIFF's frames, else 1), so the inbox
    can offer each one (`Page.index`); DigitiseError as `normalise` would say for a bad file."""
    import pikepdf

    item = Page(source)
    data = _read(item, limits or Limits())
    kind = page_kind(data)
    if kind is None:
        raise DigitiseError(_NOT_A_PAGE.format(label=item.label))
    if kind != "pdf":
        return int(getattr(_open_image(data, item), "n_frames", 1))
    with _open_pdf(data, item) as pdf:
        try:
            return len(pdf.pages)
        except pikepdf.PdfError:
            raise DigitiseError(_BROKEN_PDF.format(label=item.label)) from None


# --- reading ---------------------------------------------------------------------------------------


def _read(item: Page, limits: Limits) -> bytes:
    mb = limits.max_file // (1024 * 1024)
    if isinstance(item.source, bytes):
        if len(item.source) > limits.max_file:
            raise DigitiseError(f"'{item.label}' lớn quá {mb} MB (cài đặt digitise.max_file_mb): không số hóa.")
        return item.source
    path = Path(item.source)
    try:
        size = path.stat().st_size
        if size > limits.max_file:
            raise DigitiseError(f"Tệp '{path.name}' nặng {size // (1024 * 1024)} MB, quá giới hạn {mb} MB "
                                "(cài đặt digitise.max_file_mb): không số hóa.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DigitiseError(f"Không còn tệp '{path.name}' (đã bị xóa hoặc di chuyển khi đang đọc): "
                            "không số hóa; hãy quét lại.") from None
    except IsADirectoryError:
        raise DigitiseError(f"'{path}' là một thư mục, không phải tệp trang quét.") from None
    except PermissionError:
        raise DigitiseError(f"Không có quyền đọc tệp '{path.name}' (hoặc tệp đang được máy quét ghi).") from None
    except OSError as exc:
        raise DigitiseError(f"Không đọc được tệp '{path.name}': {exc.strerror or exc}.") from None
    if len(data) != size:  # the scanner software is still writing it, or replaced it meanwhile
        raise DigitiseError(f"Tệp '{path.name}' thay đổi trong khi đang đọc: hãy đợi máy quét ghi xong rồi thử lại.")
    if not data:
        raise DigitiseError(f"Tệp '{path.name}' rỗng: không số hóa.")
    return data


def page_kind(data: bytes) -> str | None:
    """"pdf", "jpeg", "png" or "tiff" by the file's first bytes (never its name); None: not a page.
    The window's inbox asks the same before it draws a thumbnail."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


# --- images ----------------------------------------------------------------------------------------


def _open_image(data: bytes, item: Page):  # noqa: ANN202 - a PIL image
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = _MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DigitiseError(f"Ảnh '{item.label}' quá lớn (hơn {_MAX_PIXELS // 1_000_000} triệu điểm ảnh): "
                            "hãy quét ở 200–300 dpi.") from None
    except (OSError, ValueError, SyntaxError):  # Pillow's words for a damaged or truncated file
        raise DigitiseError(f"Ảnh '{item.label}' bị hỏng hoặc không đầy đủ: không số hóa; hãy quét lại.") from None
    return image


def _images(data: bytes, kind: str, item: Page, limits: Limits) -> list[tuple[bytes, float]]:
    """Each page of an image file as (JPEG bytes, dpi)."""
    image = _open_image(data, item)
    if kind == "jpeg" and len(data) <= limits.page_budget and image.mode in ("L", "RGB", "CMYK"):
        return [(data, _dpi(image))]  # decoded whole above, so it is sound: wrapped as it is
    frames = getattr(image, "n_frames", 1)
    wanted = range(frames) if item.index is None else [item.index]
    if item.index is not None and not 0 <= item.index < frames:
        raise DigitiseError(f"'{item.label}' có {frames} trang, không có trang {item.index + 1}.")
    pages = []
    for number in wanted:
        try:
            image.seek(number)
            image.load()
        except (OSError, EOFError, ValueError):
            raise DigitiseError(f"Trang {number + 1} của '{item.label}' bị hỏng: không số hóa.") from None
        pages.append(_fit(image, limits, item))
    return pages


def _dpi(image) -> float:  # noqa: ANN001
    """The resolution the image says it has, or the one that makes its long side an A4 page."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 72 <= value <= 1200:
        return value
    return max(image.size) / A4_LONG_INCHES


def _fit(image, limits: Limits, item: Page) -> tuple[bytes, float]:  # noqa: ANN001
    """A grey JPEG of at most `limits.dpi` within the page budget: quality first, then size."""
    from PIL import Image, ImageOps

    dpi = _dpi(image)
    grey = ImageOps.exif_transpose(image) if image.getexif() else image
    grey = grey.convert("L") if grey.mode != "L" else grey.copy()
    if dpi > limits.dpi:
        scale = limits.dpi / dpi
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.LANCZOS)
        dpi = limits.dpi
    for _ in range(6):
        for quality in _QUALITIES:
            buffer = io.BytesIO()
            grey.save(buffer, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
            if buffer.tell() <= limits.page_budget:
                return buffer.getvalue(), dpi
        grey = grey.resize((max(1, round(grey.width * 0.8)), max(1, round(grey.height * 0.8))),
                           Image.Resampling.LANCZOS)
        dpi *= 0.8
    raise DigitiseError(f"Không nén được '{item.label}' dưới {limits.page_budget // 1024} KB một trang "
                        "(cài đặt digitise.page_budget_kb).")


def _add_image(out, jpeg: bytes, dpi: float, item: Page) -> None:  # noqa: ANN001 - pikepdf.Pdf
    import img2pdf
    import pikepdf

    try:
        wrapped = img2pdf.convert(jpeg, layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi)),
                                  rotation=img2pdf.Rotation.none)
    except (img2pdf.ImageOpenError, img2pdf.PdfTooLargeError, ValueError, OSError):
        raise DigitiseError(f"Ảnh '{item.label}' không chuyển được sang PDF: không số hóa.") from None
    page_pdf = pikepdf.Pdf.open(io.BytesIO(wrapped))
    out.pages.append(page_pdf.pages[0])
    _turn(out.pages[-1], item.rotate)


# --- PDFs ------------------------------------------------------------------------------------------


def _add_pdf(out, data: bytes, item: Page, notes: list[str]) -> None:  # noqa: ANN001 - pikepdf.Pdf
    import pikepdf

    src = _open_pdf(data, item)
    if src.is_encrypted:  # an owner password only: readable, but its restrictions would come along
        notes.append(f"Đã bỏ hạn chế sử dụng (mật khẩu chủ sở hữu) của '{item.label}'.")
    try:
        count = len(src.pages)
        chosen = range(count) if item.index is None else [item.index]
        if item.index is not None and not 0 <= item.index < count:
            raise DigitiseError(f"'{item.label}' có {count} trang, không có trang {item.index + 1}.")
        if count == 0:
            raise DigitiseError(f"Tệp PDF '{item.label}' không có trang nào.")
        scripts, attachments = _active_content(src)
        _sanitise(src)
        for number in chosen:  # copied into a new document: the source's catalogue stays behind
            out.pages.append(src.pages[number])
            _turn(out.pages[-1], item.rotate)
    except pikepdf.PdfError:
        raise DigitiseError(_BROKEN_PDF.format(label=item.label)) from None
    if src.get_warnings():  # qpdf rebuilt a damaged file: pages may be missing
        raise DigitiseError(f"Tệp PDF '{item.label}' bị hỏng (phải dựng lại cấu trúc tệp): không số hóa.")
    if scripts:
        notes.append(f"Đã bỏ mã JavaScript / lệnh tự chạy khỏi '{item.label}'.")
    if attachments:
        notes.append(f"Đã bỏ {attachments} tệp đính kèm khỏi '{item.label}'.")


def _open_pdf(data: bytes, item: Page):  # noqa: ANN202 - pikepdf.Pdf
    import pikepdf

    if b"%%EOF" not in data[-2048:]:
        raise DigitiseError(f"Tệp PDF '{item.label}' không đầy đủ (bị cắt ngang khi chép hoặc tải về): "
                            "không số hóa.")
    try:
        return pikepdf.Pdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise DigitiseError(f"Tệp PDF '{item.label}' có mật khẩu: hãy mở khóa (hoặc in ra rồi quét) "
                            "trước khi số hóa.") from None
    except pikepdf.PdfError:
        raise DigitiseError(_BROKEN_PDF.format(label=item.label)) from None


def _active_content(pdf) -> tuple[bool, int]:  # noqa: ANN001
    """Whether the document carries scripts or automatic actions, and how many attached files."""
    import pikepdf

    scripts = False
    attachments = len(pdf.attachments)
    root = pdf.Root
    if "/OpenAction" in root or "/AA" in root:
        scripts = True
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        scripts = True
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            if "/JS" in obj or obj.get("/S") in ("/JavaScript", "/Launch") or "/AA" in obj:
                scripts = True
            if obj.get("/Subtype") == "/FileAttachment":
                attachments += 1
    return scripts, attachments


def _sanitise(pdf) -> None:  # noqa: ANN001 - pikepdf.Pdf
    """pikepdf's own removals (scripts with their /Next chains, attachments, actions that reach the
    network or the disk, multimedia), on the source before its pages are copied."""
    from pikepdf import sanitize

    for remove in (sanitize.remove_javascript, sanitize.remove_attachments, sanitize.remove_external_access,
                   sanitize.remove_multimedia):
        remove(pdf)


def _turn(page, degrees: int) -> None:  # noqa: ANN001 - pikepdf.Page
    if degrees % 360:
        current = int(page.obj.get("/Rotate", 0))
        page.obj["/Rotate"] = (current + degrees) % 360


def _set_metadata(pdf, code: str, component: str) -> None:  # noqa: ANN001
    import pikepdf

    pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary({
        "/Title": pikepdf.String(f"{code} — {component}"),
        "/Subject": pikepdf.String(component),
        "/Keywords": pikepdf.String(code),
        "/Producer": pikepdf.String("Quầy Một Cửa"),
    }))
