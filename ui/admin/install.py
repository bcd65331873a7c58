"""Plugs officers, backups, the audit trail and the reports into the counter window.

`install(window, client)` adds, after the main window is built: in the File menu "Sao lưu ngay",
"Đổi mật khẩu…" and "Khóa màn hình"; a "Quản trị" menu (reports, audit trail, accounts, backup
folder, idle time, how to restore); the report and audit tabs for leaders and admins; the last
backup's time in the status bar (read as soon as the store is open); the automatic backup, at most
once a day (desk_admin.backup_due decides; looked at after the first log-in, then hourly).
What each officer sees follows accounts.PERMISSIONS, re-read at every log-in (the core checks it
again: counter_app/desk_admin.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from counter_app import clock, desk_admin
from counter_app.desk_admin import BackupDone, BackupState, Login
from counter_app.domain.vn_time import to_vn, vn_day
from counter_app.errors import UserError
from ui import theme
from ui.admin import strings as S
from ui.admin.session import AdminSession, get_session
from ui.desk_client import DeskClient, ignore
from ui.formatting import file_size
from ui.views.widgets import ElidedLabel
from ui.workers import Lane

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

DAILY_CHECK_MS = 60 * 60 * 1000  # look every hour whether today's backup is still to be made


def install(window: MainWindow, client: DeskClient) -> AdminTools:
    """The admin tools of `window` (made once): its menus, the backups, the log-in session."""
    if window.admin is None:
        window.admin = AdminTools(window, client)
    return window.admin


def tools_of(window: MainWindow) -> AdminTools:
    assert window.admin is not None, "install() first"
    return window.admin


def when_text(at: datetime, now: datetime | None = None) -> str:
    now = now or clock.now()
    local = to_vn(at)
    if local.date() == vn_day(now):
        return f"{local:%H:%M} hôm nay"
    return f"{local:%H:%M %d/%m/%Y}"


class AdminTools(QObject):
    def __init__(self, window: MainWindow, client: DeskClient) -> None:
        super().__init__(window)
        self.backup_lane: Lane | None = None  # its own lane: a backup of a big store must not hold up saves
        self.setObjectName("admin_tools")
        self.window = window
        self.client = client
        self.session: AdminSession = get_session(window, client)
        self.session.listeners.append(self._logged_in)
        self.interaction = window.interaction
        self.tabs = window.tabs
        self.report_view = None
        self.audit_view = None
        self.last_backup: datetime | None = None
        self.backup_running = False
        self.backups_done = 0
        self.backup_error = ""
        self._started_backups = False
        self.due: bool | None = None  # the core's last answer to "is a backup due" (None: not asked yet)
        self._build_actions()
        self.backup_label = window.add_status_segment("backup", ElidedLabel(S.Backup.STATUS_NONE))
        self._daily = QTimer(self)
        self._daily.setInterval(DAILY_CHECK_MS)
        self._daily.timeout.connect(self._daily_check)
        # As soon as the store is open (now, if it already is), say when the last backup was.
        if window.office is not None:
            self.client.call(desk_admin.backup_state, self._state_known, ignore)
        else:
            window.ready.connect(lambda: self.client.call(desk_admin.backup_state, self._state_known, ignore))
        self._apply(None)

    # --- menus ------------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], None], *, keys: str = "", name: str = "") -> QAction:
        act = QAction(text, self.window)
        act.setObjectName(name)
        if keys:
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(act)
        act.triggered.connect(slot)
        return act

    def _build_actions(self) -> None:
        M = S.Menu  # noqa: N806
        self.act_backup = self._action(M.BACKUP_NOW, lambda: self.backup_now(), name="act_backup_now")
        self.act_password = self._action(M.PASSWORD, self.change_password, name="act_password")
        self.act_lock = self._action(M.LOCK, lambda: self.session.lock(manual=True), keys="Ctrl+L", name="act_lock")
        self.act_logout = self._action(M.LOGOUT, self.session.log_out, keys="Ctrl+Shift+L", name="act_logout")
        self.act_settings = self._action(M.SETTINGS, self.show_settings, name="act_office_settings")
        self.act_reports = self._action(M.REPORTS, self.show_reports, name="act_reports")
        self.act_audit = self._action(M.AUDIT, self.show_audit, name="act_audit")
        self.act_accounts = self._action(M.ACCOUNTS, self.show_accounts, name="act_accounts")
        self.act_folder = self._action(M.BACKUP_FOLDER, self.choose_backup_folder, name="act_backup_folder")
        self.act_idle = self._action(M.IDLE, self.choose_idle, name="act_idle")
        self.act_restore = self._action(M.RESTORE, self.explain_restore, name="act_restore")
        # permission -> actions; None: every logged-in officer
        self.permissions: dict[str | None, tuple[QAction, ...]] = {
            None: (self.act_backup, self.act_password, self.act_lock, self.act_logout),
            "reports": (self.act_reports,),
            "audit": (self.act_audit,),
            "accounts": (self.act_accounts,),
            "settings": (self.act_settings, self.act_folder, self.act_idle, self.act_restore),
        }
        file_menu, quit_act = self.window.menus["file"], self.window.keys.quit
        for act in (self.act_backup, self.act_password, self.act_lock, self.act_logout):
            file_menu.insertAction(quit_act, act)
        file_menu.insertSeparator(quit_act)
        self.admin_menu = QMenu(S.Menu.ADMIN, self.window)
        self.admin_menu.setObjectName("admin_menu")
        self.admin_menu.addAction(self.act_reports)
        self.admin_menu.addAction(self.act_audit)
        self.admin_menu.addSeparator()
        self.admin_menu.addAction(self.act_accounts)
        self.admin_menu.addAction(self.act_settings)
        self.admin_menu.addAction(self.act_folder)
        self.admin_menu.addAction(self.act_idle)
        self.admin_menu.addAction(self.act_restore)
        self.window.add_menu(self.admin_menu)

    def _apply(self, login: Login | None) -> None:
        """Show and enable what this officer may use; hide the rest (an officer sees no admin menu)."""
        for permission, actions in self.permissions.items():
            allowed = login is not None and (permission is None or permission in login.permissions)
            for act in actions:
                act.setVisible(allowed)
                act.setEnabled(allowed)
        self.admin_menu.menuAction().setVisible(any(a.isVisible() for a in self.admin_menu.actions()
                                                    if not a.isSeparator()))
        self._sync_tabs(login)

    def _sync_tabs(self, login: Login | None) -> None:
        if self.tabs is None:
            return
        for permission, attr in (("reports", "report_view"), ("audit", "audit_view")):
            view = getattr(self, attr)
            allowed = login is not None and permission in login.permissions
            if view is not None and not allowed:
                index = self.tabs.indexOf(view)
                if index >= 0:
                    self.tabs.removeTab(index)
                view.deleteLater()
                setattr(self, attr, None)

    def _logged_in(self, login: Login) -> None:
        self._apply(login)
        if not self._started_backups:
            self._started_backups = True
            self.client.call(desk_admin.backup_state, self._state_known, ignore)
            # After the log-in and the first screens: queued behind them on the store lane.
            QTimer.singleShot(0, self._daily_check)
            self._daily.start()

    # --- tabs -------------------------------------------------------------------------------------

    def _add_tab(self, view: QObject, title: str) -> None:
        assert self.tabs is not None
        if self.tabs.indexOf(view) < 0:
            self.tabs.addTab(view, title)
        self.tabs.setCurrentWidget(view)

    def show_reports(self) -> None:
        if not self.session.may("reports") or self.tabs is None:
            return
        if self.report_view is None:
            from ui.views.report_view import ReportView

            self.report_view = ReportView(self.client, interaction=self.interaction)
        self._add_tab(self.report_view, S.Menu.TAB_REPORTS)
        self.report_view.refresh()

    def show_audit(self) -> None:
        if not self.session.may("audit") or self.tabs is None:
            return
        if self.audit_view is None:
            from ui.views.audit_view import AuditView

            self.audit_view = AuditView(self.client)
        self._add_tab(self.audit_view, S.Menu.TAB_AUDIT)
        self.audit_view.load_newest()

    def show_accounts(self) -> None:
        if not self.session.may("accounts"):
            return
        from ui.dialogs.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.window, self.client, self.session.login.username,
                                interaction=self.interaction)
        self.accounts_dialog = dialog
        dialog.show()
        dialog.reload()

    def show_settings(self) -> None:
        if not self.session.may("settings"):
            return
        from ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.window, self.client, self.interaction)
        self.settings_dialog = dialog
        dialog.saved.connect(lambda: self._say(S.Settings.SAVED, "success"))
        dialog.show()
        dialog.reload()

    # --- password and lock ------------------------------------------------------------------------

    def change_password(self) -> None:
        login = self.session.login
        if login is None:
            return
        from ui.dialogs.password_dialog import PasswordDialog

        dialog = PasswordDialog(self.window, login.full_name)
        self.password_dialog = dialog

        def done(_: object) -> None:
            dialog.accept()
            self._say(S.Password.DONE, "success")

        dialog.on_submit = lambda old, new: self.client.call(
            lambda d: desk_admin.change_password(d, old, new), done, dialog.show_error)
        dialog.show()

    # --- backups ----------------------------------------------------------------------------------

    def _state_known(self, state: BackupState) -> None:
        if state.last_at is not None and self.last_backup is None:
            self.last_backup = state.last_at
            if not self.backup_running and not self.backup_error:
                self.backup_label.setText(S.Backup.STATUS_AT.format(when=when_text(state.last_at)))

    def backup_now(self, *, automatic: bool = False) -> None:
        if self.backup_running:
            return
        self.backup_running = True
        self.backup_label.setText(S.Backup.STATUS_RUNNING)
        if self.backup_lane is None:
            self.backup_lane = Lane("backup", self)
        self.client.call_on(self.backup_lane, lambda d: desk_admin.run_backup(d, automatic=automatic),
                            lambda done: self._backed_up(done, automatic), self._backup_failed)

    def _backed_up(self, done: BackupDone, automatic: bool) -> None:
        self.backup_running = False
        self.backup_error = ""
        self.backups_done += 1
        self.last_backup = done.at
        self.backup_label.setStyleSheet(theme.STATUS_SEGMENT_STYLE)
        self.backup_label.setText(S.Backup.STATUS_AT.format(when=when_text(done.at)))
        self.backup_label.setToolTip(str(done.path))
        message = S.Backup.DONE.format(path=done.path, size=file_size(done.size))
        self.window.statusBar().showMessage(message, 15_000)
        if not automatic:
            self._say(message, "success")

    def _backup_failed(self, error: Exception) -> None:
        self.backup_running = False
        text = error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
        self.backup_error = text
        self.backup_label.setStyleSheet(theme.STATUS_SEGMENT_STYLE + " " + theme.ERROR_TEXT_STYLE)
        self.backup_label.setText(S.Backup.STATUS_FAILED)
        self.backup_label.setToolTip(text)
        message = S.Backup.FAILED.format(message=text)
        self.window.statusBar().showMessage(message, 60_000)
        self._say(message, "warning")

    def _daily_check(self) -> None:
        """The automatic backup, when the core says today's is still to be made."""
        def answered(due: bool) -> None:
            self.due = due
            if due:
                self.backup_now(automatic=True)

        self.client.call(lambda d: desk_admin.backup_due(d), answered, ignore)

    def choose_backup_folder(self) -> None:
        if not self.session.may("settings"):
            return
        def ask(state: BackupState) -> None:
            chosen = self.interaction.choose_folder(self.window, S.Backup.CHOOSE_FOLDER, str(state.folder))
            if not chosen:
                return
            folder = str(Path(chosen))
            value = "" if Path(folder) == state.default_folder else folder
            self.client.call(lambda d: d.set_setting(desk_admin.BACKUP_FOLDER_KEY, value),
                             lambda _: self._say(S.Backup.FOLDER_SET.format(folder=folder), "success"),
                             self._error)

        self.client.call(desk_admin.backup_state, ask, self._error)

    def choose_idle(self) -> None:
        if not self.session.may("settings"):
            return
        current = int(self.session.login.idle_minutes)
        n = self.interaction.ask_number(self.window, S.Backup.IDLE_ASK, current, 1, 240)
        if n is None:
            return
        self.client.call(lambda d: d.set_setting(desk_admin.IDLE_KEY, n),
                         lambda _: self._say(S.Backup.IDLE_SET.format(n=n), "success"), self._error)

    def explain_restore(self) -> None:
        def show(state: BackupState) -> None:
            example = state.last_path or str(state.folder / "quaymotcua-YYYYMMDD-HHMMSS.qmcbak")
            self.interaction.inform(self.window, S.Backup.RESTORE_HOW.format(
                example=example, folder=state.folder, default=state.default_folder))

        self.client.call(desk_admin.backup_state, show, self._error)

    # --- messages ---------------------------------------------------------------------------------

    def _say(self, text: str, level: str = "info") -> None:
        self.window.show_message(text, level)

    def _error(self, error: Exception) -> None:
        self.window.show_error(error)  # a UserError is said; anything else is a bug and reaches the log


__all__ = ["AdminTools", "install", "tools_of"]
