"""The window's sync panel: status line, "Đồng bộ ngay", the failed-events list and its retry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from counter_app.services import intake
from counter_app.sync.status import SyncStatus
from tests.conftest import applicant, clerk
from ui.sync.panel import SyncController, status_text


class FakeLane:
    """Stands in for counter_app.sync.lane.SyncLane: records calls, answers 'sync now' at once."""

    def __init__(self, store: Any, on_update) -> None:  # noqa: ANN001
        self.store, self.on_update, self.calls = store, on_update, []

    def start(self) -> None:
        self.calls.append("start")

    def sync_now(self) -> None:
        self.calls.append("sync_now")
        self.on_update(SyncStatus.of({"linked": True, "pending": 0, "rejected": 0,
                                      "last_success": "2026-11-20T10:15:00+07:00"}))

    def local_change(self) -> None:
        self.calls.append("local_change")

    def stop(self, timeout: float = 0) -> None:
        self.calls.append("stop")


def test_status_lines() -> None:
    assert status_text(SyncStatus.of({"linked": False})) == "Chưa kết nối máy chủ huyện"
    assert status_text(SyncStatus.of({"linked": True, "last_success": "2026-11-20T10:15:00+07:00"})) == \
        "Đồng bộ lần cuối: 10:15 20/11"
    line = status_text(SyncStatus.of({"linked": True, "rejected": 2, "stopped": "Mã truy cập không hợp lệ."}))
    assert line == "Chưa đồng bộ lần nào · 2 sự kiện bị từ chối · Lỗi: Mã truy cập không hợp lệ."


def test_sync_now_updates_the_status_bar(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    lanes: list[FakeLane] = []
    window.sync = SyncController(window, lambda cb: lanes.append(FakeLane(desk, cb)) or lanes[-1])
    assert lanes[0].calls == ["start"]
    window.sync.sync_now_action.trigger()
    qtbot.waitUntil(lambda: window.status_segments["sync"].text() == "Đồng bộ lần cuối: 10:15 20/11")
    # A new dossier: the window's change notice reads the status again, and the new waiting event
    # asks the lane for a pass.
    window.client.call(lambda d: d.save_intake({"procedure_code": "9.000000", "applicant": applicant()}))
    qtbot.waitUntil(lambda: "local_change" in lanes[0].calls)
    window.sync.stop()
    assert lanes[0].calls[-1] == "stop"


def test_failed_events_are_listed_with_their_reason_and_can_be_sent_again(qtbot, desk, open_window) -> None:  # noqa: ANN001
    req = intake.parse_intake({"procedure_code": "9.000000", "applicant": applicant()})
    with desk.write() as session:
        code = intake.create_dossier(session, req, actor=clerk()).dossier["code"]
        session.execute(text("UPDATE outbox SET state = 'rejected', attempts = 1, "
                             "last_error = 'Mã hồ sơ đã thuộc một hồ sơ khác'"))
    window = open_window(desk)
    window.sync = SyncController(window, lambda cb: FakeLane(desk, cb))
    window.sync.failed_action.trigger()
    dialog = window.sync.dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert "Quầy Một Cửa" in dialog.windowTitle()
    assert dialog.table.item(0, 0).text() == code
    assert dialog.table.item(0, 2).text() == "Máy chủ từ chối"
    assert dialog.table.item(0, 4).text() == "Mã hồ sơ đã thuộc một hồ sơ khác"
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.retry_button.click()
    assert dialog.table.item(0, 2).text() == "Đang chờ gửi lại"
    with desk.read() as session:
        assert session.execute(text("SELECT state FROM outbox")).scalar() == "pending"
