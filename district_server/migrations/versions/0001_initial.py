"""The district server's first schema: devices, events (unique ids), dossiers, review, publications,
batches. Written out here rather than taken from schema.py, so this revision never changes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import BIG_SEQ, INT, TEXT, columns, s
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("device", *columns(
        id=s(36).pk, agency_code=s(20), counter=INT, token_hash=s(64), label=s(200).default(""),
        created_at=s(32), revoked_at=s(32).null),
        sa.UniqueConstraint("token_hash", name="uq_device_token_hash"))
    op.create_table("event", *columns(
        seq=BIG_SEQ, event_id=s(36), dossier_id=s(36), agency_code=s(20), device_id=s(36).null, counter=INT.null,
        origin=s(10), kind=s(32), from_status=INT.null, to_status=INT, at=s(40), sort_key=s(80),
        payload_hash=s(64), payload_json=TEXT, received_at=s(32), batch_id=s(36).null),
        sa.UniqueConstraint("event_id", name="uq_event_event_id"),
        sqlite_autoincrement=True)
    op.create_index("ix_event_agency_seq", "event", ["agency_code", "seq"])
    op.create_index("ix_event_dossier", "event", ["dossier_id", "sort_key"])
    op.create_table("dossier", *columns(
        id=s(36).pk, agency_code=s(20), code=s(40), counter=INT, status=INT, procedure_code=s(60),
        received_at=s(40), due_at=s(40), returned_at=s(40).null, last_key=s(80), last_event_id=s(36),
        created_at=s(32), updated_at=s(32)),
        sa.UniqueConstraint("code", name="uq_dossier_code"))
    op.create_index("ix_dossier_agency_code", "dossier", ["agency_code", "code"])
    op.create_table("review", *columns(
        id=BIG_SEQ, event_id=s(100), payload_hash=s(64), result=s(10), code=s(40), reason=TEXT, device_id=s(36),
        agency_code=s(20), payload_json=TEXT, received_at=s(32), resolved_at=s(32).null),
        sa.UniqueConstraint("event_id", "payload_hash", name="uq_review_event_payload"))
    op.create_table("publication", *columns(
        seq=BIG_SEQ, kind=s(20), agency_code=s(20).null, payload_json=TEXT, published_at=s(32),
        note=s(500).default("")),
        sqlite_autoincrement=True)
    op.create_table("batch", *columns(
        batch_id=s(36).pk, device_id=s(36), events=INT, stored=INT, received_at=s(32)))
