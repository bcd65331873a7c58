"""First run: the store has no office yet. A short dialog instead of a crash: the agency code
(its shape checked as it is typed), the names, the place and this counter's number."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app import desk
from ui import strings, theme
from ui.views.widgets import Field, dialog_buttons, error_line, heading_label, lay_out, show_refusal

S = strings.Setup


class SetupDialog(QDialog):
    submitted = Signal(dict)  # init_office's keywords; the window runs it on the store lane

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(S.TITLE)
        self.setObjectName("setup_dialog")
        self.setMinimumWidth(560)
        heading = heading_label(S.HEADING)
        intro = QLabel(S.INTRO)
        intro.setWordWrap(True)
        self.editors: dict[str, QLineEdit | QSpinBox] = {}
        self.fields: dict[str, Field] = {}
        for name, hint in (("agency_code", S.AGENCY_CODE_HINT), ("agency_name", S.AGENCY_NAME_HINT),
                           ("office_name", S.OFFICE_NAME_HINT), ("place", S.PLACE_HINT)):
            editor = QLineEdit()
            editor.setObjectName(name)
            editor.setPlaceholderText(hint)
            editor.textEdited.connect(self._changed)
            self.editors[name] = editor
            self.fields[name] = Field(editor)
        counter = QSpinBox()
        counter.setObjectName("counter")
        counter.setRange(0, 9)
        counter.setMaximumWidth(80)
        self.editors["counter"] = counter
        self.fields["counter"] = Field(counter)
        for name, hint in (("passphrase", S.PASSPHRASE_HINT), ("passphrase_again", "")):
            editor = QLineEdit()
            editor.setObjectName(name)
            editor.setPlaceholderText(hint)
            editor.setEchoMode(QLineEdit.EchoMode.Password)
            editor.textEdited.connect(self._changed)
            self.editors[name] = editor
            self.fields[name] = Field(editor)
        passphrase_note = QLabel(S.PASSPHRASE_NOTE)
        passphrase_note.setWordWrap(True)
        passphrase_note.setStyleSheet(theme.HINT_STYLE)
        counter_note = QLabel(S.COUNTER_NOTE)
        counter_note.setWordWrap(True)
        counter_note.setStyleSheet(theme.HINT_STYLE)
        self.code_check = self.fields["agency_code"].error  # the live shape check speaks here
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(S.AGENCY_CODE, self.fields["agency_code"])
        form.addRow(S.AGENCY_NAME, self.fields["agency_name"])
        form.addRow(S.OFFICE_NAME, self.fields["office_name"])
        form.addRow(S.PLACE, self.fields["place"])
        form.addRow(S.COUNTER, self.fields["counter"])
        form.addRow("", counter_note)
        form.addRow(S.PASSPHRASE, self.fields["passphrase"])
        form.addRow(S.PASSPHRASE_AGAIN, self.fields["passphrase_again"])
        form.addRow("", passphrase_note)
        self.general_error = error_line("setup_error")
        self.buttons, self.ok = dialog_buttons(S.OK, S.CANCEL, self._submit, self.reject, accept_name="setup_ok")
        lay_out(QVBoxLayout(self), heading, intro, form, self.general_error, self.buttons)
        self._changed()

    def values(self) -> dict[str, Any]:
        return {
            "agency_code": self.editors["agency_code"].text().strip().upper(),
            "agency_name": self.editors["agency_name"].text().strip(),
            "office_name": self.editors["office_name"].text().strip(),
            "place": self.editors["place"].text().strip(),
            "counter": self.editors["counter"].value(),
            "passphrase": self.editors["passphrase"].text() or None,  # none: the store's code is shown
        }

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy and self._valid())
        self.ok.setText(S.SAVING if busy else S.OK)

    def show_error(self, error: Exception) -> None:
        self.set_busy(False)
        show_refusal(self.fields, self.general_error, error)

    def _valid(self) -> bool:
        return (not desk.agency_code_problem(self.editors["agency_code"].text()) and bool(self.values()["agency_name"])
                and not self._passphrase_problem())

    def _passphrase_problem(self) -> str:
        first, again = self.editors["passphrase"].text(), self.editors["passphrase_again"].text()
        if not first and not again:
            return ""
        if len(first.strip()) < 10:
            return S.PASSPHRASE_SHORT
        return S.PASSPHRASE_DIFFERENT if again != first else ""

    def _changed(self) -> None:
        code = self.editors["agency_code"].text()
        problem = desk.agency_code_problem(code) if code.strip() else ""
        self.fields["agency_code"].set_error(problem)
        if code.strip() and not problem:
            self.code_check.setText(S.AGENCY_CODE_OK)
            self.code_check.setStyleSheet(f"color: {theme.SUCCESS.text};")
            self.code_check.show()
        else:
            self.code_check.setStyleSheet(f"color: {theme.ERROR.text};")
        self.fields["agency_name"].set_error("")
        # Said once the second field has something in it: not while the first is still being typed.
        typed_again = bool(self.editors["passphrase_again"].text())
        self.fields["passphrase_again"].set_error(self._passphrase_problem() if typed_again else "")
        self.general_error.hide()
        self.ok.setEnabled(self._valid())

    def _submit(self) -> None:
        if not self._valid():
            problem = desk.agency_code_problem(self.editors["agency_code"].text())
            if problem:
                self.fields["agency_code"].set_error(problem)
            if not self.values()["agency_name"]:
                self.fields["agency_name"].set_error(S.NEED_NAME)
            if self._passphrase_problem():
                self.fields["passphrase_again"].set_error(self._passphrase_problem())
            return
        self.set_busy(True)
        self.submitted.emit(self.values())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # Enter while something is missing: say what, beside its field (Qt would do nothing).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.ok.isEnabled():
            self._submit()
            return
        super().keyPressEvent(event)
