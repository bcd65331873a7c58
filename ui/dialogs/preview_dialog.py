"""Preview of one paper (the slip, a form, a poster) with the print choices: paper (when it has several), copies,
the printer (remembered) or a PDF file. Enter prints, Esc closes.

The dialog only shows and collects: ui/printing.PrintDesk builds the PDF, prints and answers
through `set_pdf`, `show_busy`, `show_error`. Its callbacks (`print_chosen`, `paper_chosen`) are
plain attributes, so no signal is emitted per job.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import strings, theme
from ui.print_request import MAX_COPIES, PrintRequest
from ui.views.widgets import accept_close_buttons

P = strings.Printing
TO_FILE = "?"  # the printer combo's "save as a PDF file" entry


class PreviewDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, what: str, code: str, form: str, paper: str,
                 printers: list[str], printer: str, papers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("preview_dialog")
        self.setWindowTitle(P.TITLE.format(what=what))
        self.what, self.code, self.form = what, code, form
        self.data = b""
        self.print_chosen: Callable[[PrintRequest], None] = lambda _r: None
        self.paper_chosen: Callable[[str], None] = lambda _p: None

        self.document = QPdfDocument(self)
        self._bytes = QByteArray()
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setObjectName("preview_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setStyleSheet(f"background: {theme.PAGE_BACKDROP};")
        self.view.setPageSpacing(12)

        self.paper = QComboBox()
        self.paper.setObjectName("preview_paper")
        for value, text in papers:  # the papers this one can be printed on; none: no choice shown
            self.paper.addItem(text, value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.paper.currentIndexChanged.connect(lambda _i: self.paper_chosen(self.paper.currentData()))
        paper_label = QLabel(P.PAPER)
        paper_label.setBuddy(self.paper)
        self.copies = QSpinBox()
        self.copies.setObjectName("preview_copies")
        self.copies.setRange(1, MAX_COPIES)
        copies_label = QLabel(P.COPIES)
        copies_label.setBuddy(self.copies)
        self.printer = QComboBox()
        self.printer.setObjectName("preview_printer")
        for name in printers:
            self.printer.addItem(name, name)
        if not printers:
            self.printer.addItem(P.NO_PRINTER, "")
        self.printer.addItem(P.TO_FILE, TO_FILE)
        remembered = self.printer.findData(printer) if printer else -1
        self.printer.setCurrentIndex(remembered if remembered >= 0 else (0 if printers else self.printer.count() - 1))
        printer_label = QLabel(P.PRINTER)
        printer_label.setBuddy(self.printer)
        self.pages = QLabel()
        self.pages.setObjectName("preview_pages")
        self.state = QLabel()
        self.state.setObjectName("preview_state")
        self.state.setWordWrap(True)
        self.print_button, close = accept_close_buttons(P.PRINT, P.CLOSE, self.choose_print, self.reject,
                                                        accept_name="preview_print")

        bar = QHBoxLayout()
        if papers:
            bar.addWidget(paper_label)
            bar.addWidget(self.paper)
        else:
            self.paper.hide()
            paper_label.hide()
        bar.addWidget(copies_label)
        bar.addWidget(self.copies)
        bar.addWidget(printer_label)
        bar.addWidget(self.printer, 1)
        bar.addWidget(self.pages)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.print_button)
        column = QVBoxLayout(self)
        column.addLayout(bar)
        column.addWidget(self.view, 1)
        column.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.choose_print)
        self.resize(900, 700)
        if parent is not None:
            geometry = parent.geometry()
            self.resize(min(1000, geometry.width() - 60), geometry.height() - 60)

    # --- answers from PrintDesk ----------------------------------------------------------------------------

    def set_pdf(self, data: bytes) -> None:
        self.data = data
        self.document.close()
        self._buffer.close()
        self._bytes = QByteArray(data)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.pages.setText(P.PAGES.format(n=self.document.pageCount()))
        self.state.setText("")
        self._enable(True)
        self.print_button.setFocus()

    def show_loading(self) -> None:
        self.state.setStyleSheet("")
        self.state.setText(P.LOADING)
        self._enable(False)

    def show_busy(self, text: str) -> None:
        self.state.setStyleSheet("")
        self.state.setText(text)
        self._enable(False)

    def show_error(self, error: Exception | str) -> None:
        text = error if isinstance(error, str) else getattr(error, "message", str(error))
        self.state.setStyleSheet(theme.ERROR_TEXT_STYLE)
        self.state.setText(text)
        self._enable(bool(self.data))

    def page_count(self) -> int:
        return self.document.pageCount()

    # --- the officer's choice ----------------------------------------------------------------------------

    def choose_print(self) -> None:
        if not self.data or not self.print_button.isEnabled():
            return
        target = self.printer.currentData() or ""
        paper = self.paper.currentData() if self.paper.count() else ""
        self.print_chosen(PrintRequest(
            data=self.data, what=self.what, code=self.code, form=self.form, copies=self.copies.value(),
            printer_name="" if target == TO_FILE else target, file_path=TO_FILE if target == TO_FILE else "",
            detail={"paper": paper} if paper else {},
        ))

    def _enable(self, on: bool) -> None:
        for widget in (self.print_button, self.copies, self.printer, self.paper):
            widget.setEnabled(on)
        self.setCursor(Qt.CursorShape.ArrowCursor if on else Qt.CursorShape.BusyCursor)
