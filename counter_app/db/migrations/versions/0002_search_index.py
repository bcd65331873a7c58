"""Folded full-text search on applicants' names, newest dossier first.

Adds dossier.search_key (received time in ms, unique) and an FTS5 table whose rowid is that key,
so `ORDER BY rowid DESC LIMIT n` walks the index newest-first and stops after one page instead of
sorting every "nguyen" in ten years of data. Existing dossiers are indexed here."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import INT, add_columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    add_columns("dossier", search_key=INT.null)
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

