"""Who sits at the counter: log-in at start, the first admin on a fresh machine, the idle lock, and
the window's hold on its data folder.

ui/app.py calls `hold_instance_lock(data_dir)` before building the window and
`require_login(window, client)` once `window.start()` has queued the store's opening. Every check
runs on the store lane through counter_app.desk_admin; answers come back as plain callbacks (no
Python signal emits: ui/__init__.py). While nobody is logged in a curtain covers the window's
screens, so a locked counter shows no citizen's name, and nothing under it is touched: the form
being typed is exactly as it was after the log-in.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from counter_app import desk_admin
from counter_app.desk_admin import Login
from counter_app.errors import UserError
from ui import theme
from ui.admin import strings as S
from ui.admin.single_instance import SingleInstance, bring_to_front, knock
from ui.desk_client import DeskClient
from ui.dialogs.account_dialog import AccountDialog
from ui.dialogs.login_dialog import LoginDialog
from ui.interaction import Interaction

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

log = logging.getLogger(__name__)
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
             QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.TouchBegin}

# --- one window per data folder --------------------------------------------------------------------

_instance: SingleInstance | None = None


def hold_instance_lock(data_dir: str | Path | None, *, inform: Callable[[str], None] | None = None) -> bool:
    """Claim the data folder for this window's lifetime (call after the QApplication exists).
    False: another window has it; that one is asked to come to the front, the officer is told
    "Quầy Một Cửa đang mở", and the caller must exit without opening a window."""
    global _instance
    from counter_app.config import data_dir as resolve

    directory = resolve(data_dir)
    if _instance is not None and _instance.directory == directory:
        return True
    claim = SingleInstance(directory, QApplication.instance())
    if claim.claim():
        _instance = claim
        return True
    knock(directory)
    message = S.Instance.ALREADY_OPEN.format(folder=directory)
    if inform is not None:
        inform(message)
    else:
        Interaction().inform(None, message)  # before any window: nothing to answer for it
    return False


def release_instance_lock() -> None:
    """Tests, and a window that closes before the process ends."""
    global _instance
    if _instance is not None:
        _instance.release()
        _instance = None


def instance_holder() -> SingleInstance | None:
    return _instance


# --- log-in ----------------------------------------------------------------------------------------


def require_login(window: MainWindow, client: DeskClient) -> AdminSession:
    """Cover the window and ask who is there (or, on a fresh store, create the admin)."""
    session = get_session(window, client)
    session.start()
    return session


def get_session(window: MainWindow, client: DeskClient) -> AdminSession:
    """The window's log-in session (made once)."""
    if window.session is None:
        window.session = AdminSession(window, client)
    return window.session


class Curtain(QWidget):
    """Covers the screens while nobody is logged in; they stay alive, untouched, underneath."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("login_curtain")
        self.text = ""
        self.setAutoFillBackground(False)
        host.installEventFilter(self)
        self.hide()

    def cover(self, text: str) -> None:
        self.text = text
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.LOCK_SCREEN))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(theme.INFO.text))
        top = self.rect().adjusted(0, 0, 0, -self.height() // 2 - 140)
        p.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, S.APP)
        font.setPointSizeF(self.font().pointSizeF() * 1.3)
        font.setBold(False)
        p.setFont(font)
        p.setPen(QColor(theme.TEXT))
        below = self.rect().adjusted(0, self.height() // 2 - 134, 0, 0)
        p.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.text)
        p.end()


class IdleWatch(QObject):
    """Any key, click or mouse move anywhere in the application counts as activity."""

    def __init__(self, on_idle: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._on_idle = on_idle
        self._last = time.monotonic()
        self._limit = 0.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)

    def start(self, minutes: float) -> None:
        self._limit = minutes * 60
        self._last = time.monotonic()
        self._timer.start(int(max(50, min(15_000, self._limit * 1000 / 4))))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _ACTIVITY:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if time.monotonic() - self._last >= self._limit:
            self._on_idle()


class AdminSession(QObject):
    def __init__(self, window: MainWindow, client: DeskClient) -> None:
        super().__init__(window)
        self.setObjectName("admin_session")
        self.window = window
        self.client = client
        self.login: Login | None = None
        self.dialog: LoginDialog | AccountDialog | None = None
        self.listeners: list[Callable[[Login | None], None]] = []  # install.py's menus and tabs
        self.logins = 0
        self.logged_in_at: float | None = None  # time.perf_counter() of the last log-in (the bench)
        self.curtain = Curtain(window.centralWidget())
        self.idle = IdleWatch(self.lock_idle, self)
        self._focus: QWidget | None = None
        self._started = False
        self._retries = 0

    # --- start ------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.curtain.cover(S.Login.CURTAIN)
        self._ask_accounts()

    def _ask_accounts(self) -> None:
        self.client.call(desk_admin.has_accounts, self._accounts_known, self._not_open_yet, plain=True)

    def _not_open_yet(self, error: Exception) -> None:
        # require_login called before window.start() queued the opening, or the store is still
        # opening behind a slow migration: ask again shortly. A store that failed to open has
        # already said so in the window's message bar.
        if isinstance(error, RuntimeError) and "not open" in str(error) and self._retries < 600:
            self._retries += 1
            QTimer.singleShot(100, self._ask_accounts)
        else:
            log.error("cannot ask for the accounts", exc_info=error)

    def _accounts_known(self, has_accounts: bool) -> None:
        self._when_office(lambda: self._ask(has_accounts))

    def _when_office(self, then: Callable[[], None]) -> None:
        """After the office exists (the setup dialog of a fresh store comes first)."""
        if self.window.office is not None:
            then()
        elif self.window.isVisible():
            QTimer.singleShot(200, lambda: self._when_office(then))

    def _ask(self, has_accounts: bool) -> None:
        if has_accounts:
            self._show_login(locked=False)
        else:
            self._show_first_admin()

    def _show_first_admin(self) -> None:
        dialog = AccountDialog(self.window, first_admin=True)
        self.dialog = dialog

        def submit(values: dict) -> None:
            self.client.call(lambda d: desk_admin.create_first_admin(d, values["username"], values["full_name"],
                                                                     values["password"]),
                             self._logged_in, dialog.show_error)

        dialog.on_submit = submit
        dialog.on_cancel = self._quit
        self._present(dialog)

    def _show_login(self, *, locked: bool, manual: bool = False) -> None:
        username = self.login.username if self.login is not None else ""
        idle = None if manual or self.login is None else self.login.idle_minutes
        dialog = LoginDialog(self.window, locked=locked, username=username, idle_minutes=idle)
        self.dialog = dialog

        def failed(error: Exception) -> None:
            if isinstance(error, UserError):
                dialog.show_error(error.message)
            else:
                dialog.show_error(str(error))
                log.error("log-in failed unexpectedly", exc_info=error)

        def submit(name: str, password: str) -> None:
            self.client.call(lambda d: desk_admin.login(d, name, password), self._logged_in, failed)

        dialog.on_submit = submit
        dialog.on_quit = self._quit
        self._present(dialog)

    def _present(self, dialog: QWidget) -> None:
        dialog.show()
        dialog.raise_()  # on top even where no window manager stacks it (a kiosk session)
        dialog.activateWindow()

    def _quit(self) -> None:
        if self.dialog is not None:
            self.dialog.finish()
            self.dialog = None
        self.window.close()

    # --- logged in --------------------------------------------------------------------------------

    def _logged_in(self, login: Login) -> None:
        self.logged_in_at = time.perf_counter()
        if self.dialog is not None:
            self.dialog.finish()
            self.dialog = None
        self.login = login
        self.logins += 1
        self._show_officer(login)
        self.curtain.hide()
        self.idle.start(login.idle_minutes)
        for listener in list(self.listeners):
            listener(login)
        if self._focus is not None:
            try:
                self.window.activateWindow()
                self._focus.setFocus()
            except RuntimeError:  # the widget went away meanwhile
                pass
            self._focus = None

    def _show_officer(self, login: Login | None) -> None:
        # Only what the officer reads: who acts is held by the desk (counter_app/desk.py), set by
        # the log-in itself on the store lane.
        self.window.show_officer(S.Status.OFFICER.format(name=login.full_name, role=login.role_label) if login
                                 else S.Status.NOBODY)

    # --- log out ----------------------------------------------------------------------------------

    def log_out(self) -> None:
        """Đăng xuất: the counter PC changes hands. An intake being typed is the leaving officer's:
        it is given up only when they say so, and the next officer starts on a clean form."""
        if self.login is None or self.dialog is not None:
            return
        if self.window.intake.is_dirty() and not self.window.interaction.confirm(self.window, S.Logout.DISCARD_INTAKE):
            return
        self.client.call(desk_admin.logout, lambda _: self._logged_out(), self._logout_failed)

    def _logged_out(self) -> None:
        self.idle.stop()
        self.login = None
        self._focus = None
        self._show_officer(None)
        self.window.start_over()  # back to an empty intake: nothing of the last citizen for the next officer
        for listener in list(self.listeners):
            listener(None)
        self.curtain.cover(S.Login.CURTAIN)
        self._show_login(locked=False)

    def _logout_failed(self, error: Exception) -> None:
        log.error("log-out failed", exc_info=error)
        self._logged_out()  # the desk keeps nobody either way: the next log-in sets the actor

    def may(self, permission: str) -> bool:
        return self.login is not None and permission in self.login.permissions

    # --- lock -------------------------------------------------------------------------------------

    def lock_idle(self) -> None:
        self.lock(manual=False)

    def lock(self, *, manual: bool = True) -> None:
        if self.login is None or self.dialog is not None:
            return
        self.idle.stop()
        self._focus = QApplication.focusWidget() or self.window.focusWidget()
        self.curtain.cover(S.Login.CURTAIN_LOCKED)
        self._show_login(locked=True, manual=manual)

    @property
    def locked(self) -> bool:
        return self.curtain.isVisible()


__all__ = ["AdminSession", "bring_to_front", "get_session", "hold_instance_lock", "release_instance_lock",
           "require_login"]
