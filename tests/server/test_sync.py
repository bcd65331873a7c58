"""Sync as an office uses it, against a real server (uvicorn on loopback) on SQLite and PostgreSQL:
link, push, pull between the counters of one office, the district's own changes coming down."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from counter_app.db.models import CalendarDayRow, Dossier, Outbox, Procedure, StatusEvent
from counter_app.errors import UserError
from counter_app.services import settings
from counter_app.services.lookup import open_by_code
from counter_app.services.search import search
from counter_app.sync import commands, engine
from counter_app.sync.errors import ServerUnreachable, SyncRefused
from district_server import admin
from district_server.auth import revoke_device
from district_server.dossiers import get_dossier
from tests.server.faultproxy import FaultProxy
from tests.server.helpers import (
    LiveServer,
    assert_exactly_once,
    fake_backlog,
    intake_many,
    link_to,
    make_counter,
    move,
    outbox_states,
    server_dossiers,
)
from tests.server.pgcluster import free_port


def test_link_then_push_then_the_other_counter_scans_the_slip(live, tokens, counter0, counter1, server_db) -> None:
    ids = intake_many(counter0, 3, name="Trần Thị Bình")
    move(counter0, ids[0], 4)
    linked = link_to(counter0, live, tokens["c0"])
    assert linked["agency_code"] == "000.00.20.H12" and linked["counter"] == 0
    link_to(counter1, live, tokens["c1"])

    summary = commands.sync_once(counter0)
    assert summary == {"pushed": 4, "pulled": 0, "pending": 0, "rejected": 0}
    assert outbox_states(counter0) == {"sent": 4}
    held = assert_exactly_once(server_db, counter0)
    first = next(d for d in held if d["id"] == ids[0])
    assert first["status"] == 4 and [h["status"] for h in first["history"]] == [2, 4]
    assert first["applicant"]["full_name"] == "Trần Thị Bình"

    pulled = commands.sync_once(counter1)
    assert pulled == {"pushed": 0, "pulled": 4, "pending": 0, "rejected": 0}
    with counter1.read() as session:
        scanned = open_by_code(session, first["code"])  # a slip printed at counter 0 scans at counter 1
        assert scanned["status"] == 4 and scanned["applicant"]["full_name"] == "Trần Thị Bình"
        assert scanned["sync"] == "synced"
        assert [r.code for r in search(session, "tran thi binh").rows] == sorted(
            (d["code"] for d in held), reverse=True)
        # What was pulled is the other counter's to send: nothing of it goes back up from here.
        assert session.exec(select(Outbox)).all() == []
    assert commands.sync_once(counter1)["pulled"] == 0  # the cursor moved on
    assert commands.sync_once(counter0)["pulled"] == 0  # a counter does not get its own events back


def test_a_move_at_the_second_counter_reaches_the_first_and_the_server(live, tokens, counter0, counter1,
                                                                       server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    link_to(counter1, live, tokens["c1"])
    (did,) = intake_many(counter0, 1)
    commands.sync_once(counter0)
    commands.sync_once(counter1)
    move(counter1, did, 9)  # the result is ready; counter 1 records it on counter 0's dossier
    move(counter1, did, 10)
    assert commands.sync_once(counter1)["pushed"] == 2
    assert commands.sync_once(counter0)["pulled"] == 2
    with counter0.read() as session:
        shown = open_by_code(session, _code(server_db, did))
    assert shown["status"] == 10 and shown["returned_at"] is not None
    assert shown["finished_at"] is not None  # counter 0's statistics count it as resolved
    assert_exactly_once(server_db, counter0, counter1)


def test_district_status_change_and_publications_come_down_in_one_pass(live, tokens, counter0, server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    (did,) = intake_many(counter0, 1)
    commands.sync_once(counter0)
    code = _code(server_db, did)
    admin.set_status(server_db, code, 4, note="Chuyển phòng Tư pháp")
    with pytest.raises(UserError, match="Không thể chuyển"):
        admin.set_status(server_db, code, 10)  # 4 → 10 is not an allowed move
    admin.publish_catalogue(server_db, [{"code": "9.000777", "name": "Thủ tục mới của huyện", "working_days": 2}])
    table = {"year": 2027, "official": True, "source": "Thông báo thử", "days": [
        {"date": "2027-01-01", "kind": "off", "name": "Tết Dương lịch"}]}
    admin.publish_calendar(server_db, table)
    admin.publish_calendar(server_db, {**table, "year": 2028, "days": []}, agency_code="000.00.99.H12")  # not ours

    summary = commands.sync_once(counter0)
    assert summary == {"pushed": 0, "pulled": 3, "pending": 0, "rejected": 0}
    with counter0.read() as session:
        shown = open_by_code(session, code)
        assert shown["status"] == 4
        events = session.exec(select(StatusEvent).where(StatusEvent.dossier_id == did)).all()
        kinds = [(e.to_status, e.actor) for e in sorted(events, key=lambda e: e.at)]
        assert kinds == [(2, "scripted"), (4, "district")]
        assert session.get(Procedure, "9.000777").name == "Thủ tục mới của huyện"
        day = session.get(CalendarDayRow, "2027-01-01")
        assert day is not None and day.origin == "server"
        assert session.exec(select(CalendarDayRow).where(CalendarDayRow.year == 2028)).all() == []
        assert session.exec(select(Outbox).where(Outbox.dossier_id == did)).all()[-1].state == "sent"
        assert len(session.exec(select(Outbox)).all()) == 1  # the district's change is not sent back
        assert settings.get(session, engine.KEY_CURSOR)["publications"] >= 2
    # A result made ready at the district ends processing on the counter too (its statistics).
    admin.set_status(server_db, code, 9, note="Đã có kết quả")
    commands.sync_once(counter0)
    with counter0.read() as session:
        shown = open_by_code(session, code)
    assert shown["status"] == 9 and shown["finished_at"] is not None


def test_latest_event_wins_on_both_ends_whatever_the_arrival_order(live, tokens, counter0, server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    (did,) = intake_many(counter0, 1)
    move(counter0, did, 4)
    commands.sync_once(counter0)
    code = _code(server_db, did)
    move(counter0, did, 9)  # the counter moves on while the district, not knowing, moves too
    admin.set_status(server_db, code, 5)
    commands.sync_once(counter0)
    # The district's move is later than the counter's: both ends agree on 5.
    assert get_dossier(server_db, code)["status"] == 5
    with counter0.read() as session:
        assert open_by_code(session, code)["status"] == 5


def test_link_refusals_change_nothing(live, tokens, counter0, server_db) -> None:
    with pytest.raises(UserError, match="cơ quan 000.00.21.H12"):
        link_to(counter0, live, tokens["other"])
    with pytest.raises(UserError, match="quầy số 1"):
        link_to(counter0, live, tokens["c1"])
    with pytest.raises(SyncRefused, match="token"):
        link_to(counter0, live, "qmc_not-a-real-token")
    with pytest.raises(UserError, match="không hợp lệ"):
        commands.link(counter0, "ftp://example", tokens["c0"])
    with counter0.read() as session:
        assert settings.get(session, engine.KEY_TOKEN) is None
    with pytest.raises(UserError, match="chưa được kết nối"):
        commands.sync_once(counter0)


def test_a_revoked_token_stops_sync_and_keeps_the_work(live, tokens, counter0, server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    intake_many(counter0, 2)
    device_id = commands.sync_status(counter0)["device"]["device_id"]
    assert revoke_device(server_db, device_id)
    with pytest.raises(SyncRefused, match="thu hồi"):
        commands.sync_once(counter0)
    status = commands.sync_status(counter0)
    assert status["pending"] == 2 and status["last_error"]["permanent"] is True
    assert "thu hồi" in commands.failed_events(counter0)[0].reason
    assert server_dossiers(server_db) == []


def test_unreachable_server_keeps_everything_pending_and_says_so(tokens, counter0, server_db) -> None:
    with LiveServer(server_db) as live:
        link_to(counter0, live, tokens["c0"])
    intake_many(counter0, 3)
    with counter0.write() as session:  # the server moved away (nothing listens there now)
        settings.put(session, engine.KEY_SERVER, f"https://127.0.0.1:{free_port()}")
    with pytest.raises(ServerUnreachable) as caught:
        commands.sync_once(counter0, timeout=2.0)
    assert caught.value.summary == {"pushed": 0, "pulled": 0, "pending": 3, "rejected": 0}
    status = commands.sync_status(counter0)
    assert status["pending"] == 3 and status["last_success"] is None
    assert status["last_error"]["permanent"] is False
    failed = commands.failed_events(counter0)
    assert len(failed) == 3 and all(f.attempts == 1 and "Không kết nối" in f.reason for f in failed)


def test_a_batch_too_large_for_the_server_is_split(live, tokens, counter0, server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    fake_backlog(counter0, 1099)
    with FaultProxy(live.url) as proxy:
        with counter0.write() as session:
            settings.put(session, engine.KEY_SERVER, proxy.url)
        summary = commands.sync_once(counter0, batch_size=1100)  # over the server's 1,000
    assert summary["pushed"] == 1100 and summary["pending"] == 0
    posts = [len(json.loads(_inflate(r[3]))["events"]) for r in proxy.requests if r[0] == "POST"]
    assert posts == [1100, 550, 550]
    assert len(assert_exactly_once(server_db, counter0)) == 1100


def test_pull_pages_through_a_large_office(live, tokens, counter0, counter1, server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    link_to(counter1, live, tokens["c1"])
    fake_backlog(counter0, 1204)
    commands.sync_once(counter0)
    assert commands.sync_once(counter1)["pulled"] == 1205  # three pages of 500
    with counter1.read() as session:
        assert len(session.exec(select(StatusEvent)).all()) == 1205
        assert len(session.exec(select(Dossier)).all()) == 1205


def test_a_third_counter_set_up_later_gets_the_whole_office(live, tokens, counter0, counter1, tmp_path,
                                                            server_db) -> None:
    link_to(counter0, live, tokens["c0"])
    link_to(counter1, live, tokens["c1"])
    intake_many(counter0, 5)
    intake_many(counter1, 4)
    commands.sync_once(counter0)
    commands.sync_once(counter1)
    from district_server.auth import add_device

    late = make_counter(tmp_path / "counter2", 2)
    link_to(late, live, add_device(server_db, "000.00.20.H12", 2)[1])
    assert commands.sync_once(late)["pulled"] == 9
    late.close()


def _code(db, dossier_id: str) -> str:  # noqa: ANN001
    return next(d["code"] for d in server_dossiers(db) if d["id"] == dossier_id)


def _inflate(body: bytes) -> bytes:
    import gzip

    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def test_probe_tells_our_server_from_a_portal(live, tokens, counter0) -> None:
    assert commands.probe(counter0) is False  # not linked yet
    link_to(counter0, live, tokens["c0"])
    assert commands.probe(counter0) is True
    with FaultProxy(live.url) as proxy:
        with counter0.write() as session:
            settings.put(session, engine.KEY_SERVER, proxy.url)
        proxy.then("portal")
        assert commands.probe(counter0) is False
        assert commands.probe(counter0) is True  # the proxy forwards again


def test_the_background_lane_sends_new_work_and_reports_it(live, tokens, counter0, server_db) -> None:
    import threading

    from counter_app.sync.lane import SyncLane
    from counter_app.sync.schedule import SyncSchedule

    link_to(counter0, live, tokens["c0"])
    reports: list = []  # SyncStatus, one per change
    arrived = threading.Semaphore(0)

    def on_update(status) -> None:  # noqa: ANN001 - a SyncStatus
        reports.append(status)
        arrived.release()

    lane = SyncLane(counter0, schedule=SyncSchedule(settle=0.0), on_update=on_update)
    lane.start()
    try:
        assert arrived.acquire(timeout=60)  # the start-up pass
        intake_many(counter0, 2)
        lane.local_change()  # what the window calls after an intake
        assert arrived.acquire(timeout=60)
    finally:
        lane.stop()
    assert reports[-1].pending == 0 and reports[-1].last_pass["pushed"] == 2
    assert reports[-1].last_success is not None and reports[-1].lane_error is None
    assert len(server_dossiers(server_db)) == 2


def test_an_event_that_arrives_before_its_predecessor_stays_pending_and_is_confirmed_later(live, tokens, counter0,
                                                                                         server_db) -> None:
    from sqlalchemy import text

    from district_server.review import list_reviews

    link_to(counter0, live, tokens["c0"])
    (did,) = intake_many(counter0, 1)
    to_4 = move(counter0, did, 4)
    to_9 = move(counter0, did, 9)
    with counter0.write() as session:  # the move to 4 was refused earlier (say the server was mid-upgrade)
        session.execute(text("UPDATE outbox SET state = 'rejected', last_error = 'lỗi trước' WHERE event_id = :e"),
                        {"e": to_4})
    summary = commands.sync_once(counter0)
    assert summary == {"pushed": 1, "pulled": 0, "pending": 1, "rejected": 1}  # 4→9 held, not refused
    (held,) = [f for f in commands.failed_events(counter0) if f.event_id == to_9]
    assert held.state == "pending" and held.reason.startswith("[held]") and "tự được áp dụng" in held.reason
    assert _code_status(server_db, did) == 2
    assert [r["event_id"] for r in list_reviews(server_db)] == [to_9]
    # The officer retries the refused move: the server stores it and applies the held one itself;
    # the counter's resend of the held one is then answered "duplicate" and it is confirmed sent.
    commands.retry_event(counter0, to_4)
    assert commands.sync_once(counter0, batch_size=1) == {"pushed": 2, "pulled": 0, "pending": 0, "rejected": 0}
    assert outbox_states(counter0) == {"sent": 3}
    assert _code_status(server_db, did) == 9
    assert list_reviews(server_db) == []
    assert_exactly_once(server_db, counter0)


def _code_status(db, dossier_id: str) -> int:  # noqa: ANN001
    return next(d["status"] for d in server_dossiers(db) if d["id"] == dossier_id)
