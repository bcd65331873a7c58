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
from district_server.received import storable
from district_server.schema import dossier, event

CHUNK = 500
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
                           .where(dossier.c.code == storable(code).strip().upper())).first()
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


# --- the dashboard's search -----------------------------------------------------------------------

SEARCH_LIMIT = 50
_ID_DIGITS = (9, 12)  # the old ID card and the citizen ID / personal number


def search(db: Database, query: str, *, limit: int = SEARCH_LIMIT) -> tuple[str, list[dict[str, Any]]]:
    """Dossiers matching a code (or its beginning), an ID number (exactly) or the beginning of the
    applicant's name, folded like the counter folds it (no marks, đ→d); what was searched by, and
    up to `limit` rows (limit + 1 fetched: the caller can say there are more)."""
    text = " ".join(storable(query or "").split())
    if text.isdigit() and len(text) in _ID_DIGITS:
        by, column, prefix = "id_number", dossier.c.id_number, None
        condition = dossier.c.id_number == text
    elif any(ch.isdigit() for ch in text) and set(text.upper()) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-"):
        by, column, prefix = "code", dossier.c.code, text.upper()
    else:
        by, column, prefix = "name", dossier.c.name_folded, fold(text)
    if by == "name" and not db.is_sqlite:
        # Byte order, as ix_dossier_name_code holds it: the prefix range and the first 51 in order
        # come from the index, instead of sorting every "nguyen van…" (docs/server-web.md, "Search").
        column = column.collate("C")
    if prefix is not None:
        condition = column.startswith(prefix, autoescape=True)
        if db.is_sqlite:  # SQLite's LIKE folds case, so only a range reaches the index
            condition = sa.and_(condition, column >= prefix, column < prefix + "\U0010ffff")
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.select(dossier.c.code, dossier.c.agency_code, dossier.c.status, dossier.c.procedure_name,
                      dossier.c.received_at, dossier.c.due_at, event.c.payload_json)
            .join(event, event.c.event_id == dossier.c.last_event_id)
            .where(condition).order_by(column, dossier.c.code).limit(limit + 1)).all()
    out = []
    for r in rows:
        item = {k: v for k, v in r._mapping.items() if k != "payload_json"}
        applicant = json.loads(r.payload_json).get("dossier", {}).get("applicant") or {}
        out.append({**item, "status_label": label(r.status), "applicant": applicant.get("full_name", "")})
    return by, out
