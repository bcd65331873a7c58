"""Which office's events name which digitised file (district_server/file_refs.py): the table the
file endpoints read instead of searching event payloads, filled here from the "digitised" events
already held.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import columns, s
from counter_app.db.schema_kit import downgrade as downgrade
from district_server.file_refs import DIGITISED, ref_of

revision = "0007"
down_revision = "0006"

BACKFILL_CHUNK = 1000


def upgrade() -> None:
    op.create_table("file_ref", *columns(
        event_id=s(36).pk, sha256=s(64), agency_code=s(20), dossier_id=s(36), seen_at=s(32)))
    op.create_index("ix_file_ref_sha_agency", "file_ref", ["sha256", "agency_code"])
    op.create_index("ix_file_ref_dossier", "file_ref", ["dossier_id"])
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """The "digitised" events held before, read a chunk at a time in sequence order; each payload
    is read by the same function ingest uses (file_refs.ref_of), so both databases fill alike."""
    event = sa.table("event", *(sa.column(n) for n in ("seq", "event_id", "dossier_id", "agency_code", "kind",
                                                          "payload_json", "received_at")))
    file_ref = sa.table("file_ref", *(sa.column(n) for n in ("event_id", "sha256", "agency_code", "dossier_id",
                                                              "seen_at")))
    after = 0
    while True:
        rows = conn.execute(sa.select(event.c.seq, event.c.event_id, event.c.dossier_id, event.c.agency_code,
                                      event.c.kind, event.c.payload_json, event.c.received_at)
                            .where(event.c.kind == DIGITISED, event.c.seq > after)
                            .order_by(event.c.seq).limit(BACKFILL_CHUNK)).mappings().all()
        if not rows:
            return
        # The columns this step made (later steps add more: ref_of names them too).
        refs = [{k: ref[k] for k in file_ref.c.keys()} for ref in map(ref_of, rows) if ref is not None]
        if refs:
            conn.execute(sa.insert(file_ref), refs)
        after = rows[-1]["seq"]
