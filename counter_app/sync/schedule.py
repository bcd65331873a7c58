"""When the next sync pass runs: a regular pass while all is well, exponential back-off with jitter
after failures (from about a minute, capped), an immediate pass when the network comes back or the
officer presses "Đồng bộ ngay", and no automatic pass at all after a permanent refusal (bad token)
until someone acts.

Pure logic with an injectable clock and random source, so every rule is tested without waiting.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    first: float = 60.0  # seconds after the first failure
    factor: float = 2.0
    cap: float = 30 * 60.0  # a commune offline all day still gets a try every half hour
    jitter: float = 0.25  # ± this fraction, so the counters of a district do not retry in step

    def delay(self, failures: int, rand: float) -> float:
        """Seconds to wait after `failures` (≥ 1) failed passes in a row; `rand` in [0, 1)."""
        base = min(self.cap, self.first * self.factor ** max(0, failures - 1))
        spread = base * self.jitter
        return min(self.cap, base - spread + 2 * spread * rand)


class SyncSchedule:
    """State: healthy (next regular pass), backing off (after failures), or stopped (permanent)."""

    def __init__(
        self,
        backoff: Backoff | None = None,
        *,
        interval: float = 300.0,  # a regular pass also brings the other counters' dossiers
        settle: float = 5.0,  # after a local change, wait this long so a burst of intakes goes in one batch
        now: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.backoff = backoff or Backoff()
        self.interval = interval
        self.settle = settle
        self._now = now
        self._rand = rand
        self.failures = 0
        self.stopped_reason: str | None = None
        self.next_at = now()  # the first pass runs at start-up

    @property
    def backing_off(self) -> bool:
        return self.failures > 0 and self.stopped_reason is None

    @property
    def stopped(self) -> bool:
        return self.stopped_reason is not None

    def due(self) -> bool:
        return not self.stopped and self._now() >= self.next_at

    def seconds_until_due(self) -> float | None:
        """None while stopped (nothing will run until someone acts)."""
        if self.stopped:
            return None
        return max(0.0, self.next_at - self._now())

    # --- outcomes of a pass ---------------------------------------------------------------------

    def succeeded(self) -> None:
        self.failures = 0
        self.stopped_reason = None
        self.next_at = self._now() + self.interval

    def failed(self) -> float:
        """A pass that could not reach the server; returns the delay chosen."""
        self.failures += 1
        delay = self.backoff.delay(self.failures, self._rand())
        self.next_at = self._now() + delay
        return delay

    def refused(self, reason: str) -> None:
        """A permanent error: retrying cannot fix it, so automatic passes stop."""
        self.stopped_reason = reason

    # --- events from outside --------------------------------------------------------------------

    def network_back(self) -> None:
        """The network returned: try at once and start the back-off afresh (a permanent refusal
        stays: a new network does not make a revoked token valid)."""
        if self.stopped:
            return
        self.failures = 0
        self.next_at = self._now()

    def run_now(self) -> None:
        """The officer asked ("Đồng bộ ngay"): run at once whatever the state, permanent refusal
        included (they may have fixed the link)."""
        self.stopped_reason = None
        self.next_at = self._now()

    def local_change(self) -> None:
        """New events were written: send them soon, unless the server is known to be away."""
        if self.stopped or self.backing_off:
            return
        self.next_at = min(self.next_at, self._now() + self.settle)
