"""ix_outbox_unsent_dossier: a dossier's unsent events, found without reading its history.

Opening a dossier by its code shows whether it waits to reach the district (docs/sync.md); the
worklist and the dossier view ask the same. The index holds only unsent rows (a few hundred, even
after a day offline), so it stays in the page cache and the question costs no random page read —
in an encrypted store each page read from disk is decrypted and checked (docs/protection.md).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import downgrade as downgrade

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    # sent_at too, though always NULL here: SQLite reads a partial index alone only when it holds
    # every column the query names, its WHERE included.
    op.create_index("ix_outbox_unsent_dossier", "outbox", ["dossier_id", "state", "sent_at"],
                    sqlite_where=sa.text("sent_at IS NULL"))
