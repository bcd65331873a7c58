"""Sync in the window: the last success and what failed always in view, "Đồng bộ ngay", and the
list of failed or rejected events with their reasons and a way to send one again.

The sync lane (counter_app.sync.lane) runs on its own thread and never touches Qt; its updates
are handed to the UI thread through a queued signal. Every read of the store here goes through the
window's client (the store lane), like every other screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMenu,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import desk_admin
from counter_app.domain import event_kinds
from counter_app.errors import UserError
from counter_app.sync.status import FailedEvent, SyncStatus
from ui.desk_client import DeskClient
from ui.interaction import Interaction
from ui.views.widgets import fill_table

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow


MENU = "Đồng bộ"
SYNC_NOW = "Đồng bộ ngay"
FAILED = "Sự kiện chưa gửi được…"
NOT_LINKED = "Chưa kết nối máy chủ huyện"
WAITING = "Chờ đồng bộ: {n} sự kiện"
UNVERIFIED = "Kết nối chưa xác minh (sẽ xác minh khi có mạng)"
FAILED_TITLE = "Quầy Một Cửa — Sự kiện chưa gửi được"
RETRY = "Gửi lại sự kiện đã chọn"
STATES = {"pending": "Đang chờ gửi lại", "rejected": "Máy chủ từ chối"}


def status_text(status: SyncStatus) -> str:
    """One line for the status bar: what waits, when it last worked, and what is wrong if anything.
    A counter never linked says only that: its events wait for a server it does not know."""
    if not status.linked:
        return NOT_LINKED
    parts = [WAITING.format(n=status.pending)] if status.pending else []
    if not status.verified:  # linked while the line was down (docs/sync.md)
        parts.append(UNVERIFIED)
    if status.last_success:
        when = datetime.fromisoformat(status.last_success)
        parts.append(f"Đồng bộ lần cuối: {when:%H:%M %d/%m}")
    else:
        parts.append("Chưa đồng bộ lần nào")
    if status.rejected:
        parts.append(f"{status.rejected} sự kiện bị từ chối")
    if status.problem:
        parts.append(f"Lỗi: {status.problem}")
    return " · ".join(parts)


class SyncController(QObject):
    """Owns the sync lane for the window's lifetime. The window reads the sync status through its
    client (on each tick and each change notice) and hands it here; the lane's own updates arrive
    through a queued signal. Both land in `show`: one read-out, one label."""

    updated = Signal(object)  # a SyncStatus, delivered queued on the UI thread

    def __init__(self, window: MainWindow, make_lane: Callable[[Callable[[SyncStatus], None]], Any]) -> None:
        super().__init__(window)
        self.window = window
        self.lane = make_lane(self.updated.emit)
        self.label = window.status_segments["sync"]
        self.updated.connect(self.show, Qt.ConnectionType.QueuedConnection)
        self._pending = -1
        self.dialog: FailedEventsDialog | None = None
        menu = QMenu(MENU, window)
        self.sync_now_action = QAction(SYNC_NOW, window)
        self.sync_now_action.setShortcut(QKeySequence("F9"))
        self.sync_now_action.triggered.connect(self.sync_now)
        self.failed_action = QAction(FAILED, window)
        self.failed_action.triggered.connect(self.show_failed)
        menu.addAction(self.sync_now_action)
        menu.addAction(self.failed_action)
        window.add_menu(menu)
        self.lane.start()

    def sync_now(self) -> None:
        self.label.setText("Đang đồng bộ…")
        self.lane.sync_now()

    def show(self, status: SyncStatus) -> None:
        """The status in the status bar; more events waiting than last time asks the lane for a pass."""
        self.label.setText(status_text(status))
        pending = status.pending
        if pending > max(self._pending, 0):
            self.lane.local_change()
        self._pending = pending

    def show_failed(self) -> FailedEventsDialog:
        self.dialog = FailedEventsDialog(self.window.client, self.window.interaction, self.window)
        self.dialog.show()
        return self.dialog

    def stop(self) -> None:
        self.lane.stop(timeout=5.0)


class FailedEventsDialog(QDialog):
    """The events the server refused or that failed to go, with the reason; read and retried through
    the window's client, never on the UI thread."""

    loaded = Signal()

    def __init__(self, client: DeskClient, interaction: Interaction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client, self.interaction = client, interaction
        self.setWindowTitle(FAILED_TITLE)
        self.resize(900, 420)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["Mã hồ sơ", "Loại", "Tình trạng", "Số lần gửi", "Lý do"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.retry_button = QPushButton(RETRY, self)
        self.retry_button.setEnabled(False)
        self.retry_button.clicked.connect(self.retry_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.retry_button)
        layout.addWidget(buttons)
        self.events: list[dict[str, Any]] = []
        self.reload()

    def reload(self) -> None:
        self.client.call(desk_admin.failed_events, self._show, self._failed, key="failed-events")

    def _show(self, events: list[FailedEvent]) -> None:
        self.events = events
        fill_table(self.table, [(e.code, event_kinds.label(e.kind), STATES.get(e.state, e.state), str(e.attempts),
                                 e.reason) for e in events])
        self.retry_button.setEnabled(bool(events))
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        text = error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
        self.interaction.warn(self, text)
        self.reload()

    def retry_selected(self) -> None:
        ids = [self.events[row].event_id for row in sorted({i.row() for i in self.table.selectedIndexes()})]
        if ids:
            self.client.call(lambda d: desk_admin.retry_events(d, ids), lambda _n: self.reload(), self._failed)


def install(window: MainWindow, store: Any) -> SyncController:
    """Attach sync to a main window once its store is open."""
    from counter_app.sync.lane import SyncLane

    return SyncController(window, lambda on_update: SyncLane(store, on_update=on_update))
