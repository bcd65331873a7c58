"""Which office may read which digitised file: one `file_ref` row (schema.py) per stored
"digitised" event, naming the file's hash, its office, its dossier (its code is the dossier
table's) and the event.

Ingest writes the row in the transaction that stores the event (`record`), migration 0007 wrote
them for the events stored before, and the file endpoints (files_api.py) and the dashboard
(web/pages_files.py) read them by hash, through an index: no search through event payloads.

Only a "digitised" event refers to a file, by `details.sha256` (counter_app/digitise/filestore.py
writes it); a hash anywhere else in a payload (a note, an older counter's extra field) gives no
right to read anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app.sync.protocol_files import is_sha256
from district_server.database import Database
from district_server.schema import event, file_ref

DIGITISED = "digitised"


def ref_of(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The file_ref row of a stored event row (event_id, dossier_id, agency_code, kind,
    payload_json, received_at), or None when it names no file."""
    if row["kind"] != DIGITISED:
        return None
    try:
        payload = json.loads(row["payload_json"])
    except (TypeError, ValueError):
        return None
    details = payload.get("details") if isinstance(payload, dict) else None
    sha = details.get("sha256") if isinstance(details, dict) else None
    if not is_sha256(sha):
        return None
    kind = details.get("file_kind")
    component = details.get("component")
    return {"event_id": row["event_id"], "sha256": sha, "agency_code": row["agency_code"],
            "dossier_id": row["dossier_id"], "seen_at": row["received_at"],
            # What the digitisation indicators count (services/digitisation_stats.py); anything
            # else reads as a paper of no checklist line, which counts for no line.
            "file_kind": kind if kind in ("component", "result") else "component",
            "component": component if type(component) is int and 0 <= component < 1000 else 0}


def record(db: Database, conn: Connection, stored: Iterable[Mapping[str, Any]]) -> int:
    """The references of events just stored, in the caller's transaction; how many."""
    refs = [ref for ref in map(ref_of, stored) if ref is not None]
    if refs:
        conn.execute(db.insert(file_ref).on_conflict_do_nothing(index_elements=["event_id"]), refs)
    return len(refs)


def office_refers(db: Database, agency_code: str, sha256: str) -> bool:
    """Whether a stored event of the office names the file: its devices may send and read it."""
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.literal(1)).where(file_ref.c.sha256 == sha256)
                            .where(file_ref.c.agency_code == agency_code).limit(1)).first() is not None


def named_anywhere(db: Database, sha256: str) -> bool:
    """Whether any office's events name the file (the district's staff see every office)."""
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.literal(1)).where(file_ref.c.sha256 == sha256).limit(1)).first() is not None


def dossier_hashes(db: Database, dossier_id: str) -> list[str]:
    """The files a dossier's events name, in the order first named (the dashboard's dossier page)."""
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(file_ref.c.sha256).join(event, event.c.event_id == file_ref.c.event_id)
                            .where(file_ref.c.dossier_id == dossier_id).order_by(event.c.sort_key)).scalars()
        return list(dict.fromkeys(rows))
