"""Review: the dossier of each kept event (waiting moves are re-checked per dossier, through a
partial index of the open waiting cases), an index for each device's daily room, and the count
of events refused for lack of room.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review") as batch:
        batch.add_column(sa.Column("dossier_id", sa.String(36), nullable=True))
    waiting = sa.text("code = 'waiting' AND resolved_at IS NULL")
    op.create_index("ix_review_waiting", "review", ["agency_code", "dossier_id"], sqlite_where=waiting,
                    postgresql_where=waiting)
    op.create_index("ix_review_device_received", "review", ["device_id", "received_at"])
    op.create_table(
        "review_overflow",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("last_at", sa.String(32), nullable=False),
    )
    # Rows kept before: their dossier, from the payload as received (NULL when it had none).
    conn = op.get_bind()
    review = sa.table("review", sa.column("id", sa.BigInteger), sa.column("payload_json", sa.Text),
                      sa.column("dossier_id", sa.String))
    for row_id, text in conn.execute(sa.select(review.c.id, review.c.payload_json)).all():
        try:
            payload = json.loads(text)
        except ValueError:
            continue
        dossier_id = payload.get("dossier_id") if isinstance(payload, dict) else None
        if isinstance(dossier_id, str) and len(dossier_id) <= 36:
            conn.execute(sa.update(review).where(review.c.id == row_id).values(dossier_id=dossier_id))


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
