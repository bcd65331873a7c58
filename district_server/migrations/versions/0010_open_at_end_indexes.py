"""The dossiers still open at the end of a period, and whether each was waiting for a supplement
then, read from two indexes instead of each dossier's row and events (docs/server-web.md,
"Statistics"):

- ix_dossier_finished_stats gains `last_key` and `id`: "still open at an instant" and "moved since
  then" are both answered from the index alone, without reading the dossier's row (at 10M dossiers
  the rows of the ~40k open at a year's end are random reads across gigabytes);
- ix_event_supplement holds only the events that asked for a supplement (to status 5), a few in
  a hundred: a dossier never asked for one cannot have been waiting at the period's end, and this
  small index says so without reading its events, the only ones the statistics then read.

Revision ID: 0010
Revises: 0009 (statistics tallies)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A copy of schema.py's, as a migration keeps the schema it made.
FINISHED_STATS = ("finished_at", "received_at", "status", "agency_code", "due_at", "start_at", "last_key", "id")
SUPPLEMENT_ASKED = "to_status = 5"

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.drop_index("ix_dossier_finished_stats", table_name="dossier")
        op.create_index("ix_dossier_finished_stats", "dossier", list(FINISHED_STATS))
        op.create_index("ix_event_supplement", "event", ["dossier_id", "sort_key"],
                        sqlite_where=sa.text(SUPPLEMENT_ASKED))
        return
    # Built CONCURRENTLY, as migration 0006 builds its own: pushes keep writing meanwhile. The new
    # dossier index is built beside the old one and takes its name, so the statistics never go
    # without; each step can run again after a broken attempt (an INVALID leftover is dropped first).
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_dossier_finished_stats_next")
        op.create_index("ix_dossier_finished_stats_next", "dossier", list(FINISHED_STATS),
                        postgresql_concurrently=True)
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_dossier_finished_stats")
        op.execute("ALTER INDEX ix_dossier_finished_stats_next RENAME TO ix_dossier_finished_stats")
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_event_supplement")
        op.create_index("ix_event_supplement", "event", ["dossier_id", "sort_key"],
                        postgresql_where=sa.text(SUPPLEMENT_ASKED), postgresql_concurrently=True)


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
