"""The retry schedule (pure, on a fake clock) and the background lane (a real thread, awaited on
events, never on sleeps)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from counter_app.sync.errors import ServerUnreachable, SyncRefused
from counter_app.sync.lane import SyncLane
from counter_app.sync.schedule import Backoff, SyncSchedule

WAIT = 30.0


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize(("failures", "low", "high"), [
    (1, 45.0, 75.0),  # about a minute
    (2, 90.0, 150.0),
    (3, 180.0, 300.0),
    (5, 720.0, 1200.0),
    (6, 1350.0, 1800.0),  # the cap applies to the jittered value too
    (30, 1350.0, 1800.0),
])
def test_backoff_grows_with_jitter_and_is_capped(failures: int, low: float, high: float) -> None:
    b = Backoff()
    values = [b.delay(failures, r / 10) for r in range(10)]
    assert all(low <= v <= high for v in values), values
    assert len(set(values)) > 1  # jitter spreads the counters of a district


def test_schedule_backs_off_then_resets_when_the_network_returns() -> None:
    clock = FakeClock()
    s = SyncSchedule(now=clock, rand=lambda: 0.5, interval=300)
    assert s.due()  # the first pass runs at start-up
    assert s.failed() == 60.0 and s.backing_off and not s.due()
    clock.t += 59
    assert not s.due()
    clock.t += 1
    assert s.due()
    assert s.failed() == 120.0
    s.local_change()  # new intakes do not hammer a server known to be away
    assert s.seconds_until_due() == 120.0
    s.network_back()
    assert s.due() and s.failures == 0  # at once, and the back-off starts afresh
    s.succeeded()
    assert not s.due() and s.seconds_until_due() == 300
    s.local_change()
    assert s.seconds_until_due() == 5.0  # new work goes up soon


def test_a_permanent_refusal_stops_until_someone_acts() -> None:
    clock = FakeClock()
    s = SyncSchedule(now=clock)
    s.refused("Mã thiết bị không hợp lệ")
    clock.t += 10_000
    assert not s.due() and s.seconds_until_due() is None
    s.network_back()  # a network coming back does not make a revoked token valid
    assert not s.due()
    s.run_now()  # the officer pressed "Đồng bộ ngay" (after fixing the link)
    assert s.due() and not s.stopped


class Script:
    """A fake sync pass: each call takes the next outcome and signals it ran."""

    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0
        self.ran = threading.Semaphore(0)

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else {"pushed": 0}
        self.ran.release()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def wait_for_call(self) -> None:
        assert self.ran.acquire(timeout=WAIT), "the lane did not run a pass"


def test_lane_retries_at_once_when_told_the_network_is_back(store) -> None:  # noqa: ANN001
    script = Script(ServerUnreachable("mất mạng"), {"pushed": 3})
    updates: list = []  # SyncStatus, one per change
    lane = SyncLane(store, run_pass=script, probe=lambda: False, probe_interval=3600, on_update=updates.append)
    lane.start()
    try:
        script.wait_for_call()  # start-up pass fails: the next one is a minute away
        lane.network_changed(True)
        script.wait_for_call()
    finally:
        lane.stop()
    assert script.calls == 2 and lane.last_summary == {"pushed": 3} and lane.schedule.failures == 0
    assert updates[0].lane_error == "mất mạng" and updates[-1].lane_error is None


def test_lane_probes_while_backing_off_and_syncs_when_the_server_answers(store) -> None:  # noqa: ANN001
    script = Script(ServerUnreachable("mất mạng"), {"pushed": 1})
    answers = iter([False, False, True])
    lane = SyncLane(store, run_pass=script, probe=lambda: next(answers, True), probe_interval=0.01)
    lane.start()
    try:
        script.wait_for_call()
        script.wait_for_call()  # after two failed probes the third one found the server
    finally:
        lane.stop()
    assert lane.last_summary == {"pushed": 1}


def test_lane_stops_on_a_permanent_error_until_sync_now(store) -> None:  # noqa: ANN001
    script = Script(SyncRefused("Mã thiết bị đã bị thu hồi"), {"pushed": 0})
    lane = SyncLane(store, run_pass=script, probe=lambda: True, probe_interval=0.01)
    lane.start()
    try:
        script.wait_for_call()
        lane.network_changed(True)  # ignored: the refusal stands
        assert not script.ran.acquire(timeout=0.3)  # bounded check that nothing else ran
        assert lane.schedule.stopped_reason == "Mã thiết bị đã bị thu hồi"
        lane.sync_now()
        script.wait_for_call()
    finally:
        lane.stop()
    assert script.calls == 2 and not lane.schedule.stopped
