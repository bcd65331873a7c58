"""A per-client-address limit on requests (docs/server-web.md "Rate limits").

In memory, per server process: with `serve --workers N` each worker counts on its own, so the real
bound is N times the figure. Behind a reverse proxy, run uvicorn with --proxy-headers and
--forwarded-allow-ips so the address is the citizen's, not the proxy's.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque


class RateLimit:
    """At most `limit` hits per `window` seconds per key (a sliding window)."""

    # Bounded memory: an attacker cycling through addresses forgets the oldest, never grows the table.
    MAX_KEYS = 50_000

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float:
        """Count one request; 0 when allowed, else the seconds until the next one would be."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            self._hits[key] = hits
            if len(self._hits) > self.MAX_KEYS:
                self._hits.popitem(last=False)
            if len(hits) >= self.limit:
                return max(0.001, hits[0] + self.window - now)
            hits.append(now)
            return 0.0

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
