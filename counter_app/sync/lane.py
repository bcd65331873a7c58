"""The background sync lane: one thread that runs sync passes when the schedule says so, and never
makes the counter wait for the network (no Qt here; the window wraps `on_update` in a signal).

While backing off after network failures it probes `GET /health` every `probe_interval` seconds (a
few hundred bytes) and runs a full pass as soon as our server answers again: "at once when the
network comes back", without waiting out a 30-minute back-off. The window can also report network
changes it sees itself (`network_changed`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from counter_app.db.store import Store
from counter_app.errors import UserError
from counter_app.sync import commands
from counter_app.sync.errors import ServerUnreachable
from counter_app.sync.schedule import SyncSchedule
from counter_app.sync.status import SyncStatus

log = logging.getLogger(__name__)


class SyncLane:
    def __init__(
        self,
        store: Store,
        *,
        schedule: SyncSchedule | None = None,
        run_pass: Callable[[], dict[str, int]] | None = None,
        probe: Callable[[], bool] | None = None,
        probe_interval: float = 20.0,
        on_update: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self.store = store
        self.schedule = schedule or SyncSchedule()
        self._run_pass = run_pass or (lambda: commands.sync_once(store))
        self._probe = probe or (lambda: commands.probe(store))
        self.probe_interval = probe_interval
        self._on_update = on_update
        self._wake = threading.Event()
        self._lock = threading.Lock()  # the schedule is touched by the lane and by the window's thread
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.last_summary: dict[str, int] | None = None
        self.last_error: str | None = None

    # --- called from the window -----------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="sync-lane", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the lane to end after the current pass (a pass is safe to cut anywhere anyway)."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def sync_now(self) -> None:
        """"Đồng bộ ngay": a pass at once, whatever the schedule (a permanent stop included)."""
        with self._lock:
            self.schedule.run_now()
        self._wake.set()

    def network_changed(self, online: bool) -> None:
        if online:
            with self._lock:
                self.schedule.network_back()
            self._wake.set()

    def local_change(self) -> None:
        """Something was written to the outbox: send it soon."""
        with self._lock:
            self.schedule.local_change()
        self._wake.set()

    # --- the thread -----------------------------------------------------------------------------

    def _loop(self) -> None:
        next_probe = time.monotonic() + self.probe_interval
        while not self._stopping:
            with self._lock:
                wait = self.schedule.seconds_until_due()
                if self.schedule.backing_off:
                    probe_in = max(0.0, next_probe - time.monotonic())
                    wait = probe_in if wait is None else min(wait, probe_in)
            self._wake.wait(timeout=wait)
            self._wake.clear()
            if self._stopping:
                return
            with self._lock:
                due, backing_off = self.schedule.due(), self.schedule.backing_off
            if not due and backing_off and time.monotonic() >= next_probe:
                next_probe = time.monotonic() + self.probe_interval
                if self._probe():
                    with self._lock:
                        self.schedule.network_back()
                    due = True
            if due:
                self._pass()
                next_probe = time.monotonic() + self.probe_interval

    def _pass(self) -> None:
        try:
            summary = self._run_pass()
        except ServerUnreachable as exc:
            with self._lock:
                self.schedule.failed()
            self.last_error = exc.message
        except UserError as exc:  # a refusal, or not linked: retrying alone will not fix it
            with self._lock:
                self.schedule.refused(exc.message)
            self.last_error = exc.message
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the lane; back off and say so
            log.exception("sync pass failed")
            with self._lock:
                self.schedule.failed()
            self.last_error = f"Lỗi không mong đợi khi đồng bộ: {type(exc).__name__}"
        else:
            with self._lock:
                self.schedule.succeeded()
            self.last_summary, self.last_error = summary, None
        self._notify()

    def _notify(self) -> None:
        if self._on_update is None:
            return
        try:
            record = commands.sync_status(self.store)
        except UserError:
            record = {}
        with self._lock:
            record.update({"next_in": self.schedule.seconds_until_due(), "stopped": self.schedule.stopped_reason,
                           "failures": self.schedule.failures})
        record["last_pass"] = self.last_summary
        record["lane_error"] = self.last_error
        try:
            self._on_update(SyncStatus.of(record))
        except Exception:  # noqa: BLE001 - the window's callback must not stop the lane
            log.exception("sync status callback failed")
