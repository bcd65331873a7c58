"""The outbox: every event that must reach the district server, written in the same transaction
as the change it records. Only an explicit acknowledgement from the server marks it sent.

Besides dossier events it carries the office's own catalogue changes (kind `procedure`, no
dossier): they travel in the push's `procedures` list, not among its events (docs/sync.md).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, func, select

from counter_app import clock
from counter_app.db.models import Outbox, StatusEvent
from counter_app.domain.ids import new_id

KIND_PROCEDURE = "procedure"  # an outbox row that is an OfficeProcedure (sync/protocol.py), not an event


def enqueue(session: Session, event: StatusEvent, dossier: dict[str, Any]) -> None:
    payload = {
        "event_id": event.id,
        "kind": event.kind,
        "dossier_id": event.dossier_id,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": event.at,
        "officer": event.officer,
        "actor": event.actor,
        "note": event.note,
        "details": json.loads(event.payload_json or "{}"),  # hand-over unit, new due time, recipient …
        "dossier": dossier,
    }
    _insert(session, event.id, event.dossier_id, event.kind, payload)


def enqueue_procedure(session: Session, procedure: dict[str, Any], officer: str) -> str:
    """The office's own change of one procedure (protocol.OfficeProcedure, version 1), in the
    caller's transaction — the same one that changed the catalogue. Returns the entry's id."""
    entry_id = new_id()
    payload = {"v": 1, "entry_id": entry_id, "at": clock.iso(clock.now()), "officer": officer,
               "procedure": procedure}
    _insert(session, entry_id, "", KIND_PROCEDURE, payload)
    return entry_id


def _insert(session: Session, entry_id: str, dossier_id: str, kind: str, payload: dict[str, Any]) -> None:
    values = {"event_id": entry_id, "dossier_id": dossier_id, "kind": kind,
              "payload_json": json.dumps(payload, ensure_ascii=False, sort_keys=True),
              "created_at": clock.iso(clock.now())}
    # Plain SQL on the session's connection, in its transaction, and no ORM object: every change
    # writes one, and an object and a flush cost more than the insert.
    session.connection().exec_driver_sql(
        "INSERT INTO outbox (event_id, dossier_id, kind, payload_json, created_at, attempts, last_error, state) "
        "VALUES (:event_id, :dossier_id, :kind, :payload_json, :created_at, 0, '', 'pending')", values)


KEEP_SENT_PAYLOADS_DAYS = 30


def prune_sent(session: Session, *, days: int = KEEP_SENT_PAYLOADS_DAYS, now: datetime | None = None) -> int:
    """Drop the dossier snapshots of events the district acknowledged more than `days` ago.

    Each payload carries the whole dossier (~1.5 KB); once acknowledged it is never sent again,
    and the event itself stays in status_event. The row stays too (its event id and sent_at),
    so nothing about what was sent is forgotten. Returns how many payloads were dropped."""
    cutoff = clock.iso((now or clock.now()) - timedelta(days=days))
    result = session.execute(
        text("UPDATE outbox SET payload_json = '{}' WHERE sent_at IS NOT NULL AND sent_at < :cutoff "
             "AND payload_json != '{}'"), {"cutoff": cutoff})
    return int(result.rowcount or 0)


def pending_count(session: Session) -> int:
    """Events still to send; rejected ones wait for a person, not for the network, and are counted apart."""
    return session.exec(select(func.count()).select_from(Outbox)
                        .where(Outbox.sent_at == None, Outbox.state == "pending")).one()  # noqa: E711
