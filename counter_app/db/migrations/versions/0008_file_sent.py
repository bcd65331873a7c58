"""file_sent: the digitised files the district server holds whole and checked (docs/sync.md, "Files").

A file goes up after the event that names it was acknowledged; once the server has it, its hash is
written here, so it is never sent again. Its own table: dossier_file rows are never changed."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import STR, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table("file_sent", *columns(sha256=STR.pk, sent_at=STR))
    op.drop_index("ix_outbox_pending", table_name="outbox")
    # sent_at too, though always NULL here: SQLite reads a partial index alone only when it holds
    # every column the query names, its WHERE included.
    op.create_index("ix_outbox_pending", "outbox", ["seq", "state", "sent_at"], sqlite_where=sa.text("sent_at IS NULL"))

