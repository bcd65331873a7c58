"""dossier.finished_at: when processing ended (result ready 9, withdrawn 7, stopped 8).

Statistics compare it with due_at (early / on time / late) and count what was in process at any
date; reading it from one indexed column keeps a year's figures on a million dossiers under a
second. Existing dossiers are filled from their status events."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import STR, add_columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    add_columns("dossier", finished_at=STR.null)
    op.execute(
        "UPDATE dossier SET finished_at = (SELECT MIN(e.at) FROM status_event e "
        "WHERE e.dossier_id = dossier.id AND e.to_status IN (7, 8, 9)) WHERE status IN (7, 8, 9, 10)"
    )
    # A dossier returned (10) whose move to 9 was never recorded as an event: its return ends it.
    op.execute("UPDATE dossier SET finished_at = returned_at WHERE status = 10 AND finished_at IS NULL")
    op.execute("UPDATE dossier SET finished_at = received_at WHERE status = 3")  # refused: ended at once
    op.create_index("ix_dossier_finished_at", "dossier", ["finished_at"])
    op.create_index("ix_dossier_returned_at", "dossier", ["returned_at"])

