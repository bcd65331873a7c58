"""The small dialog every move with something to say opens: hand-over (to whom), supplement (reason
and missing papers), withdrawal and stop (reason), extension (new date/time and reason), refusal at
intake (reason). Ctrl+Enter records, Esc cancels; a refusal from the core (UserError) is shown in
the dialog, which stays open with everything typed: nothing was changed.

`submit` is a plain callback (no signal per job); the caller answers with `failed` or closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.vn_time import VN_TZ
from ui import strings
from ui.views.widgets import accept_close_buttons, error_line

A = strings.Act


class ActionDialog(QDialog):
    """Fields: any of "to_unit", "reason", "missing", "new_due", "note" (in that order)."""

    def __init__(self, parent: QWidget | None, *, title: str, fields: tuple[str, ...], intro: str = "",
                 reason_hint: str = "", current_due: datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("action_dialog")
        self.setWindowTitle(title)
        self.submit: Callable[[dict[str, Any]], None] = lambda _v: None
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        if "to_unit" in fields:
            unit = QLineEdit()
            unit.setPlaceholderText(A.TO_UNIT_HINT)
            self._add(form, "to_unit", A.TO_UNIT, unit)
        if current_due is not None:
            shown = QLabel(f"{current_due:%H:%M, %d/%m/%Y}")
            form.addRow(A.CURRENT_DUE, shown)
        if "new_due" in fields:
            when = QDateTimeEdit()
            when.setDisplayFormat("HH:mm, dd/MM/yyyy")
            when.setCalendarPopup(True)
            when.setTimeZone(QTimeZone(b"Asia/Ho_Chi_Minh"))
            start = current_due or datetime.now(VN_TZ)
            when.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp()), QTimeZone(b"Asia/Ho_Chi_Minh"))
                             .addDays(1))
            self._add(form, "new_due", A.NEW_DUE, when)
        if "reason" in fields:
            reason = QPlainTextEdit()
            reason.setPlaceholderText(reason_hint)
            reason.setTabChangesFocus(True)
            reason.setFixedHeight(reason.fontMetrics().height() * 4 + 12)
            self._add(form, "reason", A.REASON, reason)
        if "missing" in fields:
            missing = QPlainTextEdit()
            missing.setPlaceholderText(A.MISSING_HINT)
            missing.setTabChangesFocus(True)
            missing.setFixedHeight(missing.fontMetrics().height() * 4 + 12)
            self._add(form, "missing", A.MISSING, missing)
        if "note" in fields:
            self._add(form, "note", A.NOTE, QLineEdit())
        self.error = error_line("action_error", bold=True)
        self.ok, cancel = accept_close_buttons(A.OK, A.CANCEL, self.record, self.reject, accept_name="action_ok")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        column = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            column.addWidget(note)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.record)
        self.setMinimumWidth(560)

    def _add(self, form: QFormLayout, name: str, label: str, editor: QWidget) -> None:
        editor.setObjectName(f"action_{name}")
        self.editors[name] = editor
        form.addRow(label, editor)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                out[name] = editor.text().strip()
            elif isinstance(editor, QPlainTextEdit):
                text = editor.toPlainText()
                out[name] = [line.strip() for line in text.splitlines() if line.strip()] if name == "missing" \
                    else text.strip()
            elif isinstance(editor, QDateTimeEdit):
                out[name] = datetime.fromtimestamp(editor.dateTime().toSecsSinceEpoch(), VN_TZ)
        return out

    def set_value(self, name: str, value: Any) -> None:  # noqa: ANN401 - text or a datetime
        editor = self.editors[name]
        if isinstance(editor, QLineEdit):
            editor.setText(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("\n".join(value) if isinstance(value, list | tuple) else value)
        elif isinstance(editor, QDateTimeEdit):
            editor.setDateTime(QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone(b"Asia/Ho_Chi_Minh")))

    def record(self) -> None:
        if not self.ok.isEnabled():
            return
        values = self.values()
        if "to_unit" in values and not values["to_unit"]:
            self.failed(A.NEED_UNIT)
            return
        self.error.hide()
        self.ok.setEnabled(False)
        self.ok.setText(A.WORKING)
        self.submit(values)

    def failed(self, error: Exception | str) -> None:
        """The core refused: say why, keep everything typed."""
        self.error.setText(error if isinstance(error, str) else getattr(error, "message", str(error)))
        self.error.show()
        self.ok.setEnabled(True)
        self.ok.setText(A.OK)
        focus = next(iter(self.editors.values()), None)
        field = getattr(error, "field", None)
        if field in ("reason", "note") and "reason" in self.editors:
            focus = self.editors["reason"]
        if focus is not None:
            focus.setFocus()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().showEvent(event)
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()
