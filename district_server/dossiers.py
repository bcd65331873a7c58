"""The stored dossiers as `counter-server dossiers` prints them: the latest snapshot, the server's
current status, and the history (every event held for the dossier, oldest first)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from counter_app.domain.codes import normalise_agency_code
from counter_app.domain.statuses import label
from counter_app.domain.text import fold
from district_server.database import Database
from district_server.schema import dossier, event

CHUNK = 500
# The searchable and statistical columns the dashboard reads (schema.py), copied from each
# latest snapshot by ingest, by a district move and by migration 0003_web for older rows.
INDEXED = ("name_folded", "id_number", "procedure_name", "channel", "start_at", "finished_at")


def indexed_columns(snapshot: Any) -> dict[str, Any]:
    """Those columns from a dossier snapshot as a counter sent it (anything not of the right kind
    becomes empty: the snapshot was checked for what ingest needs, not for these)."""
    snap = snapshot if isinstance(snapshot, dict) else {}
    applicant = snap.get("applicant") if isinstance(snap.get("applicant"), dict) else {}
    channel = snap.get("channel")

    def text(value: Any, limit: int) -> str:
        return value[:limit] if isinstance(value, str) else ""

    return {
        "name_folded": fold(text(applicant.get("full_name"), 400))[:200],
        "id_number": text(applicant.get("id_number"), 20).strip(),
        "procedure_name": text(snap.get("procedure_name"), 2000),
        "channel": channel if isinstance(channel, int) and not isinstance(channel, bool) and 0 < channel < 10 else 1,
        "start_at": text(snap.get("start_at"), 40) or None,
        "finished_at": text(snap.get("finished_at"), 40) or None,
    }


def iter_dossiers(db: Database, agency_code: str | None = None) -> Iterator[dict[str, Any]]:
    """Dossiers in code order, a chunk at a time (a district holds millions: never all in memory)."""
    scope = normalise_agency_code(agency_code) if agency_code else None
    after = ""
    while True:
        with db.read() as conn:
            stmt = (sa.select(dossier, event.c.payload_json)
                    .join(event, event.c.event_id == dossier.c.last_event_id)
                    .where(dossier.c.code > after).order_by(dossier.c.code).limit(CHUNK))
            if scope:
                stmt = stmt.where(dossier.c.agency_code == scope)
            rows = conn.execute(stmt).all()
            if not rows:
                return
            history = _histories(conn, [r.id for r in rows])
        for r in rows:
            yield _dossier_dict(r, history.get(r.id, []))
        after = rows[-1].code


def get_dossier(db: Database, code: str) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute(sa.select(dossier, event.c.payload_json)
                           .join(event, event.c.event_id == dossier.c.last_event_id)
                           .where(dossier.c.code == code.strip().upper())).first()
        if row is None:
            return None
        return _dossier_dict(row, _histories(conn, [row.id]).get(row.id, []))


def _histories(conn: sa.Connection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = conn.execute(
        sa.select(event.c.dossier_id, event.c.event_id, event.c.kind, event.c.from_status, event.c.to_status,
                  event.c.at, event.c.origin, event.c.counter, event.c.payload_json)
        .where(event.c.dossier_id.in_(ids))
        .order_by(event.c.dossier_id, event.c.sort_key)
    ).all()
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        payload = json.loads(r.payload_json)
        out.setdefault(r.dossier_id, []).append({
            "event_id": r.event_id, "kind": r.kind, "from_status": r.from_status, "status": r.to_status,
            "at": r.at, "officer": payload.get("officer", ""), "note": payload.get("note", ""),
            "origin": r.origin, "counter": r.counter,
        })
    return out


def _dossier_dict(row: Any, history: list[dict[str, Any]]) -> dict[str, Any]:
    snapshot = json.loads(row.payload_json).get("dossier", {})
    data = {k: v for k, v in snapshot.items() if k != "sync"}
    data.update({
        "id": row.id, "code": row.code, "agency_code": row.agency_code, "counter": row.counter,
        "status": row.status, "status_label": label(row.status), "received_at": row.received_at,
        "due_at": row.due_at, "returned_at": row.returned_at, "server_updated_at": row.updated_at,
        "history": history,
    })
    return data
