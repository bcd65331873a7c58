"""The USB scanner: told apart from a person, heard on every screen, never leaving characters in a field."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from counter_app.domain.id_card import UNREADABLE
from counter_app.domain.scanner_config import ScannerConfig
from tests.ui.conftest import add_dossiers
from tests.ui.keyboard import StampedKeys, enter, focus, ime_text, key_text, scan
from ui import strings
from ui.scanner import FLUSH_MS, ScanKind, ScannerFilter, classify
from ui.views.main_window import MainWindow

QR = "001090123456|012345678|Nguyễn Văn Đức|01011990|Nam|Thôn Đông, xã Bình Mỹ, tỉnh Hà Nam|15042021"
X_QR = "001090123456|012345678|Nguyễn Văn Đức|01011990|Nam|Ấp 3, xã Bình Mỹ, huyện Bình Chánh, TP Hồ Chí Minh|15042021"
LONG_QR = ("079203001234|271234567|Trần Thị Ngọc Ánh|23111985|Nữ|Số 12/3 đường Nguyễn Thị Định, khu phố Mỹ Hòa, "
           "phường Thạnh Mỹ Lợi, thành phố Thủ Đức, Thành phố Hồ Chí Minh|01072021|Trần Văn Hùng|Nguyễn Thị Lệ")


@pytest.fixture
def field(qtbot):  # noqa: ANN001, ANN201
    """A bare line edit with the scanner filter on the application."""
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    edit.activateWindow()
    edit.setFocus()
    scanner = ScannerFilter()
    scanner.install(QApplication.instance())
    heard: list[str] = []
    scanner.scanned.connect(heard.append)
    yield edit, scanner, heard
    QApplication.instance().removeEventFilter(scanner)


def test_a_burst_and_enter_is_a_scan_and_leaves_nothing_in_the_field(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    scan("000.00.20.H12-260213-0001")
    assert heard == ["000.00.20.H12-260213-0001"]
    qtbot.wait(FLUSH_MS * 2)
    assert edit.text() == ""


def test_a_scan_ending_with_a_bare_line_feed(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    scan("000.00.20.H12-260213-0001", terminator="\n")
    assert heard == ["000.00.20.H12-260213-0001"]
    qtbot.wait(FLUSH_MS * 2)
    assert edit.text() == ""


def test_a_person_typing_keeps_every_key_in_order(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    for char in "Đức 12":
        key_text(char)
        qtbot.wait(FLUSH_MS + 20)  # a person's pace
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    key_text("3")
    enter()
    assert edit.text() == "Đức 13"  # Backspace and Enter hand on what was held first
    assert heard == []


def test_fast_typing_that_is_not_a_code_reaches_the_field(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    key_text("nguyen van duc")  # as fast as a scanner, but not shaped like anything a scanner reads
    enter()
    assert edit.text() == "nguyen van duc"
    assert heard == []


def test_typing_while_a_scan_arrives(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    key_text("Ng")
    qtbot.wait(FLUSH_MS + 20)
    scan(QR)
    key_text("uyễn")
    qtbot.waitUntil(lambda: edit.text() == "Nguyễn")
    assert heard == [QR]


def test_turned_off_the_scanner_types_like_a_keyboard(qtbot, field) -> None:  # noqa: ANN001
    edit, scanner, heard = field
    scanner.set_enabled(False)
    scan("000.00.20.H12-260213-0001")
    assert edit.text() == "000.00.20.H12-260213-0001"
    assert heard == []


# --- bursts the UI thread was too busy to see whole -------------------------------------------------


def busy_ui_thread() -> None:
    """The UI thread blocked (a report, a large page of the list) while the scanner goes on typing;
    then the event loop runs the overdue flush timer before the keys queued meanwhile."""
    time.sleep(0.2)
    QCoreApplication.processEvents()


@pytest.mark.parametrize("qr", [X_QR, LONG_QR], ids=["110 chars", "198 chars"])
def test_a_long_vietnamese_scan_stays_whole_though_the_ui_thread_was_busy_in_the_middle(qtbot, field, qr) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    keys = StampedKeys()
    keys.type(qr[:len(qr) // 2])
    busy_ui_thread()
    keys.type(qr[len(qr) // 2:])  # delivered late, stamped when they were pressed
    keys.enter()
    assert heard == [qr]
    qtbot.wait(FLUSH_MS * 3)
    assert edit.text() == ""


def test_the_office_settings_arriving_in_the_middle_of_a_scan_leave_it_whole(qtbot, field) -> None:  # noqa: ANN001
    """The store opens after the window: its scanner setting is applied again while the officer may
    already be scanning. Unchanged, it changes nothing: no half of the code handed to the field."""
    edit, scanner, heard = field
    keys = StampedKeys()
    keys.type(X_QR[:40])
    scanner.set_enabled(True)
    keys.type(X_QR[40:])
    keys.enter()
    assert heard == [X_QR]
    qtbot.wait(FLUSH_MS * 3)
    assert edit.text() == ""


def test_keys_stamped_inside_the_burst_take_back_what_it_had_typed(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    key_text("Phạm ")  # the officer, before the scan
    qtbot.wait(FLUSH_MS * 3)
    keys = StampedKeys()
    keys.type(X_QR[:10])  # "0010901234": nothing a scan is yet, so the filter judged it typed...
    qtbot.waitUntil(lambda: edit.text() == "Phạm 0010901234")
    keys.type(X_QR[10:])  # ...until these came, stamped 3 ms apart from it: it was a burst after all
    assert edit.text() == "Phạm "
    keys.enter()
    assert heard == [X_QR]
    qtbot.wait(FLUSH_MS * 3)
    assert edit.text() == "Phạm "


@pytest.mark.parametrize("busy", [False, True], ids=["idle", "next key queued behind a busy UI thread"])
def test_a_broken_burst_leaves_the_field_as_it_was(qtbot, field, busy) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    key_text("Phạm")
    qtbot.wait(FLUSH_MS * 3)
    keys = StampedKeys()
    keys.type(X_QR[:60])  # the card slipped away: no more keys, no Enter
    if busy:
        busy_ui_thread()
        keys.now += 400
        keys.type(" x")  # the officer's next keys, long after by their times
    qtbot.waitUntil(lambda: heard == [X_QR[:60].strip()])  # a scan, so the window asks to scan again
    assert edit.text() == ("Phạm x" if busy else "Phạm")


def test_a_keyboard_layout_change_mid_burst_keeps_it_whole(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    keys = StampedKeys()
    keys.type("001090123456|012345678|Nguy")
    keys.key("ễ")  # a spare key code remapped for it: another layout's key
    keys.type("n V")
    keys.lost()  # ă: X delivered its key with no character (the map had changed back already)
    keys.type("n ")
    ime_text("Đức")  # an input method's commit, with no time of its own
    keys.type("|01011990|N")
    alt_keypad = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier
    for digit in (Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_5):  # Windows: Alt + keypad digits compose the next one
        QApplication.sendEvent(focus(), QKeyEvent(QEvent.Type.KeyPress, digit, alt_keypad, ""))
    keys.type("am|Ấp 3|15042021")
    keys.enter()
    assert heard == [f"001090123456|012345678|Nguyễn V{UNREADABLE}n Đức|01011990|Nam|Ấp 3|15042021"]
    qtbot.wait(FLUSH_MS * 3)
    assert edit.text() == ""


def xdotool_typing(keys: StampedKeys) -> None:
    """What Qt made of `xdotool type` at scanner speed (seen under Xvfb): xdotool binds a spare key
    code to each non-ASCII character in turn, Qt reads the key map late, so a key comes with the
    next character's letter or with none."""
    keys.type("001090123456|012345678|Nguy")
    keys.key("ă")  # the ễ, read with the next character's map
    keys.type("n V")
    keys.key("ă")  # this one right
    keys.type("n ")
    keys.lost()  # Đ: the map had changed back already
    keys.key("ứ")
    keys.type("c|01011990|Nam|Ấp 3|15042021")


def test_letters_on_a_key_code_remapped_mid_burst_are_not_trusted(qtbot, field) -> None:  # noqa: ANN001
    _edit, scanner, heard = field
    scanner.watch_remaps = True  # what it is on X
    keys = StampedKeys()
    xdotool_typing(keys)
    keys.enter()
    lost = UNREADABLE
    assert heard == [f"001090123456|012345678|Nguy{lost}n V{lost}n {lost}{lost}c|01011990|Nam|{lost}p 3|15042021"]
    keys.now += 1000
    layout = {"Đ": 240, "ứ": 241, "Ấ": 242}  # a layout with these letters on keys of their own: trusted
    for char in "001090123456|Đức|Ấp 3":
        keys.key(char, code=layout.get(char))
    keys.enter()
    assert heard[-1] == "001090123456|Đức|Ấp 3"


def test_a_product_barcode_is_a_scan_not_typing(qtbot, field) -> None:  # noqa: ANN001
    edit, _scanner, heard = field
    keys = StampedKeys()
    keys.type("8934588063053")
    keys.enter()
    assert heard == ["8934588063053"]
    assert edit.text() == ""


@pytest.mark.parametrize(("text", "kind"), [
    ("000.00.20.H12-260213-0001", ScanKind.DOSSIER),
    ("000.A0.01.H26-251231-1999", ScanKind.DOSSIER),
    (QR, ScanKind.ID_CARD),
    ("001090123456|012345678|Nguyễn Văn", ScanKind.GARBLED),
    ("000.00.20.H12-2602", ScanKind.GARBLED),
    ("8934588063053", ScanKind.PRODUCT),  # EAN-13
    ("96385074", ScanKind.PRODUCT),  # EAN-8
    ("725272730706", ScanKind.PRODUCT),  # UPC-A
    ("8934588063054", ScanKind.GARBLED),  # a wrong check digit: half-read
    ("001090123457", ScanKind.GARBLED),  # 12 digits passing the UPC-A check, but an ID number's
])
def test_shapes(text: str, kind: ScanKind) -> None:
    assert classify(text) is kind


# --- in the window ---------------------------------------------------------------------------------


@pytest.fixture
def filled(desk):  # noqa: ANN001, ANN201
    add_dossiers(desk, [("Trần Thị Ánh", "001190000001", "2026-03-02T08:00:00+07:00"),
                        ("Lê Văn Bình", "001090000002", "2026-03-03T09:00:00+07:00")])
    return desk


def test_a_scanned_code_opens_the_dossier_from_the_list(qtbot, filled, open_window) -> None:  # noqa: ANN001
    window: MainWindow = open_window(filled)
    qtbot.keyClick(focus(), Qt.Key.Key_F3)
    key_text("tr")  # the officer was typing a search when the citizen handed over the slip
    qtbot.wait(FLUSH_MS + 20)
    with qtbot.waitSignal(window.return_shown, timeout=5000) as shown:
        scan("000.00.20.H12-260302-0001")  # a slip brought back: the return view (test_return_view.py)
    assert shown.args == ["000.00.20.H12-260302-0001"]
    assert window.tabs.currentWidget() is window.returns
    assert window.returns.title.text() == "000.00.20.H12-260302-0001"
    assert window.returns.values["applicant"].text().startswith("Trần Thị Ánh")
    assert window.returns.values["due_at"].text().startswith("08 giờ 00 phút, ngày 05 tháng 03 năm 2026")
    assert window.worklist.search.text() == "tr"  # nothing of the scan landed in the search box
    with qtbot.waitSignal(window.dossier_shown, timeout=5000):
        qtbot.keyClick(focus(), Qt.Key.Key_Space)  # not ready: the focus is on "Chi tiết hồ sơ"
    assert window.dossier.values["full_name"].text() == "Trần Thị Ánh"
    assert window.dossier.documents.rowCount() == 2
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)  # back where the officer was
    assert window.tabs.currentWidget() is window.worklist


def test_an_id_card_fills_the_intake_form(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.editors["phone"].setFocus()
    scan(QR)
    editors = window.intake.editors
    assert editors["full_name"].text() == "Nguyễn Văn Đức"
    assert editors["id_number"].text() == "001090123456"
    assert editors["birth_date"].text() == "01/01/1990"
    assert editors["gender"].currentText() == "Nam"
    assert editors["address"].text() == "Thôn Đông, xã Bình Mỹ, tỉnh Hà Nam"
    assert editors["phone"].text() == ""  # not a single scanner character in the field that had the focus
    assert "đối chiếu" in window.intake.card_notice.text() and "CMND cũ: 012345678" in window.intake.card_notice.text()
    assert focus() is editors["address"]
    form_without_phone = window.intake.collect()
    assert form_without_phone is None  # no procedure yet; but the card travels with the form:
    window.intake.picker.set_procedures(window.intake.picker._specs)
    window.intake.picker.search.setFocus()
    key_text("9.000000")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    form = window.intake.collect()
    assert form["id_qr"] == QR and form["applicant"]["id_number"] == "001090123456"


def test_an_id_card_scanned_while_the_ui_thread_is_busy_fills_the_whole_form(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    editors = window.intake.editors
    editors["full_name"].setFocus()
    keys = StampedKeys()
    keys.type(X_QR[:40])
    busy_ui_thread()
    keys.type(X_QR[40:])
    keys.enter()
    assert editors["full_name"].text() == "Nguyễn Văn Đức"
    assert editors["id_number"].text() == "001090123456"
    assert editors["birth_date"].text() == "01/01/1990"
    assert editors["address"].text() == "Ấp 3, xã Bình Mỹ, huyện Bình Chánh, TP Hồ Chí Minh"
    qtbot.wait(FLUSH_MS * 3)
    assert not [name for name, e in editors.items() if isinstance(e, QLineEdit) and "|" in e.text()]


def test_a_card_with_a_letter_lost_on_the_way_leaves_that_field_for_the_officer(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    intake = window.intake
    intake.editors["phone"].setFocus()
    keys = StampedKeys()
    keys.type("001090123456|012345678|Nguyễn V")
    keys.lost()  # the ă of Văn: its key came without its character
    keys.type("n Đức|01011990|Nam|Thôn Đông, xã Bình Mỹ|15042021")
    keys.enter()
    assert intake.editors["full_name"].text() == ""  # never "Nguyễn Vn Đức" on a paper
    assert intake.fields["full_name"].error.text() == strings.Scan.CARD_UNREADABLE_FIELD
    assert intake.editors["id_number"].text() == "001090123456"
    assert intake.editors["address"].text() == "Thôn Đông, xã Bình Mỹ"
    assert strings.Scan.CARD_UNREADABLE in intake.card_notice.text()
    assert focus() is intake.editors["full_name"]
    assert intake.editors["phone"].text() == ""


def test_a_card_typed_through_a_remapped_key_leaves_name_and_address_to_type(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.scanners.keyboard.watch_remaps = True  # what it is on X
    intake = window.intake
    intake.editors["full_name"].setFocus()
    keys = StampedKeys()
    xdotool_typing(keys)
    keys.enter()
    assert intake.editors["full_name"].text() == ""  # never "Nguyăn Văn ức"
    assert intake.fields["full_name"].error.text() == strings.Scan.CARD_UNREADABLE_FIELD
    assert intake.editors["id_number"].text() == "001090123456"
    assert intake.editors["birth_date"].text() == "01/01/1990"
    assert intake.editors["address"].text() == ""
    assert intake.fields["address"].error.text() == strings.Scan.CARD_UNREADABLE_FIELD


def test_f6_with_the_scanner_detection_off_reads_the_card_typed_into_its_box(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    window = open_window(desk)
    assert window._status_scanner.text() == strings.Scanner.LABEL_KEYBOARD
    answers.scanner_with = ScannerConfig("off")
    window.keys.scanner.trigger()  # Cài đặt › Máy quét… › Tắt
    assert window._status_scanner.text() == strings.Main.SCANNER_OFF
    assert window.prefs.scanner.mode == "off"  # remembered for the next start
    qtbot.keyClick(focus(), Qt.Key.Key_F6)
    assert focus() is window.intake.card_input
    scan(QR)
    assert window.intake.editors["full_name"].text() == "Nguyễn Văn Đức"
    assert not window.intake.card_input.isVisible()


@pytest.mark.parametrize(("scanned", "expected"), [
    ("001090123456|012345678|Nguyễn Văn", strings.Scan.GARBLED_QR),
    ("001090123456||Nguyễn Văn Đức||Nam|Thôn Đông", "Mã QR của thẻ căn cước thiếu ngày sinh"),
    ("001090123456||Nguyễn Văn Đức|31021990|Nam|Thôn Đông", "không phải một ngày có thật"),
    ("000.00.20.H12-2603", "Không nhận ra mã vừa quét ('000.00.20.H12-2603')"),
    ("000.00.20.H99-260302-0001", "thuộc cơ quan 000.00.20.H99, không phải của 000.00.20.H12"),
    ("000.00.20.H12-260302-0777", "Không tìm thấy hồ sơ mã 000.00.20.H12-260302-0777"),
    ("8934588063053", "Đây là mã vạch sản phẩm (EAN-13), không phải mã hồ sơ hay CCCD."),
    ("96385074", "Đây là mã vạch sản phẩm (EAN-8), không phải mã hồ sơ hay CCCD."),
    ("725272730706", "Đây là mã vạch sản phẩm (UPC-A), không phải mã hồ sơ hay CCCD."),
    ("001090123457", strings.Scan.GARBLED_QR),  # an ID number alone, never a product's UPC-A
])
def test_bad_scans_give_a_clear_message_and_lose_nothing(qtbot, filled, open_window, scanned, expected) -> None:  # noqa: ANN001
    window = open_window(filled)
    window.intake.focus_first()
    key_text("Phạm")
    qtbot.wait(FLUSH_MS + 20)
    scan(scanned)
    qtbot.waitUntil(lambda: window.messages.level == "error")
    assert expected in window.messages.text()
    assert window.intake.editors["full_name"].text() == "Phạm"
    assert window.tabs.currentWidget() is window.intake
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    assert not window.messages.isVisible()


def test_an_id_card_on_the_list_finds_that_persons_dossiers(qtbot, filled, open_window) -> None:  # noqa: ANN001
    window = open_window(filled)
    qtbot.keyClick(focus(), Qt.Key.Key_F3)
    scan("001190000001|012345678|Trần Thị Ánh|01011990|Nữ|Thôn Tây|15042021")
    assert window.worklist.search.text() == "001190000001"
    model = window.worklist.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.row_at(0).applicant_name == "Trần Thị Ánh")


def test_f4_then_typing_a_code_by_hand_opens_it(qtbot, filled, open_window) -> None:  # noqa: ANN001
    window = open_window(filled)
    window.scanners.apply(ScannerConfig("off"))
    qtbot.keyClick(focus(), Qt.Key.Key_F4)
    assert focus() is window.code_box
    key_text("000.00.20.h12-260303-0001")
    with qtbot.waitSignal(window.return_shown, timeout=5000):
        enter()
    assert window.returns.values["applicant"].text().startswith("Lê Văn Bình")
