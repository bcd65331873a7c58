"""The dossier list: search as you type, filters, newest first, pages loaded as you scroll.

Enter or a double-click opens the dossier under the cursor.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter_app.desk import ListFilter
from counter_app.domain.statuses import STATUS_LABELS
from ui import strings
from ui.desk_client import DeskClient
from ui.models.dossier_table_model import DossierTableModel
from ui.views.widgets import search_box

S = strings.Worklist
LOADING_NOTE_MS = 300  # how long an answer may take before the footer says it is coming
NO_DATE = QDate(2000, 1, 1)  # the date boxes' "not set" value, shown as "—"
# Each column as wide as its longest usual text, in bold (overdue rows are bold).
_SAMPLES = {DossierTableModel.CODE: "000.00.20.H12-261116-0001", DossierTableModel.APPLICANT: "Nguyễn Thị Ánh Tuyết",
            DossierTableModel.RECEIVED: "16/11/2026 14:38",
            DossierTableModel.DUE: f"17/11/2026 14:38 · {S.OVERDUE}",
            DossierTableModel.STATUS: "Nghĩa vụ tài chính", DossierTableModel.SYNC: "Chờ đồng bộ"}


class DossierTable(QTableView):
    open_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class DossierListView(QWidget):
    open_requested = Signal(str)  # a dossier code

    def __init__(self, client: DeskClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = search_box("list_search", S.SEARCH)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        for text, statuses in S.STATUS_SETS:
            self.status.addItem(text, tuple(statuses))
        for code, text in STATUS_LABELS.items():
            self.status.addItem(text, (code,))
        self.deadline = QComboBox()
        self.deadline.setObjectName("deadline_filter")
        for text, value in S.DEADLINES:
            self.deadline.addItem(text, value)
        self.received_from = self._date_box("received_from")
        self.received_to = self._date_box("received_to")
        clear = QPushButton(S.CLEAR)
        clear.clicked.connect(self.clear_filters)

        self.model = DossierTableModel(client, self)
        self.table = DossierTable()
        self.table.setObjectName("dossier_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DossierTableModel.PROCEDURE, QHeaderView.ResizeMode.Stretch)
        bold = self.table.font()
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for column, sample in _SAMPLES.items():
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        self.table.open_row.connect(self._open_row)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.footer = QLabel(S.LOADING)
        self.footer.setObjectName("list_footer")
        # "Đang tải…" only for an answer that keeps the officer waiting: a keystroke's answer comes in
        # ~10 ms, and saying so first only flickered and repainted the list under the query.
        self._loading_note = QTimer(self)
        self._loading_note.setSingleShot(True)
        self._loading_note.setInterval(LOADING_NOTE_MS)
        self._loading_note.timeout.connect(self._note_loading)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel(S.STATUS))
        filters.addWidget(self.status)
        filters.addWidget(QLabel(S.DEADLINE))
        filters.addWidget(self.deadline)
        filters.addWidget(QLabel(S.RECEIVED_FROM))
        filters.addWidget(self.received_from)
        filters.addWidget(QLabel(S.RECEIVED_TO))
        filters.addWidget(self.received_to)
        filters.addWidget(clear)
        page = QVBoxLayout(self)
        page.addLayout(filters)
        page.addWidget(self.table, 1)
        page.addWidget(self.footer)

        self.search.textChanged.connect(self._filters_changed)
        self.search.returnPressed.connect(self._open_single_match)
        for combo in (self.status, self.deadline):
            combo.currentIndexChanged.connect(self._filters_changed)
        for box in (self.received_from, self.received_to):
            box.dateChanged.connect(self._filters_changed)
        self.model.page_loaded.connect(self._update_footer)
        self.model.modelReset.connect(self._first_row_current)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def search_for(self, text: str) -> None:
        self.search.setText(text)

    def clear_filters(self) -> None:
        for widget in (self.search, self.status, self.deadline, self.received_from, self.received_to):
            widget.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.deadline.setCurrentIndex(0)
        self.received_from.setDate(NO_DATE)
        self.received_to.setDate(NO_DATE)
        for widget in (self.search, self.status, self.deadline, self.received_from, self.received_to):
            widget.blockSignals(False)
        self._filters_changed()

    def current_filter(self) -> ListFilter:
        return ListFilter(
            query=self.search.text().strip(),
            statuses=frozenset(self.status.currentData() or ()),
            received_from=self._date_of(self.received_from),
            received_to=self._date_of(self.received_to),
            deadline=self.deadline.currentData() or "",
        )

    def current_code(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).code if index.isValid() else None

    def _filters_changed(self) -> None:
        flt = self.current_filter()
        if flt != self.model.filter:  # "nguyen" and "nguyen " ask the same: no second query
            self._loading_note.start()
            self.model.set_filter(flt)

    def _open_row(self, row: int) -> None:
        self.open_requested.emit(self.model.row_at(row).code)

    def _open_single_match(self) -> None:
        """Enter in the search box: open the dossier if exactly one is shown, else go to the list."""
        if self.model.rowCount() == 1 and not self.model.has_more:
            self._open_row(0)
        elif self.model.rowCount():
            self.table.setFocus()

    def _first_row_current(self) -> None:
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0, QModelIndex()))

    def _note_loading(self) -> None:
        if self.model.loading:
            self.footer.setText(S.LOADING)

    def _update_footer(self) -> None:
        n = self.model.rowCount()
        if self.model.loading:  # the answer goes on in steps (DossierTableModel._arrived)
            if not self._loading_note.isActive():
                self._loading_note.start()
            return
        self._loading_note.stop()
        if not n:
            text = S.EMPTY
        else:
            text = (S.SHOWN_MORE if self.model.has_more else S.SHOWN).format(n=f"{n:,}".replace(",", "."))
        self.footer.setText(text)

    @staticmethod
    def _date_box(name: str) -> QDateEdit:
        box = QDateEdit()
        box.setObjectName(name)
        box.setDisplayFormat("dd/MM/yyyy")
        box.setCalendarPopup(True)
        box.setMinimumDate(NO_DATE)
        box.setSpecialValueText(S.ANY_DATE)
        box.setDate(NO_DATE)
        return box

    @staticmethod
    def _date_of(box: QDateEdit) -> date | None:
        value = box.date()
        return None if value == NO_DATE else date(value.year(), value.month(), value.day())
