"""Admin at the window: what each role sees, the accounts screen, backups, the audit trail, the chart."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from counter_app.services import accounts, settings
from counter_app.services.backup import AUTO_PREFIX, AUTO_SUFFIX, inspect
from tests.conftest import OFFICE_PASSPHRASE
from tests.ui.keyboard import enter, key_text
from tests.ui.test_login import acting, add_account, admin_window, log_in
from ui.admin.chart import WeeklyChart, nice_top
from ui.admin.install import tools_of
from ui.dialogs.account_dialog import ROLES


def test_role_labels_match_the_service() -> None:
    assert ROLES == accounts.ROLES


def test_an_officer_sees_no_admin_entries_and_an_admin_does(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "cb.an", "officer")
    add_account(desk, "admin", "admin", "Trần Văn Bình")
    window = admin_window(open_window, desk)
    tools = tools_of(window)
    assert not tools.admin_menu.menuAction().isVisible()  # nobody logged in yet
    log_in(qtbot, window, "cb.an")
    assert not tools.admin_menu.menuAction().isVisible()
    for act in (tools.act_accounts, tools.act_reports, tools.act_audit, tools.act_folder):
        assert not act.isVisible() and not act.isEnabled()
    assert tools.act_backup.isEnabled() and tools.act_password.isEnabled() and tools.act_lock.isEnabled()
    tools.show_accounts()  # even called directly, nothing opens
    assert getattr(tools, "accounts_dialog", None) is None

    tools.act_lock.trigger()
    log_in(qtbot, window, "admin")  # another officer opens the locked window
    assert acting(window) == "admin"
    assert tools.admin_menu.menuAction().isVisible()
    assert all(a.isVisible() and a.isEnabled() for a in (tools.act_accounts, tools.act_reports, tools.act_audit))


def test_the_admin_adds_an_officer_changes_a_role_and_disables_one(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "admin", "admin", "Trần Văn Bình")
    add_account(desk, "cb.cu", "officer", "Lê Văn Cũ")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "admin")
    tools_of(window).act_accounts.trigger()
    dialog = tools_of(window).accounts_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    dialog.add_button.click()
    new = dialog.account_dialog
    key_text("cb.hoa", new.editors["username"])
    key_text("Phạm Thị Hoa", new.editors["full_name"])
    new.role.setCurrentIndex(list(ROLES).index("leader"))
    key_text("mật-khẩu-hoa", new.editors["password"])
    key_text("mật-khẩu-hoa", new.editors["repeat"])
    enter(new.editors["repeat"])
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=10_000)
    assert not new.isVisible()
    assert "Đã tạo tài khoản cb.hoa (Lãnh đạo)" in dialog.messages.text()

    row = [r.username for r in dialog.rows].index("cb.cu")
    dialog.table.cellWidget(row, 2).setCurrentIndex(list(ROLES).index("leader"))
    qtbot.waitUntil(lambda: "Đã đổi vai trò của cb.cu" in dialog.messages.text(), timeout=10_000)
    dialog.table.selectRow(row)
    dialog.toggle_button.click()  # the test's Answers confirm
    qtbot.waitUntil(lambda: dialog.table.item(row, 3) is not None and dialog.table.item(row, 3).text() == "Đã khóa",
                    timeout=10_000)
    with desk.read() as s:
        assert {(a.username, a.role) for a in accounts.list_accounts(s)} == {("admin", "admin"),
                                                                             ("cb.hoa", "leader")}
    # The admin cannot lock themselves out.
    admin_row = [r.username for r in dialog.rows].index("admin")
    dialog.table.selectRow(admin_row)
    assert not dialog.toggle_button.isEnabled()
    assert not dialog.table.cellWidget(admin_row, 2).isEnabled()


def test_an_automatic_backup_at_start_goes_to_the_chosen_folder(qtbot, desk, open_window, tmp_path: Path) -> None:  # noqa: ANN001
    usb = tmp_path / "usb"
    usb.mkdir()
    add_account(desk, "cb.an", "officer")
    with desk.write() as s:
        settings.put(s, "backup.folder", str(usb))
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "cb.an")
    tools = tools_of(window)
    qtbot.waitUntil(lambda: tools.backups_done == 1, timeout=15_000)
    files = sorted(usb.glob(f"{AUTO_PREFIX}*{AUTO_SUFFIX}"))
    assert len(files) == 1 and inspect(files[0], OFFICE_PASSPHRASE).agency_code == "000.00.20.H12"
    assert tools.backup_label.text().startswith("Sao lưu: ") and "hôm nay" in tools.backup_label.text()

    usb.rename(tmp_path / "usb-unplugged")  # the stick is pulled out
    tools.act_backup.trigger()
    qtbot.waitUntil(lambda: bool(tools.backup_error), timeout=10_000)
    assert tools.backup_label.text() == "Sao lưu: LỖI"
    assert "Không tìm thấy thư mục sao lưu" in window.statusBar().currentMessage()
    assert not usb.exists()  # never created on the local disk instead
    assert window.isVisible()


def test_restore_is_explained_not_run(qtbot, desk, open_window, answers) -> None:  # noqa: ANN001
    add_account(desk, "admin", "admin")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "admin")
    tools_of(window).act_restore.trigger()
    qtbot.waitUntil(lambda: any("counter-app restore" in a for a in answers.asked), timeout=10_000)


def test_the_audit_view_pages_newest_first_and_checks_the_chain(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "ld.binh", "leader", "Phạm Văn Bình")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "ld.binh")
    tools = tools_of(window)
    # The first log-in of the day backs up (and audits it) on its own lane: let it land first,
    # or the newest page moves while it is being paged.
    qtbot.waitUntil(lambda: tools.backups_done == 1, timeout=15_000)
    tools.act_audit.trigger()
    view = tools.audit_view
    assert window.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=10_000)
    seqs = [int(view.table.item(i, 0).text()) for i in range(view.table.rowCount())]
    assert seqs == sorted(seqs, reverse=True)
    assert "Đăng nhập" in [view.table.item(i, 3).text() for i in range(view.table.rowCount())]
    view.page_size = 2
    view.load_newest()
    qtbot.waitUntil(lambda: view.table.rowCount() == 2)
    first_page = [r.seq for r in view.rows]
    view.older()
    qtbot.waitUntil(lambda: view.rows and view.rows[0].seq < first_page[-1])
    view.newer()
    qtbot.waitUntil(lambda: [r.seq for r in view.rows] == first_page)
    view.verify_button.click()
    qtbot.waitUntil(lambda: view.verification is not None, timeout=10_000)
    assert view.result.text().startswith("✔ Nhật ký nguyên vẹn:")


def test_the_chart_paints_empty_and_full(qtbot) -> None:  # noqa: ANN001
    chart = WeeklyChart()
    qtbot.addWidget(chart)
    chart.resize(700, 300)
    assert not chart.grab().isNull() and chart.painted >= 1
    weeks = [(date(2026, 1, 5) + timedelta(days=7 * i), 10 + i, 8 + (i % 3), None if i == 3 else 60.0 + i)
             for i in range(20)]
    chart.set_weeks(weeks)
    before = chart.painted
    image = chart.grab().toImage()
    assert chart.painted > before
    assert image.pixelColor(image.width() // 2, image.height() - 60).isValid()
    chart.set_weeks([(date(2026, 3, 2), 0, 0, None)])
    chart.grab()
    assert nice_top(0) == 5 and nice_top(13) == 20 and nice_top(101) == 200
    QApplication.processEvents()
