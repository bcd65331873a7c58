"""Log-in at start, and the same dialog over a locked window (the work underneath stays as it was).

The dialog only collects the name and password: the session (ui/admin/session.py) checks them on
the store lane and answers with `show_error` or closes it. No signal is emitted from Python: the
session hands in plain callbacks (PySide6 6.12 leaks on every Python emit, see ui/__init__.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.admin.strings import Login as S
from ui.views.widgets import error_line, heading_label, lay_out

_WAIT_RE = re.compile(r"sau (\d+) giây")


class LoginDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, locked: bool = False, username: str = "",
                 idle_minutes: float | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.locked = locked
        self.setWindowTitle(S.LOCK_TITLE if locked else S.TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(440)
        self.on_submit: Callable[[str, str], None] | None = None
        self.on_quit: Callable[[], None] | None = None
        heading = heading_label(S.LOCK_HEADING if locked else S.HEADING)
        if locked and idle_minutes:
            intro_text = S.LOCK_INTRO.format(minutes=_minutes(idle_minutes))
        else:
            intro_text = S.LOCK_INTRO_MANUAL if locked else S.INTRO
        intro = QLabel(intro_text)
        intro.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("login_username")
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(S.USERNAME, self.username)
        form.addRow(S.PASSWORD, self.password)
        self.error = error_line("login_error", bold=True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(S.OK, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("login_ok")
        self.ok.setDefault(True)
        if not locked:
            quit_button = self.buttons.addButton(S.QUIT, QDialogButtonBox.ButtonRole.RejectRole)
            quit_button.setAutoDefault(False)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self._quit)
        lay_out(QVBoxLayout(self), heading, intro, form, self.error, self.buttons)
        self._busy = False
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        (self.password if username else self.username).setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.activateWindow()
        (self.password if self.username.text() else self.username).setFocus()

    # --- what the session calls -------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setText(S.CHECKING if busy else S.OK)
        self.ok.setEnabled(not busy and not self._wait_left)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()
        match = _WAIT_RE.search(message)
        if match:  # slowed down after repeated failures: the button says how long is left
            self._wait_left = int(match.group(1))
            self._tick(first=True)
            self._countdown.start()

    # --- inside -----------------------------------------------------------------------------------

    def _tick(self, first: bool = False) -> None:
        if not first:
            self._wait_left -= 1
        if self._wait_left <= 0:
            self._wait_left = 0
            self._countdown.stop()
            self.ok.setText(S.OK)
            self.ok.setEnabled(not self._busy)
            return
        self.ok.setEnabled(False)
        self.ok.setText(S.WAIT.format(n=self._wait_left))

    def _submit(self) -> None:
        if self._busy or self._wait_left:
            return
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self.error.setText(S.NEED_BOTH)
            self.error.show()
            (self.username if not name else self.password).setFocus()
            return
        self.error.hide()
        self.set_busy(True)
        if self.on_submit is not None:
            self.on_submit(name, password)

    def _quit(self) -> None:
        if self.locked:
            return  # a locked window opens only with a password
        if self.on_quit is not None:
            self.on_quit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self._quit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.result() == QDialog.DialogCode.Accepted or self.property("finished"):
            event.accept()
            return
        event.ignore()  # the title bar's ✕: the same as Esc
        self._quit()

    def finish(self) -> None:
        """Logged in: close for good."""
        self._countdown.stop()
        self.setProperty("finished", True)
        self.accept()


def _minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")
