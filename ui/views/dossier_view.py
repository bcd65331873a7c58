"""One dossier: what it is, its history (workflow.history), and the actions its status allows
(docs/rules.md, "Statuses"). An action not allowed from the status is not offered at all; the
core still checks, and its refusal is shown with nothing changed.

The view only shows and asks: its `action_requested(key)` signal goes to the main window, which opens the
action's dialog, runs it on the store lane and answers with `show_dossier`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.desk_types import DossierLife, LifeEvent
from counter_app.domain import actions, event_kinds
from counter_app.domain.statuses import label as status_label
from ui import strings, theme
from ui.formatting import file_size, long_datetime, short_date, short_datetime, working_days
from ui.views.widgets import enlarge, fill_table, read_only_table

S = strings.Dossier
L = strings.Life


class DossierView(QWidget):
    action_requested = Signal(str)
    print_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = ""
        self.dossier: DossierLife | None = None
        self.title = QLabel(S.EMPTY)
        self.title.setObjectName("dossier_code")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        enlarge(self.title, 1.5, bold=True)
        self.values: dict[str, QLabel] = {}
        dossier_box = self._form(S.DOSSIER, [
            ("status", S.STATUS), ("procedure", S.PROCEDURE), ("working_days", S.WORKING_DAYS),
            ("received_at", S.RECEIVED), ("due_at", S.DUE), ("returned_at", S.RETURNED),
            ("recipient", S.RECIPIENT), ("channel", S.CHANNEL), ("sets", S.SETS), ("note", S.NOTE),
            ("officer", S.OFFICER), ("sync", S.SYNC),
        ])
        applicant_box = self._form(S.APPLICANT, [
            ("full_name", S.FULL_NAME), ("id_number", S.ID_NUMBER), ("old_id_number", S.OLD_ID_NUMBER),
            ("birth_date", S.BIRTH_DATE), ("gender", S.GENDER), ("address", S.ADDRESS), ("phone", S.PHONE),
            ("email", S.EMAIL),
        ])
        self.documents = read_only_table(S.DOC_COLUMNS, 1, "dossier_documents", rows=False)
        self.documents.setWordWrap(True)
        documents_box = QGroupBox(S.DOCUMENTS)
        documents_column = QVBoxLayout(documents_box)
        documents_column.addWidget(self.documents)
        self.digitised = QLabel()  # the papers kept as files (show_files; F8 digitises)
        self.digitised.setObjectName("dossier_digitised")
        self.digitised.setWordWrap(True)
        self.digitised.setTextFormat(Qt.TextFormat.PlainText)  # a paper named "<…>" is not markup
        documents_column.addWidget(self.digitised)
        self.history = read_only_table(L.HISTORY_COLUMNS, 4, "dossier_history")
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        history_box = QGroupBox(L.HISTORY)
        QVBoxLayout(history_box).addWidget(self.history)

        self.actions_box = QGroupBox(L.ACTIONS)
        self.actions_box.setObjectName("dossier_actions")
        actions_column = QVBoxLayout(self.actions_box)
        self.action_buttons: dict[str, QPushButton] = {}
        for key, text in L.BUTTONS.items():
            if key == "slip":
                continue  # the print button below is the slip's
            button = QPushButton(text)
            button.setObjectName(f"action_{key}")
            button.setStyleSheet("text-align: left; padding: 6px 10px;")
            button.clicked.connect(lambda _c=False, k=key: self.action_requested.emit(k))
            self.action_buttons[key] = button
            if key == "control":
                actions_column.addSpacing(12)
            actions_column.addWidget(button)
        self.no_actions = QLabel(L.NO_ACTIONS)
        self.no_actions.setWordWrap(True)
        self.no_actions.setStyleSheet(theme.HINT_STYLE)
        actions_column.insertWidget(0, self.no_actions)
        actions_column.addStretch(1)

        self.print_button = QPushButton(L.BUTTONS["slip"])
        self.print_button.setObjectName("print_slip")
        self.print_button.setStyleSheet("text-align: left; padding: 6px 10px;")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.code))
        self.action_buttons["slip"] = self.print_button
        actions_column.insertWidget(actions_column.indexOf(self.action_buttons["control"]), self.print_button)
        back = QPushButton(S.BACK)
        back.clicked.connect(self.back_requested)
        actions_column.addWidget(back)

        columns = QHBoxLayout()
        columns.addWidget(dossier_box, 1)
        columns.addWidget(applicant_box, 1)
        lists = QHBoxLayout()
        lists.addWidget(documents_box, 3)
        lists.addWidget(history_box, 5)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(columns)
        left.addLayout(lists, 1)
        page = QHBoxLayout(self)
        page.addLayout(left, 1)
        page.addWidget(self.actions_box)
        self.actions_box.setFixedWidth(max(280, self.fontMetrics().horizontalAdvance(L.BUTTONS["financial_done"]) + 60))
        self.print_button.setEnabled(False)
        self._show_actions(())

    def clear(self) -> None:
        """Back to the empty screen (a log-out: nothing of the last citizen stays on it)."""
        self.code, self.dossier = "", None
        self.title.setText(S.EMPTY)
        for label in self.values.values():
            label.clear()
        self.documents.setRowCount(0)
        self.history.setRowCount(0)
        self.digitised.clear()
        self._show_actions(())

    def show_files(self, code: str, rows: list[Any]) -> None:
        """The dossier's digitised papers (desk_digitise.files: FileRow each)."""
        if code != self.code:
            return
        D = strings.Digitise  # noqa: N806
        # In the checklist's order, the papers outside it and the result after.
        rows = sorted(rows, key=lambda r: (r.kind == "result", r.component_index == 0, r.component_index))
        # One paper a line: run together, "103,4 KB" read as the start of the next paper's name.
        lines = [f"• {D.KEPT_ROW.format(name=r.component_name, pages=r.pages, size=file_size(r.size))}" for r in rows]
        self.digitised.setText("\n".join([f"{D.KEPT}:", *lines]) if lines else D.KEPT_NONE)

    def show_files_note(self, code: str, note: str) -> None:
        """What fetching another counter's papers from the district said (digitise_desk), on a line of
        its own under the papers."""
        if code == self.code and note:
            self.digitised.setText(f"{self.digitised.text()}\n{note}")

    def show_dossier(self, life: DossierLife) -> None:
        dossier = life.card
        self.code = dossier.code
        self.title.setText(self.code)
        a = dossier.applicant
        recipient = dossier.recipient
        due = long_datetime(dossier.due_at)
        if dossier.overdue:
            due += S.OVERDUE
        shown = {
            "status": dossier.status_label,
            "procedure": f"{dossier.procedure_code} — {dossier.procedure_name}",
            "working_days": working_days(dossier.working_days or 0),
            "received_at": long_datetime(dossier.received_at),
            "due_at": due,
            "returned_at": long_datetime(dossier.returned_at),
            "recipient": " · ".join(v for v in (recipient.full_name, recipient.id_number) if v) if recipient else "",
            "channel": strings.CHANNELS.get(dossier.channel, ""),
            "sets": str(dossier.sets),
            "note": dossier.note,
            "officer": dossier.officer,
            "sync": strings.SYNC.get(dossier.sync, dossier.sync),
        }
        if a is not None:
            shown |= {
                "full_name": a.full_name,
                "id_number": a.id_number,
                "old_id_number": a.old_id_number,
                "birth_date": short_date(a.birth_date),
                "gender": a.gender,
                "address": a.address,
                "phone": a.phone,
                "email": a.email,
            }
        for key, label in self.values.items():
            label.setText(shown.get(key) or "—")
        self.values["due_at"].setStyleSheet(theme.ERROR_TEXT_STYLE if dossier.overdue else "")
        fill_table(self.documents, [(str(i + 1), d.name, d.form, str(d.count))
                                    for i, d in enumerate(dossier.documents)])
        self.documents.resizeRowsToContents()
        self.print_button.setEnabled(True)
        self.dossier = life
        self._show_history(life.history)
        self._show_actions(actions.allowed(dossier.status, extended=life.extended), list(life.printable_forms))

    def allowed(self) -> list[str]:
        """The actions offered now (buttons shown), in their order on screen."""
        return [k for k in L.BUTTONS if not self.action_buttons[k].isHidden()]

    def focus_action(self, key: str) -> bool:
        button = self.action_buttons.get(key)
        if button is None or button.isHidden():
            moves = [k for k in self.allowed() if k not in actions.PAPERS]
            button = self.action_buttons[moves[0]] if moves else self.print_button
            if button.isHidden():
                return False
        button.setFocus()
        return button.objectName() == f"action_{key}" or (key == "slip" and button is self.print_button)

    def _show_actions(self, keys: tuple[str, ...], forms: list[str] | None = None) -> None:
        for key, button in self.action_buttons.items():
            offered = key in keys and (key != "forms" or bool(forms))
            button.setHidden(not offered)
        self.forms_available = [f for f in (forms or []) if f != "06"]
        self.no_actions.setVisible(self.dossier is not None and not any(k not in actions.PAPERS for k in keys))

    def _show_history(self, events: tuple[LifeEvent, ...]) -> None:
        rows = []
        for e in events:
            status = status_label(e.status) if e.status is not None else ""
            if e.from_status is not None and e.from_status != e.status:
                status = f"{status_label(e.from_status)} → {status}"
            notes = [e.note]
            if e.to_unit:
                notes.insert(0, L.HANDED_TO.format(unit=e.to_unit))
            if e.missing:
                notes.append(L.MISSING.format(items="; ".join(e.missing)))
            if e.new_due_at:
                notes.append(L.NEW_DUE.format(due=short_datetime(e.new_due_at)))
            if e.recipient is not None and e.recipient.full_name:
                notes.append(L.RECIPIENT.format(name=e.recipient.full_name))
            if e.rating:
                notes.append(L.RATED.format(rating=strings.RATINGS.get(e.rating, "")))
            rows.append((short_datetime(e.at), event_kinds.label(e.kind), status, e.officer,
                         " · ".join(n for n in notes if n)))
        fill_table(self.history, rows)
        self.history.resizeRowsToContents()
        if events:
            self.history.scrollToBottom()

    def _form(self, title: str, rows: list[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, text in rows:
            value = QLabel()
            value.setObjectName(f"dossier_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(text, value)
        return box
