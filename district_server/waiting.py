"""The events each counter said, with its last push, it still had waiting in its outbox
(protocol.WaitingReport): one row a device, replaced by each report, with when it came. The
dashboard's offices page shows it, and flags a report older than protocol.WAITING_REPORT_STALE (the
counter reports at least every WAITING_REPORT_EVERY while it can reach the server). A counter of an
older version reports nothing: "chưa báo"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app import clock
from counter_app.sync.protocol import WAITING_REPORT_STALE, WaitingReport
from district_server.auth import Device
from district_server.database import Database
from district_server.schema import device_waiting


def record(db: Database, conn: Connection, dev: Device, report: WaitingReport, now: str) -> None:
    """In the caller's push transaction."""
    row = {"device_id": dev.id, "events": report.events, "oldest_age_s": report.oldest_age_s, "reported_at": now}
    stmt = db.insert(device_waiting).values(**row)
    conn.execute(stmt.on_conflict_do_update(index_elements=["device_id"],
                                            set_={k: v for k, v in row.items() if k != "device_id"}))


def reports(db: Database, *, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Per device id: events, oldest_age_s, reported_at and `stale` (the report is old)."""
    moment = now or clock.now()
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(device_waiting)).all()
    return {r.device_id: {"events": int(r.events), "reported_at": r.reported_at,
                          "oldest_age_s": None if r.oldest_age_s is None else int(r.oldest_age_s),
                          "stale": moment - clock.parse_iso(r.reported_at) > WAITING_REPORT_STALE} for r in rows}
