"""One dossier, read-only: what a scan of its slip opens. (Its history and the moves between
statuses come with the workflow screens.)"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import strings
from ui.formatting import long_datetime, short_date, working_days

S = strings.Dossier


class DossierView(QWidget):
    print_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = ""
        self.title = QLabel(S.EMPTY)
        self.title.setObjectName("dossier_code")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
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
        self.documents = QTableWidget(0, len(S.DOC_COLUMNS))
        self.documents.setObjectName("dossier_documents")
        self.documents.setHorizontalHeaderLabels(list(S.DOC_COLUMNS))
        self.documents.verticalHeader().hide()
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.setWordWrap(True)
        header = self.documents.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        documents_box = QGroupBox(S.DOCUMENTS)
        QVBoxLayout(documents_box).addWidget(self.documents)

        self.print_button = QPushButton(S.PRINT)
        self.print_button.setObjectName("print_slip")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.code))
        back = QPushButton(S.BACK)
        back.clicked.connect(self.back_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.print_button)

        columns = QHBoxLayout()
        columns.addWidget(dossier_box, 1)
        columns.addWidget(applicant_box, 1)
        page = QVBoxLayout(self)
        page.addWidget(self.title)
        page.addLayout(columns)
        page.addWidget(documents_box, 1)
        page.addLayout(buttons)
        self.print_button.setEnabled(False)

    def show_dossier(self, dossier: dict[str, Any]) -> None:
        self.code = dossier["code"]
        self.title.setText(self.code)
        a = dossier.get("applicant") or {}
        recipient = dossier.get("recipient") or {}
        due = long_datetime(dossier.get("due_at"))
        if dossier.get("overdue"):
            due += S.OVERDUE
        shown = {
            "status": dossier.get("status_label", str(dossier["status"])),
            "procedure": f"{dossier['procedure_code']} — {dossier['procedure_name']}",
            "working_days": working_days(dossier.get("working_days") or 0),
            "received_at": long_datetime(dossier.get("received_at")),
            "due_at": due,
            "returned_at": long_datetime(dossier.get("returned_at")),
            "recipient": " · ".join(v for v in (recipient.get("full_name"), recipient.get("id_number")) if v),
            "channel": strings.CHANNELS.get(dossier.get("channel", 1), ""),
            "sets": str(dossier.get("sets", "")),
            "note": dossier.get("note", ""),
            "officer": dossier.get("officer", ""),
            "sync": strings.SYNC.get(dossier.get("sync", ""), dossier.get("sync", "")),
            "full_name": a.get("full_name", ""),
            "id_number": a.get("id_number", ""),
            "old_id_number": a.get("old_id_number", ""),
            "birth_date": short_date(a.get("birth_date")),
            "gender": a.get("gender", ""),
            "address": a.get("address", ""),
            "phone": a.get("phone", ""),
            "email": a.get("email", ""),
        }
        for key, label in self.values.items():
            label.setText(shown.get(key) or "—")
        overdue = bool(dossier.get("overdue"))
        self.values["due_at"].setStyleSheet("color: #b00020; font-weight: bold;" if overdue else "")
        docs = dossier.get("documents") or []
        self.documents.setRowCount(len(docs))
        for i, d in enumerate(docs):
            for column, value in enumerate((str(i + 1), d["name"], d.get("form", ""), str(d.get("count", "")))):
                self.documents.setItem(i, column, QTableWidgetItem(value))
        self.documents.resizeRowsToContents()
        self.print_button.setEnabled(True)

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
