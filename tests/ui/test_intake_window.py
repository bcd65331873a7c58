"""A whole intake at the counter, with the keyboard only, and what the officer sees after it."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app import clock
from counter_app.desk import Desk
from counter_app.domain.vn_time import vn_datetime
from counter_app.services.lookup import open_by_code
from tests.conftest import clerk, raw_store
from tests.ui.keyboard import focus, ime_text, key_text
from ui import strings

DUE_TEXT = re.compile(r"^\d{2} giờ \d{2} phút, ngày \d{2} tháng \d{2} năm \d{4}$")
CODE = re.compile(r"000\.00\.20\.H12-\d{6}-\d{4}")


def tab(qtbot) -> None:  # noqa: ANN001
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)


def count_dossiers(store) -> int:  # noqa: ANN001
    con = raw_store(store.path)
    try:
        return con.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    finally:
        con.close()


def type_applicant(qtbot, *, phone: str = "0912345678") -> None:  # noqa: ANN001
    key_text("Nguyễn Văn Đức")  # Vietnamese straight from the keyboard layout
    tab(qtbot)
    key_text("001090123456")
    tab(qtbot)
    key_text("1/1/1990")
    tab(qtbot)
    qtbot.keyClick(focus(), Qt.Key.Key_N)  # the gender box: N chooses "Nam"
    tab(qtbot)
    ime_text("Thôn Đông, xã Bình Mỹ")  # Telex through an input method
    tab(qtbot)
    key_text(phone)
    tab(qtbot)
    tab(qtbot)  # no e-mail


def choose_procedure(qtbot, window, query: str = "thu ba ngay") -> None:  # noqa: ANN001
    assert focus().objectName() == "procedure_search"
    key_text(query)  # no diacritics: finds "Thủ tục thử ba ngày"
    qtbot.waitUntil(lambda: window.intake.picker.results.count() > 0)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)


def test_a_whole_intake_with_the_keyboard(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    assert window.windowTitle().startswith("Quầy Một Cửa — ")
    assert "UBND xã Bình Mỹ" in window.windowTitle()
    qtbot.keyClick(focus(), Qt.Key.Key_F2)
    assert focus().objectName() == "full_name"

    type_applicant(qtbot)
    editors = window.intake.editors
    assert editors["full_name"].text() == "Nguyễn Văn Đức"
    assert editors["birth_date"].text() == "01/01/1990"  # tidied when the officer left the field
    assert editors["gender"].currentText() == "Nam"
    assert editors["address"].text() == "Thôn Đông, xã Bình Mỹ"

    choose_procedure(qtbot, window)
    assert window.intake.picker.current.code == "9.000003"
    assert "Thủ tục thử ba ngày" in window.intake.picker.summary.text()
    # The paper form's documents, ticked, and the focus moved on to them.
    assert window.intake.documents.documents() == [
        {"name": "Tờ khai (theo mẫu)", "form": "bản chính", "count": 1},
        {"name": "Giấy tờ chứng minh nơi cư trú", "form": "bản chụp", "count": 2},
    ]
    assert focus() is window.intake.documents.focus_widgets()[0]
    qtbot.waitUntil(lambda: DUE_TEXT.match(window.intake.due_label.text()) is not None)
    previewed, preview = window.intake.due_label.text(), window.intake.preview

    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.intake.saved_panel.isVisible(), timeout=10_000)
    code = CODE.search(window.intake.saved_code.text()).group(0)
    assert "Nguyễn Văn Đức" in window.intake.saved_text.text()
    assert "Hẹn trả kết quả: " in window.messages.text() and code in window.messages.text()
    with desk.read() as session:
        saved = open_by_code(session, code)
    saved_due = vn_datetime(clock.parse_iso(saved["due_at"]))
    assert saved_due in window.intake.saved_text.text()
    # The preview and the save apply one rule: previewed at the saved reception time, it is the
    # appointment (the minute may have turned between the two, so the preview is asked again).
    again = Desk(desk, clerk()).preview_due("9.000003", clock.parse_iso(saved["received_at"]))
    assert saved_due == again.due_text
    assert previewed == preview.due_text  # and the form showed its own preview
    assert saved["applicant"]["address"] == "Thôn Đông, xã Bình Mỹ"
    assert saved["applicant"]["birth_date"] == "1990-01-01"
    assert saved["documents"][1] == {"name": "Giấy tờ chứng minh nơi cư trú", "form": "bản chụp", "count": 2}
    assert saved["officer"] == "kiem-thu"  # who acts at the desk (tests.conftest.clerk)

    # The form is empty again, ready for the next person, focus on the name.
    assert editors["full_name"].text() == "" and window.intake.picker.current is None
    assert focus() is editors["full_name"]

    # The list shows it on top.
    qtbot.keyClick(focus(), Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is window.worklist
    model = window.worklist.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.row_at(0).code == code)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == code
    assert row[1] == "Nguyễn Văn Đức"
    assert row[2] == "Thủ tục thử ba ngày"
    assert row[5] == "Đã tiếp nhận"
    assert row[6] == "Chờ đồng bộ"
    assert window._status_sync.text() == "Chưa kết nối máy chủ huyện"  # never linked: nothing to count


def test_nothing_is_saved_until_valid_and_messages_sit_beside_the_fields(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.focus_first()
    type_applicant(qtbot, phone="12345")
    # Leaving the phone field already said what is wrong, beside it.
    phone_error = window.intake.fields["phone"].error
    assert phone_error.isVisible() and "Số điện thoại '12345' không hợp lệ" in phone_error.text()
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.intake.procedure_field.error.text() == strings.Intake.NEED_PROCEDURE
    assert focus() is window.intake.editors["phone"]  # the first field to fix, in form order
    qtbot.waitUntil(lambda: not window.client.lane.busy())  # had a save been sent, it would be done
    assert count_dossiers(desk) == 0
    assert not window.intake.saved_panel.isVisible()

    # Fixed, it saves; what was typed was never lost.
    window.intake.editors["phone"].selectAll()
    key_text("0912345678")
    tab(qtbot)
    assert not phone_error.isVisible()
    window.intake.picker.search.setFocus()
    choose_procedure(qtbot, window, "9.000000")
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.intake.saved_panel.isVisible(), timeout=10_000)
    assert count_dossiers(desk) == 1


def test_save_and_print_saves_then_previews_the_slip(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    asked: list[str] = []
    window.print_slip_requested.connect(asked.append)
    window.intake.focus_first()
    type_applicant(qtbot)
    choose_procedure(qtbot, window)
    qtbot.keyClick(focus(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert CODE.fullmatch(asked[0])
    assert count_dossiers(desk) == 1
    assert f"Đã tiếp nhận hồ sơ {asked[0]}" in window.messages.text()
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0,
                    timeout=10_000)
    assert window.printing.dialog.code == asked[0]
    window.printing.dialog.reject()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    printed: list[str] = []
    window.slip_printer = printed.append  # the seam: Ctrl+P on an empty form prints the last slip again
    qtbot.keyClick(focus(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed == asked[:1]


def test_a_locked_store_keeps_everything_typed(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.focus_first()
    type_applicant(qtbot)
    choose_procedure(qtbot, window)
    other = raw_store(desk.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert window.intake.save_button.text() == strings.Intake.SAVING
        qtbot.waitUntil(lambda: window.messages.level == "error", timeout=15_000)
    finally:
        other.rollback()
        other.close()
    assert "đang bị một chương trình khác khóa" in window.messages.text()
    assert "vẫn được giữ nguyên" in window.messages.text()
    assert window.intake.editors["full_name"].text() == "Nguyễn Văn Đức"
    assert window.intake.picker.current.code == "9.000003"
    assert window.intake.save_button.isEnabled()
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # try again: it saves
    qtbot.waitUntil(lambda: window.intake.saved_panel.isVisible(), timeout=10_000)
    assert count_dossiers(desk) == 1


def test_f2_on_a_filled_form_asks_before_clearing(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.focus_first()
    key_text("Trần Thị Ánh")
    tab(qtbot)
    answers.confirm_with = False
    qtbot.keyClick(focus(), Qt.Key.Key_F2)
    assert answers.asked == [strings.Main.NEW_UNSAVED]
    assert window.intake.editors["full_name"].text() == "Trần Thị Ánh"
    answers.confirm_with = True
    qtbot.keyClick(focus(), Qt.Key.Key_F2)
    assert window.intake.editors["full_name"].text() == ""


def test_tab_order_follows_the_paper_form(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    window.intake.focus_first()
    seen = []
    for _ in range(8):
        seen.append(focus().objectName())
        tab(qtbot)
    assert seen == ["full_name", "id_number", "birth_date", "gender", "address", "phone", "email",
                    "procedure_search"]


@pytest.mark.parametrize("query", ["chung thuc", "Chứng thực", "2.000815"])
def test_procedure_search_diacritics_optional(qtbot, office_store, open_window, query: str) -> None:  # noqa: ANN001
    window = open_window(office_store)  # the shipped demo catalogue
    window.intake.picker.search.setFocus()
    if query.isascii():
        key_text(query)
    else:
        ime_text(query)
    texts = []
    qtbot.waitUntil(lambda: window.intake.picker.results.count() > 0)
    for i in range(window.intake.picker.results.count()):
        texts.append(window.intake.picker.results.item(i).text())
    assert any("Chứng thực bản sao từ bản chính" in t for t in texts)

