"""Papers to the printer: preview, the printer chosen once, copies, and printing off the UI thread.

The store lane builds the PDF (counter_app.services.papers through the Desk); the printer lane
renders it with QtPdf onto a QPrinter, page by page at the printer's resolution (capped at
MAX_DPI), each page painted on white first (QPdfDocument renders a transparent page, which some
drivers print black). "Print to PDF file" goes through the same dialog and lane but writes the
PDF itself (vector text, searchable, exactly what was previewed) instead of a rasterised copy.

Printer lane jobs answer through the Lane's queue, never with a signal emit (ui/workers.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QMarginsF, QObject, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from counter_app.domain.public_papers import PosterJob
from counter_app.domain.text import fold
from counter_app.errors import UserError
from ui import strings
from ui.desk_client import DeskClient, ignore
from ui.dialogs.preview_dialog import PreviewDialog
from ui.interaction import Interaction
from ui.prefs import Prefs
from ui.print_request import PrintRequest
from ui.workers import Lane

P = strings.Printing
MAX_DPI = 300  # a 600 dpi A4 page is a 140 MB image: 300 dpi prints text and barcodes crisply


# --- QtPdf helpers (any thread: each job has its own document) -------------------------------------------


class LoadedPdf:
    """A QPdfDocument read from bytes (through a temporary file: loading from a file is synchronous,
    and needs no event loop, which the printer lane's thread does not run)."""

    def __init__(self, data: bytes) -> None:
        fd, self.path = tempfile.mkstemp(prefix="qmc-", suffix=".pdf")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        self.document = QPdfDocument()
        error = self.document.load(self.path)
        if error != QPdfDocument.Error.None_:
            self.close()
            raise UserError(P.PDF_UNREADABLE.format(error=error.name))

    def close(self) -> None:
        try:
            os.remove(self.path)
        except OSError:
            pass


def page_on_white(document: QPdfDocument, page: int, size: QSize) -> QImage:
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def _layout(document: QPdfDocument, page: int) -> QPageLayout:
    points = document.pagePointSize(page)
    w, h = points.width(), points.height()
    size = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))


def make_printer(name: str) -> QPrinter:
    """The printer of that name, or a clear refusal when it is no longer there."""
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo()
    if not name or info.isNull():
        raise UserError(P.PRINTER_GONE.format(printer=name or "?"))
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if not printer.isValid():
        raise UserError(P.PRINTER_GONE.format(printer=name))
    return printer


def print_pdf(data: bytes, printer: QPrinter, *, copies: int = 1, label: str = "", title: str = "") -> int:
    """Render every page of `data`, `copies` times (collated), onto `printer`; the number of sheets
    sent. Raises UserError (the job is aborted, nothing half-queued is left) when the printer stops.

    `title` (else the PDF's own title) names the job, so the print queue and the spooler's log say
    which paper of which dossier it is, not "untitled"."""
    pdf = LoadedPdf(data)
    document = pdf.document
    label = label or printer.printerName() or printer.outputFileName()
    painter = QPainter()
    sheets = 0
    try:
        printer.setDocName(job_title(title or str(document.metaData(QPdfDocument.MetaDataField.Title) or "")))
        printer.setFullPage(True)
        printer.setCopyCount(1)  # copies are drawn here: every driver and the PDF output honour that
        printer.setPageLayout(_layout(document, 0))
        if not painter.begin(printer):
            raise UserError(P.PRINTER_FAILED.format(printer=label, page=1))
        dpi = min(printer.resolution(), MAX_DPI)
        for _copy in range(max(1, copies)):
            for page in range(document.pageCount()):
                if sheets:
                    printer.setPageLayout(_layout(document, page))
                    if not printer.newPage():
                        raise UserError(P.PRINTER_FAILED.format(printer=label, page=sheets + 1))
                points = document.pagePointSize(page)
                size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                target = printer.paperRect(QPrinter.Unit.DevicePixel)
                painter.drawImage(QRectF(0, 0, target.width(), target.height()),
                                  page_on_white(document, page, size))
                sheets += 1
        if not painter.end():
            raise UserError(P.PRINTER_FAILED.format(printer=label, page=sheets))
        return sheets
    except Exception:
        if painter.isActive():
            printer.abort()
            painter.end()
        raise
    finally:
        document.close()
        pdf.close()


def suggested_file_name(request: PrintRequest) -> str:
    """'CODE-mau01.pdf' for a dossier's paper; 'niem-yet-1.001193.pdf', 'danh-muc-niem-yet.pdf' …"""
    if request.form == "poster":
        return f"niem-yet-{fold(request.code).replace(' ', '-') or 'moi-thu-tuc'}.pdf"
    if request.form == "list":
        return f"danh-muc-niem-yet{'-' + fold(request.code).replace(' ', '-') if request.code else ''}.pdf"
    return f"{request.code}-mau{request.form}.pdf"


def job_title(text: str) -> str:
    """The job's name as a print queue shows it, with no-break spaces between the words: CUPS 2.4.2
    (Debian 12) crashes on a Send-Document whose document-name holds an ASCII space, and that is how
    a Windows spooler (Wine's, the IPP class driver) hands a titled job to a CUPS server. The queue
    shows the same words."""
    return text.replace(" ", "\u00a0")


# --- the window's side ---------------------------------------------------------------------------------


class PrintDesk(QObject):
    """Opens previews and runs prints for the main window. One printer lane: prints never overlap,
    and a slow printer never holds up a save (the store lane)."""

    def __init__(self, client: DeskClient, prefs: Prefs, interaction: Interaction, *,
                 notify: Callable[[str, str], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.client = client
        self.prefs = prefs
        self.interaction = interaction
        self.notify = notify
        self.window = parent
        self.lane = Lane("printer", self)
        # Posters of a whole catalogue take seconds to draw (about 10 ms a page): they are built
        # on a lane of their own, reading beside the store lane (WAL), so a save never waits for them.
        self.papers_lane = Lane("public-papers", self)
        # Tests swap this for a QPrinter in PDF output mode: never a real printer.
        self.printer_factory: Callable[[str], QPrinter] = make_printer
        self.printer_names: Callable[[], list[str]] = QPrinterInfo.availablePrinterNames
        self.dialog = None  # the preview open now (one at a time)
        self.office_paper = "a5"  # the office setting papers.default_paper, read when the store opens

    # Previews --------------------------------------------------------------------------------------

    def preview_slip(self, code: str) -> None:
        paper = self.prefs.slip_paper or self.office_paper
        self._open(code, "01", P.SLIP.format(code=code), lambda d, p=paper: d.slip_pdf(code, p), paper,
                   papers=P.PAPERS, rebuild=lambda p: (lambda d: d.slip_pdf(code, p)))

    def preview_form(self, code: str, form: str) -> None:
        name = strings.Life.FORM_NAMES.get(form, f"Mẫu {form}")
        self._open(code, form, P.FORM.format(form=name, code=code), lambda d: d.form_pdf(code, form), "")

    def preview_public(self, job: PosterJob) -> None:
        """A procedure's poster, a batch of posters (A4 or A5, chosen in the preview) or the listing
        board (A4): the audit names the procedure or the field (Desk.record_print)."""
        papers = P.POSTER_PAPERS if job.kind != "list" else ()
        self._open(job.target, job.audit_form, job.what, lambda d: d.public_pdf(job), job.paper, papers=papers,
                   rebuild=lambda p: (lambda d: d.public_pdf(replace(job, paper=p))), lane=self.papers_lane)

    def _open(self, code: str, form: str, what: str, build: Callable, paper: str, *,  # noqa: ANN401
              papers: tuple[tuple[str, str], ...] = (), rebuild: Callable | None = None,
              lane: Lane | None = None) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog = PreviewDialog(self.window, what=what, code=code, form=form, paper=paper,
                               printers=self._printer_list(), printer=self.prefs.printer_name, papers=papers)
        self.dialog = dialog
        dialog.print_chosen = lambda choice: self._print(dialog, choice)
        if rebuild is not None:
            dialog.paper_chosen = lambda p: self._rebuild(dialog, rebuild(p), lane)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.show_loading()
        dialog.open()

        def built(data: bytes) -> None:
            if self.dialog is dialog:
                dialog.set_pdf(data)

        def failed(error: Exception) -> None:
            dialog.close()
            self._fail(error)

        self._build(build, built, failed, lane)

    def _build(self, build: Callable, built: Callable, failed: Callable, lane: Lane | None) -> None:
        if lane is None:
            self.client.call(build, built, failed, key="preview")  # a newer preview drops the older answer
        else:
            self.client.call_on(lane, build, built, failed)

    def _rebuild(self, dialog: object, build: Callable, lane: Lane | None = None) -> None:
        # Only shown: the paper is remembered when it is used (`_print`), so looking at A4 and
        # leaving with Esc leaves the next slip on the paper the counter prints on.
        dialog.show_loading()  # type: ignore[attr-defined]

        def built(data: bytes) -> None:
            if self.dialog is dialog:
                dialog.set_pdf(data)  # type: ignore[attr-defined]

        self._build(build, built, dialog.show_error, lane)  # type: ignore[attr-defined]

    def _closed(self, dialog: object) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.window.activateWindow()  # the keyboard goes back to where the officer was

    def _printer_list(self) -> list[str]:
        try:
            return list(self.printer_names())
        except Exception:  # no print system at all (a bare machine): only the PDF file is offered
            return []

    # Printing --------------------------------------------------------------------------------------

    def _print(self, dialog: object, choice: PrintRequest) -> None:
        if choice.file_path == "" and not choice.printer_name:
            dialog.show_error(P.NO_PRINTER_CHOSEN)  # type: ignore[attr-defined]
            return
        if choice.file_path == "?":
            path = self.interaction.save_file(self.window, P.SAVE_TITLE, suggested_file_name(choice))
            if not path:
                return
            choice = PrintRequest(**{**choice.__dict__, "file_path": path})
        if choice.printer_name:
            self.prefs.printer_name = choice.printer_name
        if choice.detail.get("paper") and choice.form == "01":  # the slip's paper; a poster's is chosen each time
            self.prefs.slip_paper = choice.detail["paper"]
        dialog.show_busy(P.SAVING if choice.file_path else  # type: ignore[attr-defined]
                         P.PRINTING.format(n=choice.copies, printer=choice.printer_name))
        self.run(choice, lambda message: self._printed(dialog, choice, message), dialog.show_error)  # type: ignore[attr-defined]

    def run(self, request: PrintRequest, on_done: Callable[[str], None],
            on_error: Callable[[Exception], None]) -> None:
        """Print (or save) on the printer lane; answer with the sentence to show."""
        factory = self.printer_factory

        def job() -> str:
            if request.file_path:
                from counter_app.atomic_file import write_atomically

                path = write_atomically(request.data, request.file_path)
                return P.SAVED.format(what=request.what, path=path)
            printer = factory(request.printer_name)
            print_pdf(request.data, printer, copies=request.copies, label=request.printer_name, title=request.what)
            return P.PRINTED.format(n=request.copies, what=request.what, printer=request.printer_name)

        self.lane.submit(job, on_done, on_error)

    def _printed(self, dialog: object, request: PrintRequest, message: str) -> None:
        detail = {"copies": str(request.copies), **request.detail,
                  **({"file": request.file_path} if request.file_path else {"printer": request.printer_name})}
        # The desk names the acting officer (counter_app/desk.py): the printer lane never decides who.
        self.client.call(lambda d: d.record_print(request.code, request.form, detail=detail),
                         ignore, self._fail)
        if self.dialog is dialog:
            dialog.accept()  # type: ignore[attr-defined]
        self.notify(message, "success")

    def _fail(self, error: Exception) -> None:
        if isinstance(error, UserError):
            self.notify(error.message, "error")
        else:
            self.notify(strings.Main.UNEXPECTED.format(kind=type(error).__name__, text=error), "error")

    def shutdown(self) -> None:
        self.lane.shutdown()
        self.papers_lane.shutdown()
