"""Sync in the window: the last success and what failed always in view, "Đồng bộ ngay", and the
list of failed or rejected events with their reasons and a way to send one again.

The sync lane (counter_app.sync.lane) runs on its own thread and never touches Qt; its updates
are handed to the UI thread through a queued signal. Nothing here blocks the window: every call
that reads the store runs on the sync thread or the store lane.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.views.widgets import ElidedLabel

MENU = "Đồng bộ"
SYNC_NOW = "Đồng bộ ngay"
FAILED = "Sự kiện chưa gửi được…"
NOT_LINKED = "Chưa kết nối máy chủ huyện"
WAITING = "Chờ đồng bộ: {n} sự kiện"
UNVERIFIED = "Kết nối chưa xác minh (sẽ xác minh khi có mạng)"
FAILED_TITLE = "Quầy Một Cửa — Sự kiện chưa gửi được"
RETRY = "Gửi lại sự kiện đã chọn"
STATES = {"pending": "Đang chờ gửi lại", "rejected": "Máy chủ từ chối"}
KINDS = {"intake": "Tiếp nhận", "move": "Chuyển trạng thái", "handover": "Bàn giao", "extension": "Gia hạn",
         "return": "Trả kết quả"}
REFRESH_MS = 30_000


def status_text(status: dict[str, Any]) -> str:
    """One line for the status bar: what waits, when it last worked, and what is wrong if anything.
    A counter never linked says only that: its events wait for a server it does not know."""
    if not status.get("linked"):
        return NOT_LINKED
    parts = [WAITING.format(n=status["pending"])] if status.get("pending") else []
    if status.get("verified") is False:  # linked while the line was down (docs/sync.md)
        parts.append(UNVERIFIED)
    last = status.get("last_success")
    if last:
        when = datetime.fromisoformat(last)
        parts.append(f"Đồng bộ lần cuối: {when:%H:%M %d/%m}")
    else:
        parts.append("Chưa đồng bộ lần nào")
    if status.get("rejected"):
        parts.append(f"{status['rejected']} sự kiện bị từ chối")
    problem = status.get("stopped") or status.get("last_error")
    if problem:
        parts.append(f"Lỗi: {problem}")
    return " · ".join(parts)


class SyncController(QObject):
    """Owns the sync lane for the window's lifetime and keeps the status label current."""

    updated = Signal(object)  # a status dict, delivered queued on the UI thread

    def __init__(self, window: QMainWindow, make_lane: Callable[[Callable[[dict], None]], Any]) -> None:
        super().__init__(window)
        self.window = window
        self.lane = make_lane(self.updated.emit)
        # One line about sync in the status bar: the window's own (it shows the first status
        # before this lane starts), or a new one.
        label = window.findChild(QLabel, "status_sync")
        if label is None:
            label = ElidedLabel(NOT_LINKED)
            label.setObjectName("status_sync")
            window.statusBar().addPermanentWidget(label)
        self.label = label
        self.updated.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._pending = -1
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        menu = window.menuBar().addMenu(MENU)
        self.sync_now_action = QAction(SYNC_NOW, window)
        self.sync_now_action.setShortcut(QKeySequence("F9"))
        self.sync_now_action.triggered.connect(self.sync_now)
        self.failed_action = QAction(FAILED, window)
        self.failed_action.triggered.connect(self.show_failed)
        menu.addAction(self.sync_now_action)
        menu.addAction(self.failed_action)
        self.lane.start()

    def sync_now(self) -> None:
        self.label.setText("Đang đồng bộ…")
        self.lane.sync_now()

    def refresh(self) -> None:
        """Re-read the status off the UI thread; a new outbox entry asks the lane for a pass soon."""
        import threading

        from counter_app.sync import commands

        def job() -> None:
            try:
                status = commands.sync_status(self.lane.store)
            except Exception:  # noqa: BLE001 - a status refresh must never disturb the counter
                return
            self.updated.emit(status)

        threading.Thread(target=job, name="sync-status", daemon=True).start()

    def _show(self, status: dict[str, Any]) -> None:
        self.label.setText(status_text(status))
        pending = int(status.get("pending") or 0)
        if pending > max(self._pending, 0):
            self.lane.local_change()
        self._pending = pending

    def show_failed(self) -> FailedEventsDialog:
        dialog = FailedEventsDialog(self.lane.store, self.window)
        dialog.show()
        return dialog

    def stop(self) -> None:
        self._timer.stop()
        self.lane.stop(timeout=5.0)


class FailedEventsDialog(QDialog):
    def __init__(self, store: Any, parent: QMainWindow | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(FAILED_TITLE)
        self.resize(900, 420)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["Mã hồ sơ", "Loại", "Tình trạng", "Số lần gửi", "Lý do"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.retry_button = QPushButton(RETRY, self)
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
        from counter_app.sync import commands

        self.events = commands.failed_events(self.store)  # at most a few hundred rows: quick
        self.table.setRowCount(len(self.events))
        for row, event in enumerate(self.events):
            values = [event["code"], KINDS.get(event["kind"], event["kind"]),
                      STATES.get(event["state"], event["state"]), str(event["attempts"]), event["reason"]]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.retry_button.setEnabled(bool(self.events))

    def retry_selected(self) -> None:
        from counter_app.errors import UserError
        from counter_app.sync import commands

        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        try:
            for row in rows:
                commands.retry_event(self.store, self.events[row]["event_id"])
        except UserError as exc:
            QMessageBox.warning(self, FAILED_TITLE, exc.message)
        self.reload()


def install(window: QMainWindow, store: Any) -> SyncController:
    """Attach sync to a main window once its store is open."""
    from counter_app.sync.lane import SyncLane

    return SyncController(window, lambda on_update: SyncLane(store, on_update=on_update))
