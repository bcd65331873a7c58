"""Client-made ids: UUIDv7, time-ordered, the sync key of every dossier and event."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    # uuid6.uuid7 keeps ids monotonic within a process, so index order follows creation order.
    return str(uuid6.uuid7())
