"""Named settings kept in the store (JSON values): one place to read and write them."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from counter_app import clock
from counter_app.db import plain_rows
from counter_app.db.models import Setting


def get(session: Session, key: str, default: Any = None) -> Any:
    # A plain read: every intake reads the calendar's revision. `put` flushes, so it is seen.
    row = plain_rows.fetch_one(session, "SELECT value_json FROM setting WHERE key = :key", {"key": key})
    return default if row is None else json.loads(row.value_json)


def put(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key) or Setting(key=key, value_json="null", updated_at="")
    row.value_json = json.dumps(value, ensure_ascii=False)
    row.updated_at = clock.iso(clock.now())
    session.add(row)
    session.flush()
