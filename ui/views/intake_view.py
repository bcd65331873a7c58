"""The intake form, in the order of the paper form: the applicant, the procedure, the documents
handed in, channel, sets and note; the appointment time shown live; nothing saved until valid.

The view only collects and shows: the main window runs the saves and the due-time previews on the
store lane and hands the answers back (`show_due`, `show_saved`, `show_save_error`).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app import desk
from counter_app.domain.vn_time import vn_datetime
from counter_app.errors import UserError
from ui import strings, theme
from ui.views.documents_box import DocumentsBox
from ui.views.procedure_picker import ProcedurePicker
from ui.views.widgets import Field, enlarge, lay_out, push_button, titled_box

if TYPE_CHECKING:
    from counter_app.desk import DuePreview
    from counter_app.desk_types import Saved
    from counter_app.services.catalogue import ProcedureSpec

S = strings.Intake
# The officer moved on from a field. Not: another window or a dialog took the keyboard (F1, the lock
# screen, a question), a menu or a popup opened — the officer may still be typing that number.
_LEFT = {Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.MouseFocusReason,
         Qt.FocusReason.ShortcutFocusReason, Qt.FocusReason.OtherFocusReason}
APPLICANT_FIELDS = ("full_name", "id_number", "birth_date", "gender", "address", "phone", "email")


class IntakeView(QWidget):
    refuse_requested = Signal(object)
    save_requested = Signal(dict, bool)  # the contract's intake object; print the slip after saving
    procedure_changed = Signal(str)  # the chosen procedure's code ("" when none): preview its due time
    new_requested = Signal()  # the "new intake" button: the window asks first if something is typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._card_qr = ""  # the last ID-card QR read, sent along while its number is in the form
        self._card_number = ""
        self._saving = False
        self.preview: DuePreview | None = None  # the appointment shown, for the procedure chosen

        # --- applicant ---
        self.scan_card_button = QPushButton(S.SCAN_CARD)
        self.scan_card_button.setObjectName("scan_card")
        self.scan_card_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F6 is its keyboard way
        self.scan_card_button.clicked.connect(self.start_card_scan)
        self.card_input = QLineEdit()
        self.card_input.setObjectName("id_qr")
        self.card_input.setPlaceholderText(S.SCAN_CARD_HINT)
        self.card_input.returnPressed.connect(lambda: self.fill_from_card(self.card_input.text()))
        self.card_input.hide()
        self.card_notice = QLabel()
        self.card_notice.setObjectName("card_notice")
        self.card_notice.setWordWrap(True)
        self.card_notice.setStyleSheet(theme.notice_style(theme.WARNING))
        self.card_notice.hide()

        self.editors: dict[str, QWidget] = {}
        self.fields: dict[str, Field] = {}
        for name in APPLICANT_FIELDS:
            editor: QWidget
            if name == "gender":
                editor = QComboBox()
                editor.addItems(list(S.GENDERS))
            else:
                editor = QLineEdit()
                editor.textEdited.connect(lambda _t, n=name: self._edited(n))
                editor.installEventFilter(self)  # judged when left (eventFilter), not while being typed
            editor.setObjectName(name)
            self.editors[name] = editor
            self.fields[name] = Field(editor)
        self.editors["birth_date"].setPlaceholderText(S.BIRTH_DATE_HINT)
        self.editors["birth_date"].setMaximumWidth(160)
        self.editors["id_number"].setMaximumWidth(220)
        self.editors["gender"].setMaximumWidth(120)
        self.editors["phone"].setMaximumWidth(220)
        applicant = QGroupBox(S.APPLICANT)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = (S.FULL_NAME, S.ID_NUMBER, S.BIRTH_DATE, S.GENDER, S.ADDRESS, S.PHONE, S.EMAIL)
        for name, text in zip(APPLICANT_FIELDS, labels, strict=True):
            form.addRow(text, self.fields[name])
        card_row = QVBoxLayout()
        card_row.addWidget(self.scan_card_button, 0, Qt.AlignmentFlag.AlignLeft)
        card_row.addWidget(self.card_input)
        card_row.addWidget(self.card_notice)
        applicant_box = QVBoxLayout(applicant)
        applicant_box.addLayout(card_row)
        applicant_box.addLayout(form)

        # --- appointment ---
        due_box = QGroupBox(S.DUE)
        self.due_label = QLabel(S.DUE_NONE)
        self.due_label.setObjectName("due_text")
        self.due_label.setWordWrap(True)
        self.due_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        enlarge(self.due_label, 1.35, bold=True)
        self.received_label = QLabel()
        self.received_label.setObjectName("received_text")
        self.received_label.setWordWrap(True)
        self.due_warning = QLabel()
        self.due_warning.setObjectName("due_warning")
        self.due_warning.setWordWrap(True)
        self.due_warning.setStyleSheet(theme.notice_style(theme.WARNING))
        self.due_warning.hide()
        lay_out(QVBoxLayout(due_box), self.due_label, self.received_label, self.due_warning)

        # --- what was saved last ---
        self.saved_panel = QFrame()
        self.saved_panel.setObjectName("saved_panel")
        ok = theme.SUCCESS
        self.saved_panel.setStyleSheet(f"#saved_panel {{ background: {ok.background}; border: 1px solid {ok.text}; "
                                       f"border-radius: 4px; }} QLabel {{ color: {ok.text}; }}")
        self.saved_code = QLabel()
        self.saved_code.setObjectName("saved_code")
        self.saved_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        enlarge(self.saved_code, 1.35, bold=True)
        self.saved_text = QLabel()
        self.saved_text.setObjectName("saved_text")
        self.saved_text.setWordWrap(True)
        saved_column = QVBoxLayout(self.saved_panel)
        saved_column.addWidget(self.saved_code)
        saved_column.addWidget(self.saved_text)
        self.saved_panel.hide()

        # --- procedure and documents ---
        self.picker = ProcedurePicker()
        self.picker.chosen.connect(self._procedure_chosen)
        self.procedure_field = Field(self.picker)
        self.procedure_field.error.setObjectName("procedure_code_error")
        procedure_box = titled_box(S.PROCEDURE, self.procedure_field)
        self.documents = DocumentsBox()
        self.documents.rows_changed.connect(self._chain_tabs)
        self.documents_field = Field(self.documents)
        self.documents_field.error.setObjectName("documents_error")
        documents_box = titled_box(S.DOCUMENTS, self.documents_field)

        # --- channel, sets, note ---
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for value, text in strings.CHANNELS.items():
            self.channel.addItem(text, value)
        self.sets = QSpinBox()
        self.sets.setObjectName("sets")
        self.sets.setRange(1, 99)
        self.sets.setMaximumWidth(90)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.fields.update({"channel": Field(self.channel), "sets": Field(self.sets), "note": Field(self.note)})
        other_box = QGroupBox(S.OTHER)
        other = QFormLayout(other_box)
        other.addRow(S.CHANNEL, self.fields["channel"])
        other.addRow(S.SETS, self.fields["sets"])
        other.addRow(S.NOTE, self.fields["note"])

        # --- buttons ---
        self.new_button = push_button(S.NEW, "new_intake", self.new_requested)
        self.save_button = push_button(S.SAVE, "save", lambda: self.request_save(print_slip=False))
        self.save_print_button = push_button(S.SAVE_PRINT, "save_print", lambda: self.request_save(print_slip=True))
        # Refusal at intake (status 3, Mẫu 03): the window asks the reason and saves the form refused.
        self.refuse_button = push_button(strings.Act.REFUSE + "…", "refuse_intake", self.request_refusal)

        left = lay_out(QVBoxLayout(), applicant, due_box, self.saved_panel, 1)
        right = lay_out(QVBoxLayout(), procedure_box, (documents_box, 1), other_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        buttons = lay_out(QHBoxLayout(), self.refuse_button, 1)
        for b in (self.new_button, self.save_button, self.save_print_button):
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            buttons.addWidget(b)
        page = QVBoxLayout(self)
        page.addLayout(columns, 1)
        page.addLayout(buttons)
        self._chain_tabs()

    # --- what the window calls ------------------------------------------------------------------

    def set_procedures(self, specs: list[ProcedureSpec]) -> None:
        self.picker.set_procedures(specs)

    def focus_first(self) -> None:
        self.editors["full_name"].setFocus()

    def is_dirty(self) -> bool:
        typed = any(self._value(n) for n in APPLICANT_FIELDS)
        return typed or self.picker.current is not None or self.documents.has_extras() or bool(self.note.text())

    def reset(self) -> None:
        for name in APPLICANT_FIELDS:
            editor = self.editors[name]
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(0)
            else:
                editor.clear()
        for field in self.fields.values():
            field.set_error("")
        self._forget_card()
        self.picker.clear()
        self.documents.clear()
        self.procedure_field.set_error("")
        self.documents_field.set_error("")
        self.channel.setCurrentIndex(0)
        self.sets.setValue(1)
        self.note.clear()
        self.show_due(None)
        self.focus_first()

    def start_card_scan(self) -> None:
        """F6: wait for the card's QR. With scanner detection on, the scan fills the form whichever
        field has the focus; with it off, the scanner types into this box and Enter reads it."""
        self.card_input.clear()
        self.card_input.show()
        self.card_input.setFocus()

    def fill_from_card(self, qr: str) -> None:
        """Fill the applicant from an ID-card QR for the officer to confirm. UserError (a clear
        message) for a half-read or garbled QR; then nothing in the form changes."""
        values = desk.read_id_card(qr)
        unreadable = [n for n in values["unreadable"].split(",") if n]
        self.card_input.clear()
        self.card_input.hide()
        for name in APPLICANT_FIELDS:
            value = values.get(name, "")
            editor = self.editors[name]
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findText(value)))
            else:
                editor.setText(value)
            # A letter lost on the way (keyboard-mode scanner): the officer types this one.
            self.fields[name].set_error(strings.Scan.CARD_UNREADABLE_FIELD if name in unreadable else "")
            self.fields[name].mark("fromCard", bool(value))
        self._card_qr, self._card_number = qr.strip(), values["id_number"]
        extra = [f"CMND cũ: {values['old_id_number']}"] if values.get("old_id_number") else []
        if values.get("issue_date"):
            extra.append(f"ngày cấp thẻ: {values['issue_date']}")
        notice = strings.Scan.CARD_FILLED + (f" ({'; '.join(extra)})" if extra else "")
        if unreadable:
            notice += " " + strings.Scan.CARD_UNREADABLE
        self.card_notice.setText(notice)
        self.card_notice.show()
        self.editors[unreadable[0] if unreadable else "address"].setFocus()

    def show_due(self, preview: DuePreview | None, *, pending: bool = False) -> None:
        if pending:
            self.due_label.setText(S.DUE_WAIT)
            return
        self.preview = preview
        if preview is None:
            self.due_label.setText(S.DUE_NONE)
            self.received_label.clear()
            self.due_warning.hide()
            return
        self.due_label.setText(preview.due_text)
        self.received_label.setText(S.RECEIVED.format(text=vn_datetime(preview.received_at)))
        self.due_warning.setText(preview.warning)
        self.due_warning.setVisible(bool(preview.warning))

    def request_save(self, *, print_slip: bool) -> None:
        if self._saving:
            return  # one save at a time: a second Ctrl+S while saving does nothing
        form = self.collect()
        if form is not None:
            self.save_requested.emit(form, print_slip)

    def request_refusal(self) -> None:
        if self._saving:
            return
        form = self.collect()
        if form is not None:
            self.refuse_requested.emit(form)

    def set_saving(self, saving: bool) -> None:
        self._saving = saving
        for b in (self.save_button, self.save_print_button, self.refuse_button):
            b.setEnabled(not saving)
        self.save_button.setText(S.SAVING if saving else S.SAVE)

    def show_saved(self, saved: Saved) -> None:
        name = saved.dossier.applicant_name
        self.saved_code.setText(S.LAST_SAVED.format(code=saved.code))
        lines = [escape(S.SAVED.format(code=saved.code, name=name, due=saved.due_text))]
        lines += [f"⚠ {escape(w)}" for w in saved.warnings]
        self.saved_text.setText("<br>".join(lines))
        self.saved_panel.show()
        self.reset()

    def show_save_error(self, error: UserError) -> bool:
        """Put the message beside its field; False when it belongs to no field (the window shows it)."""
        name = {"applicant": "full_name", "id_qr": "id_number"}.get(error.field or "", error.field or "")
        own = {"procedure_code": (self.procedure_field, self.picker.search),
               "documents": (self.documents_field, self.documents.add_button)}
        target, focus = own.get(name) or (self.fields.get(name), None)
        if target is None:
            return False
        target.set_error(error.message)
        (focus or target.editor).setFocus()
        return True

    def collect(self) -> dict[str, Any] | None:
        """The form as the contract's intake object, or None after showing what must be fixed."""
        applicant = {name: self._value(name) for name in APPLICANT_FIELDS}
        problems = desk.check_fields(applicant)
        spec = self.picker.current
        if spec is None:
            problems["procedure"] = S.NEED_PROCEDURE
        documents = self.documents.documents()
        if spec is not None and not documents:
            problems["documents"] = S.NEED_DOCUMENT
        for name in APPLICANT_FIELDS:
            self.fields[name].set_error(problems.get(name, ""))
        self.procedure_field.set_error(problems.get("procedure", ""))
        self.documents_field.set_error(problems.get("documents", ""))
        if problems:
            self._focus_first_problem(problems)
            return None
        assert spec is not None
        applicant["birth_date"] = desk.birth_date_iso(applicant["birth_date"])
        form: dict[str, Any] = {
            "procedure_code": spec.code,
            "applicant": applicant,
            "documents": documents,
            "channel": self.channel.currentData(),
            "sets": self.sets.value(),
            "note": self.note.text(),
        }
        # The card belongs to the person whose number is in the form; typed over, it is not sent.
        if self._card_qr and applicant["id_number"].replace(" ", "") == self._card_number:
            form["id_qr"] = self._card_qr
        return form

    def problems_shown(self) -> int:
        fields = [*self.fields.values(), self.procedure_field, self.documents_field]
        return sum(1 for f in fields if f.error.isVisibleTo(self))

    # --- inside ---------------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        editor = self.editors[name]
        return editor.currentText() if isinstance(editor, QComboBox) else editor.text().strip()

    def _edited(self, name: str) -> None:
        self.fields[name].set_error("")
        self.fields[name].mark("fromCard", False)  # the officer's own value now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent) and event.reason() in _LEFT:
            name = watched.objectName()
            if name in self.editors and self.editors[name] is watched:
                self._check_one(name)
        return False

    def _check_one(self, name: str) -> None:
        """Leaving a field: say at once what is wrong with it (empty fields wait for the save)."""
        value = self._value(name)
        if not value:
            return
        self.fields[name].set_error(desk.check_fields({name: value}).get(name, ""))
        if name == "birth_date" and not self.fields[name].error.text():
            iso = desk.birth_date_iso(value)
            self.editors[name].setText(f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}")

    def _focus_first_problem(self, problems: dict[str, str]) -> None:
        for name in (*APPLICANT_FIELDS, "procedure", "documents"):
            if name in problems:
                widget = {"procedure": self.picker.search, "documents": self.documents.add_button}.get(name)
                (widget or self.editors[name]).setFocus()
                return

    def _forget_card(self) -> None:
        self._card_qr = self._card_number = ""
        self.card_notice.hide()
        self.card_input.hide()
        for name in APPLICANT_FIELDS:
            self.fields[name].mark("fromCard", False)

    def _procedure_chosen(self, spec: ProcedureSpec | None) -> None:
        self.procedure_field.set_error("")
        self.documents_field.set_error("")
        self.documents.set_documents(spec.documents if spec is not None else ())
        self.procedure_changed.emit(spec.code if spec is not None else "")

    def _chain_tabs(self) -> None:
        """Tab follows the paper form: applicant, procedure, documents, channel, sets, note, save."""
        chain = [self.editors[n] for n in APPLICANT_FIELDS] + [self.picker.search]
        chain += self.documents.focus_widgets()
        chain += [self.channel, self.sets, self.note, self.save_button, self.save_print_button, self.new_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
