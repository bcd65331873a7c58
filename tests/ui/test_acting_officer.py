"""One acting officer at the counter: who logs in is who every save, move and print is recorded
under; log-out hands the PC to the next officer; the admin sets the office's settings on screen;
one change notice refreshes every screen after a write."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from counter_app.services import audit
from counter_app.services.lookup import open_by_code
from tests.ui.keyboard import focus
from tests.ui.life_helpers import dossier_in
from tests.ui.test_intake_window import CODE, choose_procedure, type_applicant
from tests.ui.test_login import acting, add_account, admin_window, log_in, logged_in_tools
from tests.ui.test_printing import pdf_printer
from ui.admin.install import tools_of


def _entries(store, target: str) -> list[tuple[str, str, str]]:  # noqa: ANN001
    with store.read() as s:
        return [(e.action, e.actor, e.actor_kind) for e in reversed(audit.entries(s, target=target))]


def test_a_print_is_recorded_under_the_officer_who_is_logged_in(qtbot, desk, open_window, tmp_path: Path) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    add_account(desk, "an.nv", "officer", "Nguyễn Văn An")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "an.nv")
    out = tmp_path / "giay-hen.pdf"
    window.printing.printer_names = lambda: ["Máy in quầy 1"]
    window.printing.printer_factory = lambda name: pdf_printer(out)
    window.printing.preview_slip(code)
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.page_count() > 0,
                    timeout=10_000)
    window.printing.dialog.choose_print()
    qtbot.waitUntil(lambda: ("print.slip", "an.nv", "officer") in _entries(desk, code), timeout=10_000)
    assert out.exists()
    assert [e for e in _entries(desk, code) if e[0].startswith("print")] == [("print.slip", "an.nv", "officer")]


def test_log_out_hands_the_counter_to_the_next_officer(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    add_account(desk, "an.nv", "officer", "Nguyễn Văn An")
    add_account(desk, "binh.tt", "officer", "Trần Thị Bình")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "an.nv")
    assert acting(window) == "an.nv"
    window.activateWindow()
    window.intake.focus_first()
    qtbot.waitUntil(lambda: focus() is window.intake.editors["full_name"])
    type_applicant(qtbot)
    tools = tools_of(window)

    answers.confirm_with = False  # "an intake is half typed: log out anyway?" — no
    tools.act_logout.trigger()
    assert "Đăng xuất sẽ bỏ hồ sơ này" in answers.asked[-1]
    assert window.session.login is not None and acting(window) == "an.nv"
    assert window.intake.editors["full_name"].text() == "Nguyễn Văn Đức"

    answers.confirm_with = True
    window.open_return(made := dossier_in(desk, 9))  # a citizen's result on screen when the PC changes hands
    qtbot.waitUntil(lambda: window.returns.code == made, timeout=5000)
    tools.act_logout.trigger()
    qtbot.waitUntil(lambda: window.session.login is None and acting(window) is None, timeout=10_000)
    assert window.session.curtain.isVisible()
    # Nothing of the last citizen for the next officer, on any screen.
    assert window.intake.editors["full_name"].text() == "" and not window.intake.saved_panel.isVisible()
    assert window.returns.code == "" and window.dossier.code == ""
    assert not tools.act_logout.isVisible()
    dialog = window.session.dialog
    assert dialog is not None and dialog.username.text() == ""

    log_in(qtbot, window, "binh.tt")
    assert acting(window) == "binh.tt"
    assert "Trần Thị Bình" in window.findChild(type(window._status_officer), "status_officer").text()
    window.activateWindow()
    window.intake.focus_first()
    qtbot.waitUntil(lambda: focus() is window.intake.editors["full_name"])
    type_applicant(qtbot)
    choose_procedure(qtbot, window)
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.intake.saved_panel.isVisible(), timeout=10_000)
    code = CODE.search(window.intake.saved_code.text()).group(0)
    with desk.read() as s:
        assert open_by_code(s, code)["officer"] == "binh.tt"
        actions = [(e.action, e.actor) for e in audit.entries(s, limit=20)]
    assert ("logout", "an.nv") in actions and ("intake", "binh.tt") in actions


def test_the_admin_sets_the_bank_account_and_look_up_address_on_screen(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window, tools = logged_in_tools(qtbot, open_window, desk, "admin", "admin", "Trần Văn Bình")
    assert tools.act_settings.isVisible()
    tools.act_settings.trigger()
    dialog = tools.settings_dialog
    qtbot.waitUntil(lambda: "papers.bank_bin" in dialog.editors, timeout=10_000)
    assert "Quầy Một Cửa" in dialog.windowTitle()
    dialog.set_value("papers.bank_bin", "970436")
    dialog.set_value("papers.bank_account", "0011 0023 45678")
    dialog.set_value("papers.lookup_url", "không phải địa chỉ")
    dialog.save()
    qtbot.waitUntil(lambda: "https://" in dialog.status.text(), timeout=10_000)
    assert dialog.isVisible()
    with desk.read() as s:
        assert not [e for e in audit.entries(s, limit=50) if e.action == "settings.put"]  # all or nothing

    dialog.set_value("papers.lookup_url", "https://huyen.example/tra-cuu/{code}")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert "Đã lưu cài đặt" in window.messages.text()
    with desk.read() as s:
        changed = {e.target: e.actor for e in audit.entries(s, limit=50) if e.action == "settings.put"}
    assert changed == {"papers.bank_bin": "admin", "papers.bank_account": "admin", "papers.lookup_url": "admin"}
    assert window.client._require().settings()["papers.bank_account"] == "00110023456" + "78"


def test_the_settings_screen_fits_the_screen_and_tab_scrolls_to_the_last_setting(qtbot, desk, open_window) -> None:  # noqa: ANN001, E501
    window, tools = logged_in_tools(qtbot, open_window, desk, "admin", "admin", "Trần Văn Bình")
    tools.act_settings.trigger()
    dialog = tools.settings_dialog
    qtbot.waitUntil(lambda: len(dialog.editors) > 10, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.height() > 600, timeout=5000)  # fitted to its rows, once they show
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    assert dialog.save_button.visibleRegion().boundingRect().height() > 0  # the buttons stay in sight
    dialog.resize(dialog.width(), 420)  # as on a smaller screen: most rows below the fold
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    last = list(dialog.editors.values())[-1]
    last.setFocus(Qt.FocusReason.TabFocusReason)  # as Tab from the row above gives it
    qtbot.waitUntil(lambda: dialog.focusWidget() is last, timeout=5000)
    assert dialog.scroll.verticalScrollBar().value() > 0
    assert last.visibleRegion().boundingRect().height() == last.height()  # scrolled fully into view


def test_an_officer_has_no_settings_screen(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "an.nv", "officer", "Nguyễn Văn An")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "an.nv")
    tools = tools_of(window)
    assert not tools.act_settings.isVisible()
    tools.show_settings()  # even called directly
    assert getattr(tools, "settings_dialog", None) is None


def test_the_attention_list_shows_a_same_day_dossier_right_after_a_plain_save(qtbot, desk, open_window,  # noqa: ANN001
                                                                              monkeypatch) -> None:
    from datetime import datetime

    from counter_app import clock
    from counter_app.domain.vn_time import VN_TZ

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 3, 9, 0, tzinfo=VN_TZ))  # a Tuesday morning
    window = open_window(desk)
    window.tabs.setCurrentWidget(window.attention)
    qtbot.waitUntil(lambda: window.attention.rows("due_today") == [], timeout=5000)
    window.tabs.setCurrentWidget(window.intake)
    window.activateWindow()
    window.intake.focus_first()
    qtbot.waitUntil(lambda: focus() is window.intake.editors["full_name"])
    type_applicant(qtbot)
    choose_procedure(qtbot, window, "thu trong ngay")  # a same-day procedure: due at 17:00 today
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.intake.saved_panel.isVisible(), timeout=10_000)
    code = CODE.search(window.intake.saved_code.text()).group(0)
    # Nobody asked the attention list or the dossier list to reload: the one change notice did.
    qtbot.waitUntil(lambda: [c for c, _ in window.attention.rows("due_today")] == [code], timeout=10_000)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 1 and window.worklist.model.row_at(0).code == code,
                    timeout=10_000)


def test_tab_through_the_settings_never_scrolls_sideways_and_every_label_stays_whole(qtbot, desk, open_window) -> None:  # noqa: ANN001, E501
    window, tools = logged_in_tools(qtbot, open_window, desk, "admin", "admin", "Trần Văn Bình")
    tools.act_settings.trigger()
    dialog = tools.settings_dialog
    qtbot.waitUntil(lambda: len(dialog.editors) > 10, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.height() > 600, timeout=5000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    assert dialog.frameGeometry().width() <= dialog.screen().availableGeometry().width()
    for key, editor in dialog.editors.items():
        editor.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda e=editor: dialog.focusWidget() is e, timeout=5000)
        assert dialog.scroll.horizontalScrollBar().value() == 0, key
        label = dialog.form.labelForField(editor) or dialog.form.labelForField(editor.parentWidget())
        assert label is not None, key
        assert label.visibleRegion().boundingRect().width() == label.width(), key  # the whole label in sight
        assert editor.visibleRegion().boundingRect().width() == editor.width(), key


def test_what_each_setting_means_reads_whole_under_its_field(qtbot, desk, open_window) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QLabel

    window, tools = logged_in_tools(qtbot, open_window, desk, "admin", "admin", "Trần Văn Bình")
    tools.act_settings.trigger()
    dialog = tools.settings_dialog
    qtbot.waitUntil(lambda: len(dialog.editors) > 10, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.height() > 600, timeout=5000)
    explained = [f for f in dialog.fields if f.hint]
    assert len(explained) > 10
    for f in explained:
        hint = dialog.findChild(QLabel, f"hint_{f.key}")
        assert hint is not None and hint.text() == f.hint, f.key
        dialog.scroll.ensureWidgetVisible(hint, 0, 0)
        qtbot.waitUntil(lambda h=hint: h.visibleRegion().boundingRect().height() == h.height(), timeout=2000)
        # every word of it is drawn: the label is tall enough for its text wrapped at its width
        assert hint.height() >= hint.heightForWidth(hint.width()), f.key
        assert hint.visibleRegion().boundingRect().width() == hint.width(), f.key
        assert hint.y() > dialog.editors[f.key].y()  # under its field, in the field's column
