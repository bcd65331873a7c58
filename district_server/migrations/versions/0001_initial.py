"""The district server's first schema: devices, events (unique ids), dossiers, review, publications,
batches. Written out here rather than taken from schema.py, so this revision never changes.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigSeq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_device_token_hash"),
    )
    op.create_table(
        "event",
        sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.Column("counter", sa.Integer, nullable=True),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("from_status", sa.Integer, nullable=True),
        sa.Column("to_status", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("sort_key", sa.String(80), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=True),
        sa.UniqueConstraint("event_id", name="uq_event_event_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_event_agency_seq", "event", ["agency_code", "seq"])
    op.create_index("ix_event_dossier", "event", ["dossier_id", "sort_key"])
    op.create_table(
        "dossier",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("procedure_code", sa.String(60), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("due_at", sa.String(40), nullable=False),
        sa.Column("returned_at", sa.String(40), nullable=True),
        sa.Column("last_key", sa.String(80), nullable=False),
        sa.Column("last_event_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("code", name="uq_dossier_code"),
    )
    op.create_index("ix_dossier_agency_code", "dossier", ["agency_code", "code"])
    op.create_table(
        "review",
        sa.Column("id", BigSeq, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.String(10), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("event_id", "payload_hash", name="uq_review_event_payload"),
    )
    op.create_table(
        "publication",
        sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("agency_code", sa.String(20), nullable=True),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=False, server_default=""),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "batch",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("stored", sa.Integer, nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
