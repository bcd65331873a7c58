"""A new officer account: the first admin on a fresh machine, or one the admin adds.

Collects the fields only; the caller creates the account on the store lane and answers with
`show_error` (the service's message, beside its field) or `finish`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.admin.strings import Account as S
from ui.views.widgets import Field, dialog_buttons, error_line, heading_label, show_refusal

# The same labels as counter_app.services.accounts.ROLES, repeated so this dialog opens before the
# lane has imported the services (tests/ui/test_admin.py keeps them equal).
ROLES = {"officer": "Cán bộ tiếp nhận", "leader": "Lãnh đạo", "admin": "Quản trị"}


class AccountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, first_admin: bool = False) -> None:
        super().__init__(parent)
        self.first_admin = first_admin
        self.setObjectName("first_admin_dialog" if first_admin else "account_dialog")
        self.setWindowTitle(S.FIRST_TITLE if first_admin else S.ADD_TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(520)
        self.on_submit: Callable[[dict[str, Any]], None] | None = None
        self.on_cancel: Callable[[], None] | None = None
        heading = heading_label(S.FIRST_HEADING if first_admin else S.ADD_HEADING)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        if first_admin:
            intro = QLabel(S.FIRST_INTRO)
            intro.setWordWrap(True)
            column.addWidget(intro)
        self.editors: dict[str, QLineEdit] = {}
        self.fields: dict[str, Field] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, label, hint, secret in (("username", S.USERNAME, S.USERNAME_HINT, False),
                                          ("full_name", S.FULL_NAME, S.FULL_NAME_HINT, False),
                                          ("password", S.PASSWORD, S.PASSWORD_HINT, True),
                                          ("repeat", S.REPEAT, "", True)):
            editor = QLineEdit()
            editor.setObjectName(f"account_{name}")
            editor.setPlaceholderText(hint)
            if secret:
                editor.setEchoMode(QLineEdit.EchoMode.Password)
            editor.textEdited.connect(self._changed)
            self.editors[name] = editor
            self.fields[name] = Field(editor)
            form.addRow(label, self.fields[name])
            if name == "full_name" and not first_admin:
                self.role = QComboBox()
                self.role.setObjectName("account_role")
                for key, text in ROLES.items():
                    self.role.addItem(text, key)
                form.addRow(S.ROLE, self.role)
        if first_admin:
            self.editors["username"].setText("admin")
        column.addLayout(form)
        self.general_error = error_line()
        column.addWidget(self.general_error)
        self.buttons, self.ok = dialog_buttons(S.CREATE, S.QUIT if first_admin else S.CANCEL, self._submit,
                                               self._cancel, accept_name="account_ok")
        column.addWidget(self.buttons)
        self._busy = False
        (self.editors["full_name"] if first_admin else self.editors["username"]).setFocus()

    def values(self) -> dict[str, Any]:
        role = "admin" if self.first_admin else self.role.currentData()
        return {"username": self.editors["username"].text().strip().lower(),
                "full_name": self.editors["full_name"].text().strip(),
                "role": role, "password": self.editors["password"].text()}

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)
        self.ok.setText(S.SAVING if busy else S.CREATE)

    def show_error(self, error: Exception | str) -> None:
        self.set_busy(False)
        show_refusal(self.fields, self.general_error, error)

    def finish(self) -> None:
        self.setProperty("finished", True)
        self.accept()

    def _changed(self) -> None:
        for field in self.fields.values():
            field.set_error("")
        self.general_error.hide()

    def _submit(self) -> None:
        if self._busy:
            return
        if self.editors["password"].text() != self.editors["repeat"].text():
            self.fields["repeat"].set_error(S.MISMATCH)
            self.editors["repeat"].setFocus()
            return
        self.set_busy(True)
        if self.on_submit is not None:
            self.on_submit(self.values())

    def _cancel(self) -> None:
        if self.on_cancel is not None:
            self.on_cancel()
        if not self.first_admin:
            self.setProperty("finished", True)
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self._cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.property("finished"):
            event.accept()
            return
        event.ignore()
        self._cancel()
