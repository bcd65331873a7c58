"""What the dossier's life after intake needs, and a key-value settings table.

- dossier.original_due_at / extension_count: the one extension allowed (Mẫu 04) keeps the first
  appointment for the record and the statistics;
- dossier.paused_at: when a supplement request (status 5) stopped the clock;
- dossier.rating: the optional satisfaction rating given at the return;
- setting: small named values (sync link, cursors, office preferences) as JSON."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import INT, STR, add_columns, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    add_columns("dossier", original_due_at=STR.null, extension_count=INT.default("0"), paused_at=STR.null,
                rating=INT.null)
    op.create_table("setting", *columns(key=STR.pk, value_json=STR, updated_at=STR))

