"""dossier_file: the digitised papers of each dossier (docs/digitisation.md).

One row per PDF kept: which dossier, which component of its checklist (or a paper outside it, or
the result), its pages, size and SHA-256 (the file's name in the data folder's files/), when and by
whom. Rows are never changed: a component scanned again gets a new row, the newest wins."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import INT, STR, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table("dossier_file", *columns(
        id=INT.pk, dossier_id=STR.references("dossier.id"), component_index=INT, component_name=STR, kind=STR,
        pages=INT, size=INT, sha256=STR, created_at=STR, officer=STR.default(""), event_id=STR.default("")))
    op.create_index("ix_dossier_file_dossier", "dossier_file", ["dossier_id", "kind", "component_index"])
    op.create_index("ix_dossier_file_sha256", "dossier_file", ["sha256"])

