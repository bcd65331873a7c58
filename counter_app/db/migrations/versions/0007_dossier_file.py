"""dossier_file: the digitised papers of each dossier (docs/digitisation.md).

One row per PDF kept: which dossier, which component of its checklist (or a paper outside it, or
the result), its pages, size and SHA-256 (the file's name in the data folder's files/), when and by
whom. Rows are never changed: a component scanned again gets a new row, the newest wins.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_file",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.String, sa.ForeignKey("dossier.id"), nullable=False),
        sa.Column("component_index", sa.Integer, nullable=False),
        sa.Column("component_name", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("officer", sa.String, nullable=False, server_default=""),
        sa.Column("event_id", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_dossier_file_dossier", "dossier_file", ["dossier_id", "kind", "component_index"])
    op.create_index("ix_dossier_file_sha256", "dossier_file", ["sha256"])


def downgrade() -> None:
    raise NotImplementedError("The store never goes back to an older schema; restore a backup instead.")
