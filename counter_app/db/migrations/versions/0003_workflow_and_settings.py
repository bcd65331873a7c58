"""What the dossier's life after intake needs, and a key-value settings table.

- dossier.original_due_at / extension_count: the one extension allowed (Mẫu 04) keeps the first
  appointment for the record and the statistics;
- dossier.paused_at: when a supplement request (status 5) stopped the clock;
- dossier.rating: the optional satisfaction rating given at the return;
- setting: small named values (sync link, cursors, office preferences) as JSON.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("original_due_at", sa.String, nullable=True))
        batch.add_column(sa.Column("extension_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("paused_at", sa.String, nullable=True))
        batch.add_column(sa.Column("rating", sa.Integer, nullable=True))
    op.create_table(
        "setting",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value_json", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("The store never goes back to an older schema; restore a backup instead.")
