"""Reading handed-in files into pages with their pictures, on the digitise panel's lane (never on
the UI thread): Qt's QPdfDocument renders a PDF's pages, QImageReader decodes an image straight at
the thumbnail's size (a JPEG scaled while it is decoded costs a few milliseconds, not a full decode).

The file's bytes are read once and kept with its pages: what is saved is what was looked at, even
if the scanner software moves or rewrites the file meanwhile.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QTransform

from counter_app.digitise.normalise import DEFAULT_MAX_FILE, page_kind
from counter_app.errors import UserError
from ui import strings

D = strings.Digitise
THUMB = QSize(120, 170)
PREVIEW = QSize(900, 1270)


@dataclass(frozen=True)
class LoadedPage:
    name: str  # the file's name, what the strip and the messages call the page
    source: bytes  # the whole file the page comes from (shared by its pages)
    index: int | None  # which page of a PDF or TIFF; None: the file is one picture
    thumb: QImage
    path: Path | None  # the hot folder's file, put aside once its pages are saved; None: added by hand


def read_file(path: Path, *, from_hot_folder: bool) -> list[LoadedPage]:
    """Every page of the file with its thumbnail; a UserError naming the file when it vanished, is
    too big, or is not a readable PDF or picture (nothing of it reaches the inbox then)."""
    name = path.name
    try:
        if path.stat().st_size > DEFAULT_MAX_FILE:
            raise UserError(D.TOO_BIG.format(name=name, mb=DEFAULT_MAX_FILE // (1024 * 1024)))
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(D.GONE.format(name=name)) from None
    except IsADirectoryError:
        raise UserError(D.NOT_PAGES.format(name=name)) from None
    except OSError as exc:
        raise UserError(D.UNREADABLE.format(name=name, why=exc.strerror or exc)) from None
    return [LoadedPage(name, data, index, image, path if from_hot_folder else None)
            for index, image in render(data, name, THUMB)]


def render(data: bytes, name: str, box: QSize, only: int | None = None) -> list[tuple[int | None, QImage]]:
    """(page index, picture fitted into `box`) for each page, or for page `only`."""
    kind = page_kind(data)
    if kind is None:
        raise UserError(D.NOT_PAGES.format(name=name))
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        return _pdf(buffer, data, name, box, only) if kind == "pdf" else _image(buffer, name, box, only, kind == "tiff")
    finally:
        buffer.close()


def _pdf(buffer: QBuffer, data: bytes, name: str, box: QSize, only: int | None) -> list[tuple[int | None, QImage]]:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    try:
        doc.load(buffer)
        if doc.error() == QPdfDocument.Error.IncorrectPassword:
            raise UserError(D.PDF_PASSWORD.format(name=name))
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            raise UserError(D.BAD_PDF.format(name=name))
        pages = range(doc.pageCount()) if only is None else [only]
        scans = _scanned_pages(data, box) if only is None else {}
        out: list[tuple[int | None, QImage]] = []
        for i in pages:
            size = doc.pagePointSize(i).toSize().scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
            image = scans.get(i) or doc.render(i, size)
            if image.isNull():
                raise UserError(D.BAD_PDF.format(name=name))
            out.append((i, image))
        return out
    finally:
        doc.close()


def _scanned_pages(data: bytes, box: QSize) -> dict[int, QImage]:
    """The thumbnails of the pages that are one JPEG and nothing else (what a scanner's PDF holds),
    decoded straight at thumbnail size: drawing such a page whole costs ~35 ms, this ~4 ms. Any
    other page is left to PDFium."""
    import pikepdf

    out: dict[int, QImage] = {}
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - PDFium read it: let it draw every page
        return out
    with pdf:
        for i, page in enumerate(pdf.pages):
            try:
                images = list(page.get_images().values())
                if len(images) != 1 or images[0].get("/Filter") != pikepdf.Name.DCTDecode:
                    continue
                contents = page.obj.get("/Contents")
                streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
                if len(page.obj.get("/Annots", ())) or sum(len(c.read_bytes()) for c in streams) > 200:
                    continue  # text or drawings over the scan: PDFium shows them
                jpeg = QBuffer()
                jpeg.setData(QByteArray(images[0].read_raw_bytes()))
                jpeg.open(QIODevice.OpenModeFlag.ReadOnly)
                reader = QImageReader(jpeg)
                reader.setScaledSize(reader.size().scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
                image = reader.read()
                turn = int(page.obj.get("/Rotate", 0)) % 360
                if not image.isNull():
                    out[i] = image.transformed(QTransform().rotate(turn)) if turn else image
            except Exception:  # noqa: BLE001, S112 - an odd page: PDFium draws it
                continue
    return out


def _image(buffer: QBuffer, name: str, box: QSize, only: int | None, frames: bool) -> list[tuple[int | None, QImage]]:
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    count = max(1, reader.imageCount()) if frames else 1
    out: list[tuple[int | None, QImage]] = []
    for i in range(count):
        if i and not reader.jumpToNextImage():
            break
        if only is not None and i != only:
            continue
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            raise UserError(D.BAD_IMAGE.format(name=name, why=reader.errorString()))
        out.append((i if count > 1 else None, image))
    return out

