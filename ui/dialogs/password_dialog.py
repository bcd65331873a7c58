"""Change one's own password: the current one, the new one twice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from counter_app.errors import UserError
from ui.admin.strings import Account as A
from ui.admin.strings import Password as S
from ui.views.widgets import dialog_buttons, error_line


class PasswordDialog(QDialog):
    def __init__(self, parent: QWidget | None, full_name: str) -> None:
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.setWindowTitle(S.TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(440)
        self.on_submit: Callable[[str, str], None] | None = None
        heading = QLabel(S.HEADING.format(name=full_name))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.old, self.new, self.repeat = QLineEdit(), QLineEdit(), QLineEdit()
        form = QFormLayout()
        for editor, name, label in ((self.old, "old", S.OLD), (self.new, "new", S.NEW),
                                    (self.repeat, "repeat", S.REPEAT)):
            editor.setObjectName(f"password_{name}")
            editor.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, editor)
        self.new.setPlaceholderText(A.PASSWORD_HINT)
        self.error = error_line("password_error")
        buttons, self.ok = dialog_buttons(S.OK, S.CANCEL, self._submit, self.reject)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.old.setFocus()

    def show_error(self, error: Exception | str) -> None:
        self.ok.setEnabled(True)
        self.error.setText(error.message if isinstance(error, UserError) else str(error))
        self.error.show()

    def _submit(self) -> None:
        if self.new.text() != self.repeat.text():
            self.show_error(A.MISMATCH)
            self.repeat.setFocus()
            return
        self.ok.setEnabled(False)
        self.error.hide()
        if self.on_submit is not None:
            self.on_submit(self.old.text(), self.new.text())
