"""The status bar: one line about the district server, the last backup from the start, and long
messages cut in the middle with the whole text on hover."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QLabel

from counter_app import clock, desk_admin
from counter_app.desk import Desk
from counter_app.services import settings
from counter_app.services.backup import AUTO_PREFIX, AUTO_SUFFIX
from counter_app.sync.status import SyncStatus
from tests.ui.conftest import add_dossiers
from tests.ui.test_login import add_account, admin_window, log_in
from tests.ui.test_sync_panel import FakeLane
from ui.admin.install import tools_of
from ui.sync.panel import SyncController, status_text

NOT_LINKED = "Chưa kết nối máy chủ huyện"


def shown_texts(window) -> list[str]:  # noqa: ANN001
    return [label.text() for label in window.statusBar().findChildren(QLabel) if label.isVisible()]


def test_a_counter_never_linked_says_so_and_nothing_else(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_dossiers(desk, [("Trần Thị Ánh", "001190000001", "2026-03-02T08:00:00+07:00")])  # an event waits
    window = open_window(desk)
    qtbot.waitUntil(lambda: window._status_sync.text() == NOT_LINKED)
    window.sync = SyncController(window, lambda cb: FakeLane(desk, cb))  # as ui/app.py attaches it
    window._refresh_sync()
    qtbot.waitUntil(lambda: not window.client.lane.busy())  # the read-out has answered
    texts = shown_texts(window)
    assert texts.count(NOT_LINKED) == 1
    assert not [t for t in texts if "đồng bộ" in t.lower()], texts  # neither "Đã đồng bộ hết" nor a count
    window.sync.stop()


def test_a_linked_counter_counts_what_waits() -> None:
    line = status_text(SyncStatus.of({"linked": True, "pending": 2, "last_success": "2026-11-20T10:15:00+07:00"}))
    assert line == "Chờ đồng bộ: 2 sự kiện · Đồng bộ lần cuối: 10:15 20/11"
    assert status_text(SyncStatus.of({"linked": False, "pending": 7})) == NOT_LINKED


def test_a_counter_linked_while_the_line_was_down_says_its_link_is_not_verified(qtbot, desk,  # noqa: ANN001
                                                                                 open_window) -> None:
    from counter_app.sync import engine

    with desk.write() as s:  # what `link` keeps when the server cannot be reached
        settings.put(s, engine.KEY_SERVER, "http://10.0.0.5:8750")
        settings.put(s, engine.KEY_TOKEN, "qmc_typed-while-offline")
        settings.put(s, engine.KEY_DEVICE, None)
    window = open_window(desk)
    qtbot.waitUntil(lambda: "Kết nối chưa xác minh" in window._status_sync.text())
    assert window._status_sync.text().startswith("Kết nối chưa xác minh (sẽ xác minh khi có mạng)")


def _earlier_today() -> object:
    now = clock.now()
    return max(now - timedelta(hours=1), now.replace(hour=0, minute=0, second=0))


def test_a_restart_shows_the_last_backup_and_makes_none(qtbot, desk, open_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "backups"
    folder.mkdir()
    with desk.write() as s:
        settings.put(s, desk_admin.BACKUP_FOLDER_KEY, str(folder))
    at = _earlier_today()
    desk_admin.run_backup(Desk(desk), now=at)  # the window ran an hour ago and backed up
    add_account(desk, "cb.an", "officer")
    window = admin_window(open_window, desk)
    tools = tools_of(window)
    expected = f"Sao lưu: {at:%H:%M} hôm nay"
    qtbot.waitUntil(lambda: tools.backup_label.text() == expected, timeout=10_000)  # before anyone logs in
    log_in(qtbot, window, "cb.an")
    qtbot.waitUntil(lambda: tools.due is not None, timeout=10_000)
    assert tools.due is False and tools.backups_done == 0 and not tools.backup_running
    assert len(list(folder.glob(f"{AUTO_PREFIX}*{AUTO_SUFFIX}"))) == 1
    assert tools.backup_label.text() == expected


def test_a_long_message_is_cut_in_the_middle_and_whole_on_hover(qtbot, desk, open_window, tmp_path: Path) -> None:  # noqa: ANN001
    deep = tmp_path / "ổ USB của văn phòng" / "sao lưu hằng ngày" / "quầy một cửa xã Bình Mỹ"
    deep.mkdir(parents=True)
    with desk.write() as s:
        settings.put(s, desk_admin.BACKUP_FOLDER_KEY, str(deep))
    add_account(desk, "cb.an", "officer")
    window = admin_window(open_window, desk)  # 1366 pixels wide, the counter's usual screen
    log_in(qtbot, window, "cb.an")
    tools = tools_of(window)
    qtbot.waitUntil(lambda: tools.backups_done == 1, timeout=15_000)  # the first of the day
    message = window.statusBar().currentMessage()
    assert message.startswith("Đã sao lưu vào ") and message.endswith(").")
    label = window.statusBar().message
    shown = label.shown()
    assert "…" in shown and shown.startswith("Đã sao lưu vào") and shown.endswith(").")  # cut in the middle
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == message  # the whole text on hover
    window.resize(3000, 700)  # room enough: nothing cut, no tooltip needed
    qtbot.waitUntil(lambda: label.shown() == message)
    assert label.toolTip() == ""


def test_a_failed_sync_shows_its_reason_in_words_not_the_record_it_is_kept_in(qtbot, desk, open_window) -> None:  # noqa: ANN001
    from counter_app.sync import engine

    with desk.write() as s:  # a linked counter whose last pass could not reach the server
        settings.put(s, engine.KEY_SERVER, "https://10.0.0.5:8750")
        settings.put(s, engine.KEY_TOKEN, "qmc_token")
        settings.put(s, engine.KEY_DEVICE, {"device_id": "d1", "agency_code": "000.00.20.H12", "counter": 0})
        settings.put(s, engine.KEY_LAST_ERROR, {"at": "2026-11-20T10:15:00+07:00", "permanent": False,
                                                "message": "Không kết nối được máy chủ huyện."})
    window = open_window(desk)
    qtbot.waitUntil(lambda: "Lỗi:" in window._status_sync.text())
    assert window._status_sync.text().endswith("Lỗi: Không kết nối được máy chủ huyện.")
    assert "permanent" not in window._status_sync.text() and "{" not in window._status_sync.text()
