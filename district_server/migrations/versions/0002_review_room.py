"""Review: the dossier of each kept event (waiting moves are re-checked per dossier, through a
partial index of the open waiting cases), an index for each device's daily room, and the count
of events refused for lack of room."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import INT, add_columns, columns, s
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    add_columns("review", dossier_id=s(36).null)
    waiting = sa.text("code = 'waiting' AND resolved_at IS NULL")
    op.create_index("ix_review_waiting", "review", ["agency_code", "dossier_id"], sqlite_where=waiting,
                    postgresql_where=waiting)
    op.create_index("ix_review_device_received", "review", ["device_id", "received_at"])
    op.create_table("review_overflow", *columns(device_id=s(36).pk, day=s(10).pk, events=INT, last_at=s(32)))
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

