"""Small frictions of an officer's first day: the red bar, a phone number half typed, quitting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.keyboard import focus, key_text, scan
from tests.ui.life_helpers import dossier_in
from tests.ui.test_scanner import QR
from ui.scanner import FLUSH_MS


def a_bad_scan(qtbot, window) -> None:  # noqa: ANN001
    scan("001090123456|012345678|Nguyễn Văn")  # a card QR cut short
    qtbot.waitUntil(lambda: window.messages.level == "error")


def test_the_red_bar_goes_after_a_good_card_scan(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.focus_first()
    a_bad_scan(qtbot, window)
    scan(QR)  # the officer scans the card again, properly
    qtbot.waitUntil(lambda: window.intake.editors["full_name"].text() == "Nguyễn Văn Đức")
    assert not window.messages.isVisible() and window.messages.level == ""


def test_the_red_bar_goes_with_a_new_intake(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.focus_first()
    a_bad_scan(qtbot, window)
    qtbot.keyClick(focus(), Qt.Key.Key_F2)  # "Nhập mới"
    assert not window.messages.isVisible()
    assert focus() is window.intake.editors["full_name"]


def test_the_red_bar_goes_after_a_good_slip_scan(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 9)
    window = open_window(desk)
    window.intake.focus_first()
    a_bad_scan(qtbot, window)
    with qtbot.waitSignal(window.return_shown, timeout=5000):
        scan(code)
    assert not window.messages.isVisible()


def test_a_warning_that_is_not_an_error_stays_after_a_new_intake(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.show_message("Máy in sắp hết giấy.", "warning")
    window.new_intake()
    assert window.messages.text() == "Máy in sắp hết giấy."
    qtbot.wait(FLUSH_MS)


def test_a_phone_number_half_typed_is_not_judged_when_a_window_opens(qtbot, desk, open_window) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QDialog

    window = open_window(desk)
    phone = window.intake.editors["phone"]
    phone.setFocus()
    key_text("09")
    qtbot.waitUntil(lambda: phone.text() == "09")  # typed keys reach the field after the scanner's pause
    error = window.intake.fields["phone"].error
    assert not error.isVisibleTo(window)
    other = QDialog(window)  # F1's help, the lock screen, a question: another window takes the keys
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not phone)
    assert not error.isVisibleTo(window) and phone.text() == "09"
    other.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is phone)
    key_text("12345678")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)  # left with a whole number: nothing to say
    assert not error.isVisibleTo(window)


def test_a_wrong_phone_number_is_judged_when_the_field_is_left(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    phone = window.intake.editors["phone"]
    phone.setFocus()
    key_text("09")
    qtbot.waitUntil(lambda: phone.text() == "09")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    error = window.intake.fields["phone"].error
    assert error.isVisibleTo(window) and "'09' không hợp lệ" in error.text()


def _press_enter_on_the_question(qtbot, asked: list[str]) -> None:  # noqa: ANN001
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_enter_on_the_quit_question_keeps_the_window_and_the_form(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    from ui import strings
    from ui.interaction import Interaction

    window = open_window(desk)
    window.intake.focus_first()
    key_text("Nguyễn Văn Đức")
    qtbot.waitUntil(lambda: window.intake.editors["full_name"].text() == "Nguyễn Văn Đức")
    window.interaction = Interaction()  # the real question, answered with the keyboard
    try:
        asked: list[str] = []
        _press_enter_on_the_question(qtbot, asked)
        window.close()
        assert asked == [strings.Main.QUIT_UNSAVED]
        assert window.isVisible() and window.intake.editors["full_name"].text() == "Nguyễn Văn Đức"
        _press_enter_on_the_question(qtbot, asked)
        window.new_intake()  # "Nhập mới" (F2) asks the same way
        assert asked[-1] == strings.Main.NEW_UNSAVED
        assert window.intake.editors["full_name"].text() == "Nguyễn Văn Đức"
    finally:
        window.interaction = answers
