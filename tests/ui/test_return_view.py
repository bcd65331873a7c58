"""Returning results: a scan of the slip from any screen opens the return view; keyboard only."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter_app.domain.scanner_config import ScannerConfig
from tests.ui.keyboard import enter, focus, key_text, scan
from tests.ui.life_helpers import dossier_in, status_of
from ui import strings
from ui.views.return_view import ReturnView


def scanned(qtbot, window, code: str) -> ReturnView:  # noqa: ANN001
    """The officer scans the dossier's code at the counter: the return view it opens."""
    with qtbot.waitSignal(window.return_shown, timeout=5000):
        scan(code)
    return window.returns


def test_a_scanner_return_from_the_list_ends_returned_with_the_recipient(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 9)
    window = open_window(desk)
    qtbot.keyClick(focus(), Qt.Key.Key_F3)  # the officer is on the list
    view = scanned(qtbot, window, code)
    assert window.tabs.currentWidget() is view
    assert view.state() == "ready" and view.banner.text() == strings.Return.READY
    assert view.values["applicant"].text().startswith("Trần Thị Ánh · 001190000001")
    assert view.name.text() == "Trần Thị Ánh"  # prefilled with the applicant
    assert view.id_number.text() == "001190000001"
    assert focus() is view.confirm_button
    key_text("1")  # satisfied
    qtbot.waitUntil(lambda: view.rating_value() == 1)  # the keys reach the field after the scanner's pause
    enter()
    qtbot.waitUntil(lambda: view.state() == "returned", timeout=5000)
    assert "ĐÃ TRẢ KẾT QUẢ cho Trần Thị Ánh" in view.banner.text()
    assert view.values["status"].text() == "Đã trả kết quả"
    assert not view.recipient_box.isVisible()
    stored = status_of(desk, code)
    assert stored["status"] == 10 and stored["recipient"]["full_name"] == "Trần Thị Ánh"
    assert f"Đã trả kết quả hồ sơ {code}" in window.messages.text()
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)  # the message first
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    assert window.tabs.currentWidget() is window.worklist


def test_someone_else_collecting_must_say_their_relation(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 9)
    window = open_window(desk)
    view = scanned(qtbot, window, code)
    view.name.setFocus()
    view.name.selectAll()
    key_text("Lê Văn Bình")
    enter()
    assert view.error.text() == strings.Return.NEED_RELATION
    assert focus() is view.relation and status_of(desk, code)["status"] == 9
    key_text("con")
    enter()
    qtbot.waitUntil(lambda: view.state() == "returned", timeout=5000)
    assert "Lê Văn Bình (con)" in view.banner.text()
    assert status_of(desk, code)["recipient"]["relation"] == "con"


def test_a_bad_recipient_id_is_refused_and_nothing_changes(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 9)
    window = open_window(desk)
    view = scanned(qtbot, window, code)
    view.id_number.setText("12345")
    view.confirm()
    qtbot.waitUntil(lambda: view.error.isVisible() and view.confirm_button.isEnabled(), timeout=5000)
    assert "12" in view.error.text()  # the ID-number rule, in Vietnamese
    assert status_of(desk, code)["status"] == 9


def test_a_dossier_not_ready_says_so_with_its_due_time(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 4)
    window = open_window(desk)
    view = scanned(qtbot, window, code)
    assert view.state() == "late"  # received in March: long overdue
    assert view.banner.text().startswith("CHƯA CÓ KẾT QUẢ")
    assert "08 giờ 00 phút, ngày 05 tháng 03 năm 2026" in view.banner.text()
    assert not view.recipient_box.isVisible()
    enter()  # Enter does nothing here
    assert status_of(desk, code)["status"] == 4


def test_a_dossier_already_returned_says_to_whom_and_when(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 10, recipient="Nguyễn Văn Cường")
    window = open_window(desk)
    view = scanned(qtbot, window, code)
    assert view.state() == "returned"
    assert view.banner.text() == ("ĐÃ TRẢ KẾT QUẢ cho Nguyễn Văn Cường lúc 15 giờ 00 phút, ngày 03 tháng 03 năm 2026.")
    assert not view.recipient_box.isVisible()


def test_f4_and_the_code_typed_by_hand_open_the_return_view(qtbot, desk, open_window) -> None:  # noqa: ANN001
    code = dossier_in(desk, 9)
    window = open_window(desk)
    window.scanners.apply(ScannerConfig("off"))
    qtbot.keyClick(focus(), Qt.Key.Key_F4)
    key_text(code)
    with qtbot.waitSignal(window.return_shown, timeout=5000):
        enter()
    assert window.returns.state() == "ready"


def test_a_result_that_came_back_is_recorded_and_handed_over_from_the_return_view(  # noqa: ANN001
        qtbot, desk, open_window, answers) -> None:
    from counter_app.services import workflow

    code = dossier_in(desk, 4)
    window = open_window(desk)
    view = scanned(qtbot, window, code)
    assert view.state() == "late" and view.ready_button.isVisible()
    with qtbot.waitSignal(window.return_shown, timeout=5000):
        qtbot.keyClick(focus(), Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # "Có &kết quả…"
    assert answers.asked[-1] == strings.Return.MARK_READY_ASK.format(code=code)
    assert view.state() == "ready" and view.recipient_box.isVisible() and not view.ready_button.isVisible()
    assert focus() is view.confirm_button
    assert window.messages.text() == strings.Return.MARK_READY_OK.format(code=code)
    enter()  # hand it over to the applicant, prefilled
    qtbot.waitUntil(lambda: view.state() == "returned", timeout=5000)
    with desk.read() as s:
        statuses = [e["status"] for e in workflow.history(s, code)]
    assert statuses[-2:] == [9, 10]
    assert status_of(desk, code)["recipient"]["full_name"] == "Trần Thị Ánh"


def test_saying_no_to_has_a_result_changes_nothing(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    code = dossier_in(desk, 4)
    window = open_window(desk)
    scanned(qtbot, window, code)
    answers.confirm_with = False
    window.returns.ready_button.click()
    assert answers.asked[-1].startswith(f"Ghi hồ sơ {code} đã có kết quả?")
    assert status_of(desk, code)["status"] == 4 and window.returns.state() == "late"


def test_a_paused_or_finished_dossier_offers_no_has_a_result(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    for status in (5, 8, 10):
        code = dossier_in(desk, status, number=f"00119000000{status % 10}")
        with qtbot.waitSignal(window.return_shown, timeout=5000):
            window.open_return(code)
        assert not window.returns.ready_button.isVisible(), status
