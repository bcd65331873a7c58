"""Folded full-text search on applicants' names, newest dossier first.

Adds dossier.search_key (received time in ms, unique) and an FTS5 table whose rowid is that key,
so `ORDER BY rowid DESC LIMIT n` walks the index newest-first and stops after one page instead of
sorting every "nguyen" in ten years of data. Existing dossiers are indexed here.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("search_key", sa.Integer, nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, received_at FROM dossier ORDER BY received_at, id")).all()
    used: set[int] = set()
    for dossier_id, received_at in rows:
        key = int(datetime.fromisoformat(received_at).timestamp() * 1000) * 1000
        while key in used:
            key += 1
        used.add(key)
        conn.execute(sa.text("UPDATE dossier SET search_key = :k WHERE id = :i"), {"k": key, "i": dossier_id})
    op.create_index("ix_dossier_search_key", "dossier", ["search_key"], unique=True)
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search USING fts5("
        "name, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    op.execute(
        "INSERT INTO dossier_search(rowid, name) "
        "SELECT d.search_key, a.name_folded FROM dossier d JOIN applicant a ON a.id = d.applicant_id"
    )


def downgrade() -> None:
    raise NotImplementedError("The store never goes back to an older schema; restore a backup instead.")
