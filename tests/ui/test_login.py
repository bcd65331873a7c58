"""Officers at the window: the first admin, log-in, wrong passwords, the idle lock, one window."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from counter_app.services import accounts, audit, settings
from tests.ui.keyboard import enter, focus, key_text
from ui.admin import session as admin_session
from ui.admin.install import install, tools_of
from ui.admin.session import hold_instance_lock, release_instance_lock, require_login

PASSWORD = "mật-khẩu-123"


def add_account(store, username: str, role: str, full_name: str = "Nguyễn Thị An",  # noqa: ANN001
                password: str = PASSWORD) -> None:
    with store.write() as session:
        accounts.create_account(session, username, full_name, role, password, actor=audit.SYSTEM)


def admin_window(open_window, store, *, ready: bool = True):  # noqa: ANN001, ANN201
    """The counter window as ui/app.py builds it."""
    window = open_window(store, ready=ready, logged_in=False)
    install(window, window.client)
    require_login(window, window.client)
    return window


def logged_in_tools(qtbot, open_window, store, username: str, role: str, full_name: str):  # noqa: ANN001, ANN201
    """A new account of `role` logged in at the window as ui/app.py builds it: (window, its admin tools)."""
    from ui.admin.install import tools_of

    add_account(store, username, role, full_name)
    window = admin_window(open_window, store)
    log_in(qtbot, window, username)
    return window, tools_of(window)


def acting(window) -> str | None:  # noqa: ANN001
    """Who the desk (the core) records as acting now: not a label, the value every write takes."""
    actor = window.client._require().acting
    return actor.officer if actor is not None else None


def login_dialog(qtbot, window):  # noqa: ANN001, ANN201
    session = window.session
    qtbot.waitUntil(lambda: session.dialog is not None and session.dialog.isVisible(), timeout=15_000)
    return session.dialog


def log_in(qtbot, window, username: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    dialog = login_dialog(qtbot, window)
    dialog.username.clear()
    key_text(username, dialog.username)
    qtbot.waitUntil(lambda: dialog.username.text() == username)  # the scanner filter holds capitals a moment
    key_text(password, dialog.password)
    enter(dialog.password)
    qtbot.waitUntil(lambda: (window.session.login is not None and not window.session.locked)
                    or dialog.error.isVisible(), timeout=15_000)
    assert not dialog.error.isVisible(), (dialog.error.text(), dialog.username.text(), dialog.password.text())


def test_first_run_creates_the_admin_who_is_then_logged_in(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = admin_window(open_window, desk, ready=False)
    session = window.session
    assert session.curtain.isVisible()  # nothing of the office shows before someone logs in
    dialog = login_dialog(qtbot, window)
    assert dialog.objectName() == "first_admin_dialog"
    assert "Quầy Một Cửa" in dialog.windowTitle()
    assert focus() is dialog.editors["full_name"]
    key_text("Trần Văn Bình")
    dialog.editors["password"].setFocus()
    key_text("ngắn")
    dialog.editors["repeat"].setFocus()
    key_text("ngắn")
    enter()
    qtbot.waitUntil(lambda: dialog.fields["password"].error.isVisible())
    assert "ít nhất 8 ký tự" in dialog.fields["password"].error.text()
    for name in ("password", "repeat"):
        dialog.editors[name].clear()
        dialog.editors[name].setFocus()
        key_text(PASSWORD)
    enter()
    qtbot.waitUntil(lambda: session.login is not None, timeout=15_000)
    assert not dialog.isVisible() and not session.curtain.isVisible()
    assert (session.login.username, session.login.role) == ("admin", "admin")
    assert acting(window) == "admin"
    assert window.findChild(QLabel, "status_officer").text() == "Cán bộ: Trần Văn Bình (Quản trị)"
    with desk.read() as s:
        assert [a.username for a in accounts.list_accounts(s)] == ["admin"]
        actions = [e.action for e in audit.entries(s, limit=5) if e.action != "backup"]
        assert actions[:2] == ["login", "account.create"]

    # Locked by hand (Ctrl+L), then back with the password just chosen.
    qtbot.waitUntil(lambda: window.centralWidget().isEnabled(), timeout=15_000)
    window.activateWindow()
    tools_of(window).act_lock.trigger()
    assert session.locked
    log_in(qtbot, window, "admin")
    assert session.logins == 2


def test_wrong_passwords_are_slowed_down(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "cb.an", "officer")
    window = admin_window(open_window, desk)
    dialog = login_dialog(qtbot, window)
    assert "Quầy Một Cửa" in dialog.windowTitle() and "Đăng nhập" in dialog.windowTitle()
    dialog.username.setFocus()
    key_text("cb.an")
    for attempt in range(accounts.FREE_ATTEMPTS):
        dialog.password.setFocus()
        key_text(f"sai-mật-khẩu-{attempt}")
        enter()
        qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.ok.text() != "Đang kiểm tra…", timeout=10_000)
        assert dialog.error.text() == "Tên đăng nhập hoặc mật khẩu không đúng."
        assert dialog.password.text() == ""
        dialog.error.hide()
    dialog.password.setFocus()
    key_text(PASSWORD)  # even the right password waits now
    enter()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "Đăng nhập sai nhiều lần: vui lòng thử lại sau" in dialog.error.text()
    assert not dialog.ok.isEnabled() and dialog.ok.text().startswith("Thử lại sau ")
    assert window.session.login is None and window.session.curtain.isVisible()


def test_the_idle_lock_keeps_what_was_being_typed(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "cb.an", "officer")
    with desk.write() as s:
        settings.put(s, "session.idle_minutes", 0.03)  # 1.8 s
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "cb.an")
    name = window.intake.findChild(type(window.code_box), "full_name")
    window.activateWindow()
    name.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is name)
    key_text("Lê Thị Hồng", name)
    dialog = login_dialog(qtbot, window)  # nobody touched anything for 0.6 s
    assert dialog.locked and "Màn hình đã khóa" in dialog.windowTitle()
    assert "Thông tin đang nhập vẫn được giữ nguyên" in dialog.findChildren(QLabel)[1].text()
    assert window.session.curtain.isVisible()
    assert dialog.username.text() == "cb.an" and dialog.focusWidget() is dialog.password
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc does not open a locked window
    assert dialog.isVisible()
    key_text(PASSWORD, dialog.password)
    enter(dialog.password)
    qtbot.waitUntil(lambda: not window.session.locked, timeout=10_000)
    assert name.text() == "Lê Thị Hồng"
    qtbot.waitUntil(lambda: window.focusWidget() is name)  # back where the officer was


def test_logging_in_again_in_a_new_window(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "ld.binh", "leader", "Phạm Văn Bình")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "LD.Binh")  # names are not case-sensitive
    assert window.session.login.role == "leader"
    assert window.findChild(QLabel, "status_officer").text() == "Cán bộ: Phạm Văn Bình (Lãnh đạo)"


def test_a_second_window_on_the_same_folder_is_refused(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "office"
    assert hold_instance_lock(folder)
    holder = admin_session.instance_holder()
    raised: list[int] = []
    holder.on_knock = lambda: raised.append(1)
    try:
        script = textwrap.dedent(f"""
            import sys
            from PySide6.QtWidgets import QApplication
            from ui.admin.session import hold_instance_lock
            app = QApplication([])
            said = []
            ok = hold_instance_lock({str(folder)!r}, inform=said.append)
            print(ok, said[0].splitlines()[0] if said else "")
        """)
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                                cwd=Path(__file__).parents[2], env={**__import__("os").environ,
                                                                   "QT_QPA_PLATFORM": "offscreen"})
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
        out = proc.stdout.read().strip()
        assert out.startswith("False Quầy Một Cửa đang mở trên máy này"), out
        qtbot.waitUntil(lambda: raised == [1], timeout=20_000)  # the first window was asked to come forward
        # The restore command refuses too while this process holds the folder.
        from counter_app.instance import InstanceLock

        assert not InstanceLock(folder).acquire()
    finally:
        release_instance_lock()
    assert hold_instance_lock(folder)  # released: the next start gets it
    release_instance_lock()
