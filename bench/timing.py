"""How the benches time a piece of work: each call on its own perf_counter reading, so one slow
call shows as one slow sample (a bench's median or maximum), not as a shifted average."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def samples(action: Callable[[], object], runs: int) -> list[float]:
    """How long each of `runs` calls of `action` took, in seconds, in the order they ran."""
    taken = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        taken.append(time.perf_counter() - start)
    return taken


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median of `runs` calls, in milliseconds."""
    return statistics.median(samples(action, runs)) * 1000
