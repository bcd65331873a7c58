"""Niêm yết thủ tục from the window: F7, type, Enter, print the poster; print a field's posters."""

from __future__ import annotations

import json
import threading

import pypdf
from PySide6.QtCore import Qt

from counter_app.services import audit
from tests.ui.keyboard import enter, focus, key_text
from tests.ui.test_printing import decode_first_page, pdf_printer
from ui import strings


def _audit(store, action: str) -> list[tuple[str, dict]]:  # noqa: ANN001
    with store.read() as session:
        return [(e.target, json.loads(e.detail_json)) for e in audit.entries(session, limit=20) if e.action == action]


def _preview(qtbot, window):  # noqa: ANN001, ANN202 - the PreviewDialog once its PDF is in
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0
                    and window.printing.dialog.print_button.isEnabled(), timeout=10_000)
    return window.printing.dialog


def test_an_officer_finds_a_procedure_from_the_keyboard_previews_and_prints_its_poster(
        qtbot, desk, open_window, tmp_path) -> None:  # noqa: ANN001
    window = open_window(desk)
    out = tmp_path / "printer.pdf"
    window.printing.printer_names = lambda: ["Máy in quầy 1"]
    window.printing.printer_factory = lambda name: pdf_printer(out)  # PDF output mode stands in for it
    qtbot.keyClick(focus(), Qt.Key.Key_F7)
    view = window.posters
    assert window.tabs.currentWidget() is view
    assert window.tabs.tabText(window.tabs.currentIndex()) == strings.Posters.TAB
    qtbot.waitUntil(lambda: view.results.count() > 40, timeout=5000)  # the shipped 40 and the tests' 3
    assert focus() is view.search
    key_text("dang ky khai sinh")  # no marks, as an officer types in a hurry
    assert view.current().code == "1.001193"
    enter()
    dialog = _preview(qtbot, window)
    assert dialog.page_count() == 1
    assert dialog.paper.isVisibleTo(dialog) and dialog.paper.currentData() == "a4"
    dialog.paper.setCurrentIndex(dialog.paper.findData("a5"))  # an A5 poster for a small board
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled()
                    and round(dialog.document.pagePointSize(0).width()) in (419, 420), timeout=10_000)
    dialog.copies.setValue(2)
    dialog.choose_print()
    qtbot.waitUntil(lambda: out.exists() and not dialog.isVisible(), timeout=10_000)
    printed = pypdf.PdfReader(out)
    assert len(printed.pages) == 2
    assert round(float(printed.pages[0].mediabox[2])) in (419, 420)
    # The printed sheet still scans, to the procedure's page (the national portal: no server linked).
    assert decode_first_page(out) == [
        "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193"]
    assert "Đã gửi 2 bản Tờ niêm yết thủ tục 1.001193" in window.messages.text()
    qtbot.waitUntil(lambda: bool(_audit(desk, "print.poster")), timeout=5000)
    (target, detail), = _audit(desk, "print.poster")
    assert target == "1.001193" and detail["paper"] == "a5" and detail["copies"] == "2"
    assert window.prefs.slip_paper in ("", None)  # a poster's paper is not the slip's


def test_all_posters_of_one_field_print_as_one_pdf_file(qtbot, desk, open_window, answers, tmp_path) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.show_posters()
    view = window.posters
    qtbot.waitUntil(lambda: view.field.count() > 1, timeout=5000)
    view.field.setCurrentIndex(view.field.findData("Thử nghiệm"))
    assert view.results.count() == 3 and view.batch_button.text() == strings.Posters.BATCH
    gate = threading.Event()
    window.client.call(lambda d: gate.wait(20))  # something long holds the store lane …
    try:
        view.batch_button.click()
        dialog = _preview(qtbot, window)  # … and the posters are built beside it all the same
    finally:
        gate.set()
    assert dialog.page_count() == 3  # a poster a procedure
    target = tmp_path / "thu-nghiem.pdf"
    answers.save_file = lambda parent, title, suggested, filters="": (answers.asked.append(suggested), str(target))[1]
    dialog.printer.setCurrentIndex(dialog.printer.findData("?"))
    dialog.choose_print()
    qtbot.waitUntil(lambda: target.exists() and not dialog.isVisible(), timeout=10_000)
    assert answers.asked[-1] == "niem-yet-thu-nghiem.pdf"
    text = [page.extract_text() for page in pypdf.PdfReader(target).pages]
    assert ["9.000000" in text[0], "9.000003" in text[1], "9.000005" in text[2]] == [True, True, True]
    qtbot.waitUntil(lambda: bool(_audit(desk, "print.poster")), timeout=5000)
    assert _audit(desk, "print.poster")[0][0] == "Thử nghiệm"


def test_a_search_that_finds_nothing_says_so_and_enter_opens_no_preview(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.show_posters()
    view = window.posters
    qtbot.waitUntil(lambda: view.results.count() > 0, timeout=5000)
    key_text("khong co thu tuc nay", view.search)
    assert view.results.count() == 0 and "Không có thủ tục nào khớp" in view.count.text()
    enter(view.search)
    assert window.printing.dialog is None
    assert not view.preview_button.isEnabled()
