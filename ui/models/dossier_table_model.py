"""The dossier list as a Qt table model: pages fetched lazily from the worklist on the store lane.

Only the rows scrolled to are ever read, so a store of a million dossiers opens at once. A new
filter keeps the old rows on screen until the first page of the new answer arrives (no flicker),
and answers to an older filter are dropped (the lane's key, plus a generation number here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from counter_app.desk import ListFilter
from counter_app.domain.statuses import label as status_label
from ui import strings, theme
from ui.desk_client import DeskClient
from ui.formatting import short_datetime

if TYPE_CHECKING:  # the services import SQLAlchemy: the lane loads them, the UI thread never does
    from counter_app.services.search import Page
    from counter_app.services.worklist import WorkRow

Index = QModelIndex | QPersistentModelIndex
OVERDUE_COLOUR = QColor(theme.ERROR.text)
_DISPLAY, _FOREGROUND, _FONT, _TOOLTIP, _USER = (int(r.value) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole))
_ANSWERED = frozenset({_FOREGROUND, _FONT, _TOOLTIP, _USER})


class DossierTableModel(QAbstractTableModel):
    CODE, APPLICANT, PROCEDURE, RECEIVED, DUE, STATUS, SYNC = range(7)
    # A new answer (each keystroke's) reads about two screens of rows at 1366×768, not more: every row
    # read is formatted on the UI thread before the table shows any. A taller table asks for the
    # rest itself (fetchMore), as it does when the officer scrolls.
    FIRST_PAGE = 50
    PAGE = 200

    page_loaded = Signal()  # a page arrived (or the answer ended): the footer and tests follow it
    failed = Signal(object)

    def __init__(self, client: DeskClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._filter = ListFilter()
        self._rows: list[WorkRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._next_key: int | None = None
        self._loading = False
        self._generation = 0
        self._lane_key = f"worklist-{id(self)}"
        self._bold = QFont()
        self._bold.setBold(True)

    # --- what the view asks --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's names
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(strings.Worklist.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return strings.Worklist.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Asked about twenty times per cell each time the table paints (every keystroke's answer):
        # plain ints and one dict test first, so the roles it never answers cost almost nothing.
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()]
        if role not in _ANSWERED:
            return None
        row = self._rows[index.row()]
        if role == _USER:
            return row
        if role == _TOOLTIP:
            return strings.Worklist.OVERDUE_TIP if row.overdue else self._cells[index.row()][index.column()]
        if not row.overdue:
            return None
        return OVERDUE_COLOUR if role == _FOREGROUND else self._bold  # not colour alone: bold, and "quá hạn"

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and self._next_key is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if self.canFetchMore(parent):
            self._request(self._next_key, self.PAGE)

    # --- what the screen does ------------------------------------------------------------------

    @property
    def filter(self) -> ListFilter:
        return self._filter

    def set_filter(self, flt: ListFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self._request(None, self.FIRST_PAGE)

    def row_at(self, row: int) -> WorkRow:
        return self._rows[row]

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def has_more(self) -> bool:
        return self._next_key is not None

    # --- pages ---------------------------------------------------------------------------------

    def _request(self, before_key: int | None, size: int) -> None:
        generation, flt = self._generation, self._filter
        self._loading = True
        self._client.call(
            lambda desk: desk.worklist(flt, before_key, size),
            lambda page: self._arrived(generation, before_key is None, size, page),
            lambda error: self._failed(generation, error),
            key=self._lane_key,
            plain=True,  # Desk.worklist reads plainly: the list answers before the store is fully open
            urgent=True,  # the officer is typing: before the background reads queued on the lane
        )

    def _arrived(self, generation: int, first: bool, size: int, page: Page) -> None:
        if generation != self._generation:
            return
        cells = [self._cells_of(r) for r in page.rows]
        if first:
            self.beginResetModel()
            self._rows, self._cells = list(page.rows), cells
            self.endResetModel()
        elif page.rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self._rows += page.rows
            self._cells += cells
            self.endInsertRows()
        self._next_key = page.next_key
        self._loading = False
        if page.next_key is not None and len(page.rows) < size:
            # The worklist stopped at its budget before the page was full: go on from there. Each
            # step is a separate lane job, so a scan or a save can pass in between.
            self._request(page.next_key, size)
        self.page_loaded.emit()

    def _failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._loading = False
            self.failed.emit(error)

    @staticmethod
    def _cells_of(row: WorkRow) -> tuple[str, ...]:
        due = short_datetime(row.due_at)
        if row.overdue:
            due += f" · {strings.Worklist.OVERDUE}"
        return (row.code, row.applicant_name, row.procedure_name, short_datetime(row.received_at), due,
                status_label(row.status), strings.SYNC.get(row.sync, row.sync))
