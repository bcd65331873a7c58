"""The dossier's life in the dossier view: history, the actions its status allows, refusals."""

from __future__ import annotations

from datetime import timedelta

from counter_app import clock
from counter_app.services import workflow
from tests.ui.life_helpers import ACTOR, dossier_in, status_of
from ui.formatting import long_datetime


def open_life(qtbot, window, code: str) -> None:  # noqa: ANN001
    with qtbot.waitSignal(window.dossier_shown, timeout=5000):
        window.open_dossier(code)


def test_only_the_allowed_actions_are_offered(qtbot, desk, open_window) -> None:  # noqa: ANN001
    received, processing, ready, stopped = (dossier_in(desk, s, number=f"00119000000{s}") for s in (2, 4, 9, 8))
    window = open_window(desk)
    view = window.dossier
    open_life(qtbot, window, received)
    assert view.allowed() == ["handover", "done", "withdraw", "extend", "slip", "control"]
    open_life(qtbot, window, processing)
    assert view.allowed() == ["handover", "supplement", "financial", "done", "withdraw", "stop", "extend", "slip",
                              "control"]
    assert [view.history.item(i, 1).text() for i in range(view.history.rowCount())] == ["Tiếp nhận", "Bàn giao"]
    assert "cho Công chức Tư pháp" in view.history.item(1, 4).text()
    open_life(qtbot, window, ready)
    assert view.allowed() == ["return", "slip", "control"]
    open_life(qtbot, window, stopped)
    assert view.allowed() == ["slip", "control", "forms"]  # Mẫu 05 can be printed again
    assert view.no_actions.isVisible()


def test_supplement_then_papers_back_restarts_the_clock(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    code = dossier_in(desk, 4)
    window = open_window(desk)
    answers.confirm_with = False  # no printing in this test
    open_life(qtbot, window, code)
    window.dossier.action_buttons["supplement"].click()
    dialog = window.dossier_actions.dialog
    dialog.ok.click()  # no reason: the core refuses, nothing changes
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "Cần ghi rõ nội dung yêu cầu bổ sung" in dialog.error.text()
    assert status_of(desk, code)["status"] == 4
    dialog.set_value("reason", "Thiếu bản sao giấy khai sinh")
    dialog.set_value("missing", ["Giấy khai sinh (bản sao)", "Sổ hộ khẩu"])
    dialog.ok.click()
    qtbot.waitUntil(lambda: status_of(desk, code)["status"] == 5 and window.dossier.allowed()[0] == "papers_back",
                    timeout=5000)
    assert any("Mẫu 02" in a for a in answers.asked)  # offered the supplement request paper
    assert "Giấy khai sinh (bản sao); Sổ hộ khẩu" in window.dossier.history.item(2, 4).text()
    before = clock.now()
    window.dossier.action_buttons["papers_back"].click()
    qtbot.waitUntil(lambda: status_of(desk, code)["status"] == 4, timeout=5000)
    stored = status_of(desk, code)
    due = clock.parse_iso(stored["due_at"])
    assert due > before + timedelta(days=2)  # three working days from the papers' return, not from March
    qtbot.waitUntil(lambda: window.dossier.values["due_at"].text() == long_datetime(stored["due_at"]))
    assert f"hẹn trả mới {long_datetime(stored['due_at'])}" in window.messages.text()
    assert "Thời hạn giải quyết tính lại từ đầu" in window.messages.text()


def test_a_second_extension_is_refused_in_the_window(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    code = dossier_in(desk, 4)
    window = open_window(desk)
    answers.confirm_with = False
    open_life(qtbot, window, code)
    window.dossier.action_buttons["extend"].click()
    dialog = window.dossier_actions.dialog
    # Meanwhile another counter extended it (the view still offers it): the core refuses.
    with desk.write() as s:
        current = clock.parse_iso(status_of(desk, code)["due_at"])
        workflow.extend(s, code, new_due=current + timedelta(days=3), reason="Chờ xác minh", actor=ACTOR)
    due_after_first = status_of(desk, code)["due_at"]
    dialog.set_value("reason", "Cần thêm thời gian")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "đã được gia hạn một lần" in dialog.error.text()
    assert status_of(desk, code)["due_at"] == due_after_first  # nothing changed
    dialog.reject()
    open_life(qtbot, window, code)
    assert "extend" not in window.dossier.allowed()  # and it is no longer offered
    assert "forms" in window.dossier.allowed()  # Mẫu 04 can be printed


def test_hand_over_and_result_ready(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    window = open_window(desk)
    open_life(qtbot, window, code)
    window.dossier.action_buttons["handover"].click()
    dialog = window.dossier_actions.dialog
    dialog.set_value("to_unit", "Công chức Địa chính")
    dialog.ok.click()
    qtbot.waitUntil(lambda: status_of(desk, code)["status"] == 4, timeout=5000)
    qtbot.waitUntil(lambda: "handover" in window.dossier.allowed() and "supplement" in window.dossier.allowed())
    window.dossier.action_buttons["done"].click()
    qtbot.waitUntil(lambda: window.dossier.allowed() == ["return", "slip", "control"], timeout=5000)
    assert status_of(desk, code)["status"] == 9


def test_refusal_at_intake_records_status_3(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    from tests.ui.test_intake_window import choose_procedure, type_applicant

    window = open_window(desk)
    answers.confirm_with = False
    window.intake.focus_first()
    type_applicant(qtbot)
    choose_procedure(qtbot, window)
    window.intake.refuse_button.click()
    dialog = window.intake_desk.dialog
    dialog.set_value("reason", "Hồ sơ không thuộc thẩm quyền giải quyết của xã")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "Đã ghi từ chối tiếp nhận" in window.messages.text(), timeout=5000)
    code = window.messages.text().split("hồ sơ ")[1].split(" ")[0]
    assert status_of(desk, code)["status"] == 3
    assert any("Mẫu 03" in a for a in answers.asked)
