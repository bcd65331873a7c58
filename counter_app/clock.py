"""Now, in Vietnam time. One place, so tests and backlog imports can reason about "now"."""

from __future__ import annotations

from datetime import datetime

from counter_app.domain.vn_time import VN_TZ, to_vn


def now() -> datetime:
    return datetime.now(VN_TZ).replace(microsecond=0)


def iso(dt: datetime) -> str:
    """ISO 8601 with the +07:00 offset, as the contract prints times."""
    return dt.astimezone(VN_TZ).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    """An ISO time; a time without offset is Vietnam time."""
    return to_vn(datetime.fromisoformat(value))
