"""What district staff do on the server (from its CLI): publish catalogue and calendar updates for
the counters and move a dossier's status upstream (the events kept for review: review.py).

Every input is checked with the very functions the counters will apply it with, so a publication
that reaches a counter is one it can take.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from counter_app import clock
from counter_app.domain import holidays
from counter_app.domain.codes import normalise_agency_code
from counter_app.domain.ids import new_id
from counter_app.domain.statuses import can_move, label
from counter_app.errors import UserError
from counter_app.services import catalogue
from counter_app.sync.protocol import canonical_json, event_key, payload_hash
from district_server import ingest
from district_server.database import Database
from district_server.indexed import indexed_columns
from district_server.schema import dossier, event, publication
from district_server.timeutil import now_iso


def publish_catalogue(db: Database, records: Any, *, agency_code: str | None = None, note: str = "") -> int:
    if not isinstance(records, list) or not records:
        raise UserError("Danh mục phải là một mảng JSON các thủ tục (không rỗng).")
    specs = catalogue.parse_procedures([(f"Thủ tục thứ {i}", r) for i, r in enumerate(records, 1)])
    return _publish(db, "catalogue", {"procedures": [s.to_dict() for s in specs]}, agency_code, note)


def publish_calendar(db: Database, table: Any, *, agency_code: str | None = None, note: str = "") -> int:
    try:
        parsed = holidays.load_year_table(table)
    except ValueError as exc:
        raise UserError(f"Lịch nghỉ lễ không hợp lệ: {exc}.") from None
    return _publish(db, "calendar", holidays.year_table_to_dict(parsed), agency_code, note)


def _publish(db: Database, kind: str, payload: dict[str, Any], agency_code: str | None, note: str) -> int:
    scope = normalise_agency_code(agency_code) if agency_code else None
    # One writer of publications at a time, so their sequence commits in order (see database.py).
    with db.write("*publications*") as conn:
        seq = conn.execute(sa.insert(publication).values(
            kind=kind, agency_code=scope, payload_json=canonical_json(payload), published_at=now_iso(),
            note=note[:500]).returning(publication.c.seq)).scalar_one()
    return int(seq)


def set_status(db: Database, code: str, new_status: int, *, note: str = "", officer: str = "") -> dict[str, Any]:
    """A status change made at the district (e.g. processing → result ready). It becomes an event
    like the counters' ones, so it is in the history and reaches the office's counters on pull."""
    value = (code or "").strip().upper()
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(dossier.c.agency_code).where(dossier.c.code == value)).first()
    if row is None:
        raise UserError(f"Không tìm thấy hồ sơ mã {value} trên máy chủ huyện.")
    with db.write(row.agency_code) as conn:
        current = conn.execute(
            sa.select(dossier, event.c.payload_json)
            .join(event, event.c.event_id == dossier.c.last_event_id)
            .where(dossier.c.code == value)
        ).one()
        if not can_move(current.status, new_status):
            raise UserError(f"Không thể chuyển hồ sơ {value} từ '{label(current.status)}' sang '{label(new_status)}'.")
        snapshot = json.loads(current.payload_json)["dossier"]
        at = _after(current.last_key)
        snapshot.update({"status": new_status, "status_label": label(new_status), "sync": "synced"})
        if new_status in (7, 8, 9):  # processing ends here: the counters' statistics read finished_at
            snapshot["finished_at"] = at
        payload = {"event_id": new_id(), "kind": "move", "dossier_id": current.id, "from_status": current.status,
                   "to_status": new_status, "at": at, "officer": officer[:1000], "actor": "district",
                   "note": note[:4000], "dossier": snapshot}
        key = event_key(at, payload["event_id"])
        conn.execute(sa.insert(event).values(
            event_id=payload["event_id"], dossier_id=current.id, agency_code=current.agency_code, device_id=None,
            counter=None, origin="district", kind="move", from_status=current.status, to_status=new_status, at=at,
            sort_key=key, payload_hash=payload_hash(payload), payload_json=canonical_json(payload), received_at=at,
            batch_id=None))
        conn.execute(sa.update(dossier).where(dossier.c.id == current.id).values(
            status=new_status, last_key=key, last_event_id=payload["event_id"], updated_at=at,
            **indexed_columns(snapshot)))
        ingest.apply_waiting(db, conn, current.id)  # a counter's event may have waited for this move
    return payload


def _after(last_key: str) -> str:
    """Now, or just after the dossier's latest event when a counter's clock runs ahead of ours
    (within the skew the server tolerates): the district's move must come after what it moves
    from, or the status rules would place it before (rules.py)."""
    now = clock.now()
    latest = datetime.strptime(last_key.split("|", 1)[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if latest >= now:
        now = (latest + timedelta(seconds=1)).astimezone(now.tzinfo)
    return clock.iso(now)
