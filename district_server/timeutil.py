"""Server time, in Vietnam time like everything the counters write."""

from __future__ import annotations

from counter_app import clock


def now_iso() -> str:
    return clock.iso(clock.now())
