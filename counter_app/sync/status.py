"""What the window knows of the district server at a glance, typed: the store's sync record
(commands.sync_status, a JSON mapping the server tests also read) and, from the background lane,
its schedule and last pass (docs/sync.md, "In the window")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SyncError:
    """The last failure of a pass; `permanent` ones stop the automatic retries."""

    at: str
    message: str
    permanent: bool = False

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> SyncError | None:
        if not data:
            return None
        return cls(str(data.get("at") or ""), str(data.get("message") or ""), bool(data.get("permanent")))


@dataclass(frozen=True)
class SyncStatus:
    linked: bool = False
    verified: bool = False  # False: linked while the line was down, checked on the first pass
    server: str | None = None
    pending: int = 0
    rejected: int = 0
    last_success: str | None = None
    last_error: SyncError | None = None
    # from the lane only
    stopped: str = ""  # why automatic passes stopped (a refused token); empty while they run
    next_in: float | None = None  # seconds to the next automatic pass
    failures: int = 0  # passes failed in a row
    last_pass: Mapping[str, Any] | None = field(default=None, compare=False)  # its summary (pushed, pulled…)
    lane_error: str | None = None  # what the lane's last pass said when it failed

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> SyncStatus:
        return cls(linked=bool(data.get("linked")), verified=data.get("verified") is not False,
                   server=data.get("server"), pending=int(data.get("pending") or 0),
                   rejected=int(data.get("rejected") or 0), last_success=data.get("last_success"),
                   last_error=SyncError.of(data.get("last_error")), stopped=str(data.get("stopped") or ""),
                   next_in=data.get("next_in"), failures=int(data.get("failures") or 0),
                   last_pass=data.get("last_pass"), lane_error=data.get("lane_error"))

    @property
    def problem(self) -> str:
        """What is wrong, in words: why the passes stopped, else the last failure's message."""
        return self.stopped or (self.last_error.message if self.last_error else "")


@dataclass(frozen=True)
class FailedEvent:
    """One line of the window's "Sự kiện chưa gửi được" list: an event the server refused, or one
    that failed to go at least once, with the reason."""

    event_id: str
    dossier_id: str
    code: str  # the dossier's code, or an office procedure's code; empty when neither is known
    kind: str
    state: str  # "pending" (retried on the next pass) or "rejected"
    attempts: int
    reason: str
    created_at: str
