"""Preview and printing: QtPdf pages, QPrinter in PDF output mode (never a real printer)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QSize, Qt
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app.desk import Desk
from tests.conftest import clerk
from tests.ui import cups
from tests.ui.keyboard import focus
from tests.ui.life_helpers import dossier_in
from ui import strings
from ui.printing import LoadedPdf, job_title, page_on_white, print_pdf


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(200)
    return printer


def decode_first_page(path: Path) -> list[str]:
    pdf = LoadedPdf(path.read_bytes())
    try:
        points = pdf.document.pagePointSize(0)
        image = page_on_white(pdf.document, 0, QSize(round(points.width() * 200 / 72),
                                                     round(points.height() * 200 / 72)))
    finally:
        pdf.close()
    out = path.with_suffix(".png")
    image.save(str(out))
    return [r.text for r in zxingcpp.read_barcodes(Image.open(out))]


def test_printing_renders_every_page_on_white_and_the_barcode_scans(qtbot, desk, tmp_path) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    data = Desk(desk, clerk()).slip_pdf(code, "a5")
    source_pages = len(pypdf.PdfReader(__import__("io").BytesIO(data)).pages)
    out = tmp_path / "printed.pdf"
    sheets = print_pdf(data, pdf_printer(out), copies=2)
    assert sheets == 2 * source_pages
    printed = pypdf.PdfReader(out)
    assert len(printed.pages) == sheets
    width, height = (float(v) for v in printed.pages[0].mediabox[2:])
    assert round(width) in (419, 420) and round(height) == 595  # A5 portrait, in points
    assert code in decode_first_page(out)  # painted on white: not a black page


def _slip_preview_from_the_return_view(qtbot, window, code: str):  # noqa: ANN001, ANN202 - a PreviewDialog
    window.open_return(code)
    qtbot.waitUntil(lambda: window.returns.code == code, timeout=5000)
    window.request_print_slip(code)
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0,
                    timeout=5000)
    return window.printing.dialog


def test_a_printer_that_is_gone_gives_a_clear_message_and_a_clean_state(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    window = open_window(desk)
    window.printing.printer_names = lambda: ["Máy in quầy 1"]  # it was there when the preview opened …
    dialog = _slip_preview_from_the_return_view(qtbot, window, code)
    dialog.choose_print()  # … and is gone now (the real factory asks the print system)
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled() and "Không tìm thấy máy in" in dialog.state.text(),
                    timeout=5000)
    assert "Máy in quầy 1" in dialog.state.text()
    assert dialog.isVisible()  # still there: choose another printer or try again
    assert not window.printing.lane.busy()


def test_preview_shows_the_slip_and_print_to_pdf_writes_it(qtbot, desk, open_window, answers, tmp_path) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    window = open_window(desk)
    with qtbot.waitSignal(window.dossier_shown, timeout=5000):
        window.open_dossier(code)
    window.dossier.print_button.click()  # reprint from the dossier view
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0,
                    timeout=5000)
    dialog = window.printing.dialog
    assert dialog.page_count() == 2  # A5: "Liên 1" and "Liên 2"
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4-2up"))
    qtbot.waitUntil(lambda: dialog.page_count() == 1 and dialog.print_button.isEnabled(), timeout=5000)
    target = tmp_path / "slip.pdf"
    answers.save_file = lambda parent, title, suggested, filters="": str(target)
    dialog.printer.setCurrentIndex(dialog.printer.findData("?"))
    dialog.choose_print()
    qtbot.waitUntil(lambda: target.exists() and not dialog.isVisible(), timeout=5000)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert code in text
    assert "Đã lưu" in window.messages.text()
    assert window.prefs.slip_paper == "a4-2up"  # used, so remembered for the next slip
    qtbot.waitUntil(lambda: bool(_audit_actions(desk, code)), timeout=5000)
    assert _audit_actions(desk, code) == ["print.slip"]
    assert focus() is not None


def test_print_on_a_printer_remembers_it(qtbot, desk, open_window, tmp_path) -> None:  # noqa: ANN001
    code = dossier_in(desk, 8)
    window = open_window(desk)
    out = tmp_path / "printer.pdf"
    window.printing.printer_names = lambda: ["Máy in A", "Máy in B"]
    window.printing.printer_factory = lambda name: pdf_printer(out)  # PDF output mode stands in for it
    window.printing.preview_form(code, "05")
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0,
                    timeout=5000)
    dialog = window.printing.dialog
    assert not dialog.paper.isVisible()  # paper choice is the slip's
    dialog.printer.setCurrentIndex(1)
    dialog.copies.setValue(2)
    dialog.choose_print()
    qtbot.waitUntil(lambda: out.exists() and not dialog.isVisible(), timeout=10_000)
    assert window.prefs.printer_name == "Máy in B"
    assert "Đã gửi 2 bản" in window.messages.text()
    assert len(pypdf.PdfReader(out).pages) == 2 * dialog.page_count()
    qtbot.waitUntil(lambda: _audit_actions(desk, code) == ["print.form"], timeout=5000)
    window.printing.preview_form(code, "05")
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog is not dialog)
    assert window.printing.dialog.printer.currentText() == "Máy in B"


def test_a_form_the_dossier_does_not_have_is_refused_plainly(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    window = open_window(desk)
    window.printing.preview_form(code, "05")
    qtbot.waitUntil(lambda: window.messages.level == "error", timeout=5000)
    assert "không bị dừng giải quyết" in window.messages.text()
    assert window.printing.dialog is None or not window.printing.dialog.isVisible()


def _audit_actions(store, code: str) -> list[str]:  # noqa: ANN001
    from counter_app.services import audit

    with store.read() as s:
        return [e.action for e in audit.entries(s, target=code) if e.action.startswith("print.")]


@pytest.fixture(scope="module")
def cups_queue(qapp) -> str:  # noqa: ANN001 - QPrinterInfo needs the application
    queue, why = cups.cups_pdf_queue()
    if queue is None:
        pytest.skip(f"no CUPS print queue to print to: {why}")
    if queue not in QPrinterInfo.availablePrinterNames():
        pytest.skip(f"Qt does not see the CUPS queue {queue} (libcups2 missing?)")
    return queue


def test_a_print_job_carries_the_paper_and_the_dossier_code_as_its_title(  # noqa: ANN001
    qtbot, desk, open_window, cups_queue, tmp_path
) -> None:
    """Through a real CUPS queue (cups-pdf): the queue shows what the job is, not "untitled"."""
    code = dossier_in(desk, 2)
    window = open_window(desk)
    dialog = _slip_preview_from_the_return_view(qtbot, window, code)
    dialog.printer.setCurrentIndex(dialog.printer.findData(cups_queue))
    assert dialog.printer.currentData() == cups_queue  # the print system lists the queue
    before = cups.job_ids(cups_queue)
    dialog.choose_print()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    assert "Đã gửi 1 bản" in window.messages.text()
    jobs = cups.wait_for_new_jobs(cups_queue, before, cups.write_job_test(str(tmp_path / "job.test")))
    assert [job.get("job-name") for job in jobs] == [job_title(strings.Printing.SLIP.format(code=code))]
    # No ASCII space: CUPS 2.4.2 crashes on a Send-Document whose document-name has one (ui/printing.job_title).
    assert all(" " not in job.get("job-name", "") and code in job.get("job-name", "") for job in jobs)
    assert jobs[0]["job-state"] == "completed"


def test_closing_the_print_dialog_with_esc_keeps_the_remembered_paper_and_printer(  # noqa: ANN001
    qtbot, desk, open_window
) -> None:
    """Looking at the slip on A4 and leaving with Esc is not a choice: the next slip is still A5."""
    code = dossier_in(desk, 2)
    window = open_window(desk)
    window.prefs.printer_name = "Máy in A"
    window.printing.printer_names = lambda: ["Máy in A", "Máy in B"]
    window.printing.preview_slip(code)
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() == 2,
                    timeout=5000)
    dialog = window.printing.dialog
    dialog.paper.setFocus()
    qtbot.keyClick(dialog.paper, Qt.Key.Key_Down)  # the keyboard way through the combo: A4 2-up
    qtbot.waitUntil(lambda: dialog.page_count() == 1 and dialog.print_button.isEnabled(), timeout=5000)
    dialog.printer.setFocus()
    qtbot.keyClick(dialog.printer, Qt.Key.Key_Down)  # "Máy in B"
    assert dialog.printer.currentData() == "Máy in B"
    qtbot.keyClick(dialog.printer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert window.prefs.slip_paper == ""  # still never chosen: the office's default paper applies
    assert window.prefs.printer_name == "Máy in A"
    window.printing.preview_slip(code)
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog is not dialog
                    and window.printing.dialog.page_count() > 0, timeout=5000)
    assert window.printing.dialog.paper.currentData() == "a5"
    assert window.printing.dialog.page_count() == 2
    assert window.printing.dialog.printer.currentData() == "Máy in A"


def test_a_pc_that_never_printed_uses_the_office_default_paper(qtbot, desk, open_window) -> None:  # noqa: ANN001
    from counter_app.desk import Desk

    Desk(desk, clerk()).set_setting("papers.default_paper", "a4-2up")
    code = dossier_in(desk, 2)
    window = open_window(desk)
    assert window.prefs.slip_paper == ""
    window.printing.preview_slip(code)
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0,
                    timeout=5000)
    assert window.printing.dialog.paper.currentData() == "a4-2up"
    assert window.printing.dialog.page_count() == 1  # both copies on one A4 sheet
