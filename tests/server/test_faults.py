"""Whatever the network or the machines do, the district ends up with every dossier exactly once,
with its latest status and its whole history, and no event is dropped before it is acknowledged.

Each test breaks one thing for real — a server process killed with SIGKILL inside its transaction,
a counter process killed while waiting for the answer, answers lost, held, replaced by a portal
page — then lets sync run normally and checks that invariant (helpers.assert_exactly_once).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from counter_app.db.models import Outbox
from counter_app.db.store import Store
from counter_app.services import settings
from counter_app.services.lookup import open_by_code
from counter_app.sync import commands, engine
from counter_app.sync.errors import ServerUnreachable
from district_server.app import Hooks
from district_server.review import list_reviews
from district_server.schema import event
from tests.server.faultproxy import FaultProxy
from tests.server.helpers import (
    REPO,
    WAIT,
    LiveServer,
    ServerProcess,
    assert_exactly_once,
    fake_backlog,
    intake_many,
    link_to,
    move,
    outbox_payloads,
    server_dossiers,
    unsent,
)


def _office_day(store: Store) -> list[str]:
    """A realistic mix: new dossiers, some moved on, one returned."""
    ids = intake_many(store, 12)
    move(store, ids[0], 4)
    move(store, ids[0], 9)
    move(store, ids[0], 10)
    move(store, ids[1], 4)
    move(store, ids[2], 7)
    return ids


def _day_waiting_behind(proxy: FaultProxy, store: Store, *faults: str) -> int:
    """An office day waiting to be sent, and the proxy set to break the next requests so; how many
    events wait."""
    _office_day(store)
    waiting = unsent(store)
    proxy.then(*faults)
    return waiting


def _event_count(db) -> int:  # noqa: ANN001
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(event)).scalar_one()


def _in_thread(run: Callable[[], dict[str, int]]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run a sync pass in a thread; the outcome ("summary" or "error") is read after join()."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["summary"] = run()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


@pytest.fixture
def via_proxy(server_db, tokens, counter0):  # noqa: ANN001, ANN201
    """counter 0 linked to a real server through a fault proxy."""
    with LiveServer(server_db) as live, FaultProxy(live.url) as proxy:
        link_to(counter0, proxy, tokens["c0"])
        yield proxy


def test_server_killed_inside_its_transaction(db_url, server_db, tokens, counter0, tmp_path) -> None:
    server = ServerProcess(db_url, tmp_path)
    try:
        server.start("--pause-in-transaction")
        link_to(counter0, server, tokens["c0"])
        _office_day(counter0)
        waiting = unsent(counter0)
        thread, outcome = _in_thread(lambda: commands.sync_once(counter0))
        server.expect("IN-TRANSACTION")  # the whole batch is written but not committed
        server.kill()
        thread.join(WAIT)
        assert isinstance(outcome.get("error"), ServerUnreachable)
        assert _event_count(server_db) == 0  # the open transaction died with the process
        assert unsent(counter0) == waiting  # and the counter dropped nothing
        server.start()  # the same port, no fault this time
        assert commands.sync_once(counter0)["pushed"] == waiting
    finally:
        server.close()
    assert_exactly_once(server_db, counter0)


def test_counter_killed_between_send_and_acknowledgement(via_proxy, server_db, counter0) -> None:
    waiting = _day_waiting_behind(via_proxy, counter0, "hold_after")
    client = subprocess.Popen([sys.executable, "-m", "tests.server.sync_for_tests", str(counter0.path.parent)],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert via_proxy.applied.wait(WAIT)  # the server has applied the batch; its answer is held
        client.kill()
        client.wait(WAIT)
    finally:
        via_proxy.release.set()
    assert unsent(counter0) == waiting  # not acknowledged, so not marked sent
    assert _event_count(server_db) == waiting  # although the server holds it
    summary = commands.sync_once(counter0)
    assert summary["pushed"] == waiting and summary["pending"] == 0
    assert _event_count(server_db) == waiting
    assert_exactly_once(server_db, counter0)


def test_answer_lost_after_the_server_applied_the_batch(via_proxy, server_db, counter0) -> None:
    waiting = _day_waiting_behind(via_proxy, counter0, "drop_after")
    with pytest.raises(ServerUnreachable, match="Không kết nối"):
        commands.sync_once(counter0)
    assert _event_count(server_db) == waiting and unsent(counter0) == waiting
    failed = commands.failed_events(counter0)
    assert len(failed) == waiting and all(f.attempts == 1 and f.state == "pending" for f in failed)
    assert commands.sync_once(counter0)["pushed"] == waiting
    assert commands.failed_events(counter0) == []
    assert_exactly_once(server_db, counter0)


def test_timeout_while_the_answer_is_on_its_way(via_proxy, server_db, counter0) -> None:
    waiting = _day_waiting_behind(via_proxy, counter0, "hold_after")
    try:
        with pytest.raises(ServerUnreachable, match="quá thời gian chờ"):
            commands.sync_once(counter0, timeout=0.5)
    finally:
        via_proxy.release.set()
    assert unsent(counter0) == waiting
    assert commands.sync_once(counter0)["pushed"] == waiting
    assert_exactly_once(server_db, counter0)


def test_timeout_then_the_request_arrives_late(via_proxy, server_db, counter0) -> None:
    """The client gave up; the proxy delivers the batch afterwards. The resend must not double it."""
    waiting = _day_waiting_behind(via_proxy, counter0, "hold_before")
    with pytest.raises(ServerUnreachable, match="quá thời gian chờ"):
        commands.sync_once(counter0, timeout=0.5)
    assert _event_count(server_db) == 0
    via_proxy.release.set()
    assert via_proxy.applied.wait(WAIT)  # the late request is applied now
    assert _event_count(server_db) == waiting and unsent(counter0) == waiting
    assert commands.sync_once(counter0)["pushed"] == waiting
    assert_exactly_once(server_db, counter0)


@pytest.mark.parametrize(("fault", "said"), [
    ("fail_500", "HTTP 500"),  # a proxy's own error page
    ("corrupt_request", "hỏng trên đường truyền"),  # the batch damaged on the way: the server refuses it
])
def test_a_push_that_fails_on_the_way_stores_nothing_and_is_sent_again(via_proxy, server_db, counter0, fault: str,
                                                                        said: str) -> None:
    waiting = _day_waiting_behind(via_proxy, counter0, fault)
    with pytest.raises(ServerUnreachable, match=said):
        commands.sync_once(counter0)
    assert _event_count(server_db) == 0 and unsent(counter0) == waiting
    assert commands.sync_status(counter0)["last_error"]["permanent"] is False  # retried, not stopped
    commands.sync_once(counter0)
    assert_exactly_once(server_db, counter0)


def test_a_server_error_inside_the_transaction_stores_nothing(server_db, tokens, counter0) -> None:
    failures = iter([RuntimeError("disk hiccup")])

    def fail_once(_batch_id: str) -> None:
        for exc in failures:
            raise exc

    with LiveServer(server_db, Hooks(before_commit=fail_once)) as live:
        link_to(counter0, live, tokens["c0"])
        _office_day(counter0)
        waiting = unsent(counter0)
        with pytest.raises(ServerUnreachable, match="HTTP 500"):
            commands.sync_once(counter0)
        assert _event_count(server_db) == 0 and unsent(counter0) == waiting
        assert httpx.get(live.url + "/health", verify=live.verify).status_code == 200  # still up
        assert commands.sync_once(counter0)["pushed"] == waiting
    assert_exactly_once(server_db, counter0)


@pytest.mark.parametrize("answer", ["portal", "portal_redirect", "json_without_marker_after", "truncate_after",
                                    "missing_id_after"])
def test_only_our_servers_acknowledgement_counts(via_proxy, server_db, counter0, answer: str) -> None:
    """A captive portal's 200 page, a redirect to its login, a stranger's JSON, a cut answer, an answer
    with an event missing: none marks anything sent; the next pass puts every event there once."""
    waiting = _day_waiting_behind(via_proxy, counter0, answer)
    with pytest.raises(ServerUnreachable) as caught:
        commands.sync_once(counter0)
    assert "máy chủ huyện" in caught.value.message.lower() and "giữ" in caught.value.message
    assert unsent(counter0) == waiting
    assert commands.sync_status(counter0)["last_error"]["permanent"] is False
    assert commands.sync_once(counter0)["pending"] == 0
    assert_exactly_once(server_db, counter0)


def test_the_same_batch_twice(via_proxy, server_db, counter0, tokens) -> None:
    _office_day(counter0)
    waiting = unsent(counter0)
    commands.sync_once(counter0)
    method, path, headers, body = next(r for r in via_proxy.requests if r[1] == "/v1/push")
    replay = httpx.post(via_proxy.url + path, content=body, headers=headers, verify=via_proxy.verify)  # byte for byte
    answer = replay.json()
    assert replay.status_code == 200 and answer["replayed"] is True
    assert {r["result"] for r in answer["results"]} == {"duplicate"} and len(answer["results"]) == waiting
    # The counter itself sends everything again (say, after a restore of its outbox).
    with counter0.write() as session:
        session.execute(sa.text("UPDATE outbox SET sent_at = NULL, state = 'pending'"))
    assert commands.sync_once(counter0)["pushed"] == waiting
    assert _event_count(server_db) == waiting
    assert_exactly_once(server_db, counter0)


def test_two_counters_of_one_office_sync_at_once(server_db, tokens, counter0, counter1) -> None:
    with LiveServer(server_db) as live:
        link_to(counter0, live, tokens["c0"])
        link_to(counter1, live, tokens["c1"])
        fake_backlog(counter0, 700)
        fake_backlog(counter1, 700)
        _office_day(counter0)
        ids1 = _office_day(counter1)
        start = threading.Barrier(2)
        outcomes = []
        for store in (counter0, counter1):
            def run(store: Store = store) -> dict[str, Any]:
                start.wait(WAIT)
                return commands.sync_once(store, batch_size=200)  # many small batches interleave
            thread, outcome = _in_thread(run)
            outcomes.append((thread, outcome))
        for thread, _ in outcomes:
            thread.join(WAIT)
        assert all("summary" in o for _, o in outcomes), outcomes
        commands.sync_once(counter0)  # each now pulls what the other sent
        commands.sync_once(counter1)
    held = assert_exactly_once(server_db, counter0, counter1)
    assert len(held) == 2 * (700 + 1 + 12)
    code = next(d["code"] for d in held if d["id"] == ids1[0])
    with counter0.read() as session:
        assert open_by_code(session, code)["status"] == 10  # counter 1's returned dossier, at counter 0


def test_same_id_with_another_payload_is_kept_for_review_and_blocks_nothing(via_proxy, server_db, counter0) -> None:
    ids = _office_day(counter0)
    commands.sync_once(counter0)
    before = {d["id"]: d for d in server_dossiers(server_db)}
    # The same event id comes back with another content (a restored backup edited by hand, a bug…),
    # together with new work of the day.
    with counter0.write() as session:
        row = session.exec(select(Outbox).where(Outbox.dossier_id == ids[5])).first()
        payload = json.loads(row.payload_json)
        payload["note"] = "sửa tay"
        payload["dossier"]["status"] = 7
        row.payload_json, row.sent_at, row.state = json.dumps(payload, ensure_ascii=False), None, "pending"
        session.add(row)
        tampered = row.event_id
    fresh = intake_many(counter0, 3)
    move(counter0, ids[3], 4)
    summary = commands.sync_once(counter0)
    assert summary == {"pushed": 4, "pulled": 0, "pending": 0, "rejected": 1}
    failed = commands.failed_events(counter0)
    assert [(f.event_id, f.state) for f in failed] == [(tampered, "rejected")]
    assert "nội dung khác" in failed[0].reason
    after = {d["id"]: d for d in server_dossiers(server_db)}
    assert after[ids[5]]["status"] == before[ids[5]]["status"] == 2  # the held truth is untouched
    assert after[ids[3]]["status"] == 4 and all(i in after for i in fresh)
    reviews = list_reviews(server_db)
    assert [(r["event_id"], r["code"]) for r in reviews] == [(tampered, "payload_mismatch")]
    # Retrying it sends it again; it is refused again, and still one case to review.
    commands.retry_event(counter0, tampered)
    assert commands.sync_once(counter0)["rejected"] == 1
    assert len(list_reviews(server_db)) == 1
    assert_exactly_once(server_db, counter0)  # the held version of the tampered id included


def test_a_pass_cut_between_push_and_pull_loses_nothing(via_proxy, server_db, counter0, counter1, tokens) -> None:
    """The push went through, then the network dropped before the pull: the next pass pulls."""
    link_to(counter1, via_proxy, tokens["c1"])
    _office_day(counter0)
    commands.sync_once(counter0)
    intake_many(counter1, 2)
    via_proxy.then("forward", "portal")  # push answered, pull hits the portal
    with pytest.raises(ServerUnreachable) as caught:
        commands.sync_once(counter1)
    assert caught.value.summary["pushed"] == 2
    assert commands.sync_once(counter1)["pulled"] == len(outbox_payloads(counter0))
    assert_exactly_once(server_db, counter0, counter1)


def test_a_pull_during_a_slow_push_never_skips_it(server_db, tokens, counter0, counter1, tmp_path) -> None:
    """Counter 0's batch is inside its transaction (sequence numbers drawn, not committed) while
    counter 1 pushes and counter 2 pulls. Counter 2's cursor must not pass counter 0's events: an
    office's writers commit in sequence order (database.py), so nothing is skipped."""
    from district_server.auth import add_device
    from tests.server.helpers import make_counter

    entered, release, second = threading.Event(), threading.Event(), threading.Event()
    calls: list[str] = []

    def slow_first(batch_id: str) -> None:
        calls.append(batch_id)
        if len(calls) == 1:
            entered.set()
            release.wait(WAIT)
        else:
            second.set()

    reader = make_counter(tmp_path / "counter2", 2)
    with LiveServer(server_db) as plain:  # the reader's audit head anchored first: its pass below only reads
        link_to(reader, plain, add_device(server_db, "000.00.20.H12", 2)[1])
        commands.sync_once(reader)
    with LiveServer(server_db, Hooks(before_commit=slow_first)) as live:
        link_to(counter0, live, tokens["c0"])
        link_to(counter1, live, tokens["c1"])
        with reader.write() as session:
            settings.put(session, engine.KEY_SERVER, live.url)
        intake_many(counter0, 5)
        intake_many(counter1, 3)
        first, _ = _in_thread(lambda: commands.sync_once(counter0))
        assert entered.wait(WAIT)
        later, _ = _in_thread(lambda: commands.sync_once(counter1))
        second.wait(1.0)  # bounded: counter 1's commit must wait for counter 0's
        during = commands.sync_once(reader)["pulled"]
        release.set()
        first.join(WAIT)
        later.join(WAIT)
        after = commands.sync_once(reader)["pulled"]
    reader.close()
    assert during == 0 and after == 8
