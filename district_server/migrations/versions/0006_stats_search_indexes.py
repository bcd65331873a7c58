"""Indexes for the district's statistics and name search at millions of dossiers
(docs/server-web.md, "Statistics" and "Search"):

- the statistics count the whole district in one pass grouped by office, by range of one time
  column (no office first): received_at, returned_at, and finished_at with received_at next, so
  "still open at an instant" (finished after it, received before it) is decided inside the index;
  each holds every column its queries read, so they are answered from the index alone;
- the name search reads the first 50 in the order it shows (folded name, then code) straight from
  the index instead of sorting every match: on PostgreSQL the name column in byte order
  (COLLATE "C"), which both its LIKE prefix range and the ORDER BY can use; SQLite's own order is
  already byte order. It replaces the text_pattern_ops index of migration 0004.

Revision ID: 0006
Revises: 0005 (office reports)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Every column the statistics' query over that range reads (services/statistics.py, per office and
# without the figures per procedure), so each is read from its index alone; a copy of schema.py's,
# as a migration keeps the schema it made.
STATISTICS = {
    "ix_dossier_received_stats": ("received_at", "agency_code", "channel", "status"),
    "ix_dossier_finished_stats": ("finished_at", "received_at", "status", "agency_code", "due_at", "start_at"),
    "ix_dossier_returned_stats": ("returned_at", "agency_code"),
}

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.drop_index("ix_dossier_name", table_name="dossier")
        op.create_index("ix_dossier_name_code", "dossier", ["name_folded", "code"])
        for index, columns in STATISTICS.items():
            op.create_index(index, "dossier", list(columns))
        return
    # On millions of dossiers each build takes minutes: built CONCURRENTLY, outside a transaction,
    # the dossier table stays writable meanwhile (a plain CREATE INDEX holds off every push until
    # the migration commits). An index a broken earlier attempt left INVALID is dropped first.
    with op.get_context().autocommit_block():
        wanted = {"ix_dossier_name_code": (sa.text('name_folded COLLATE "C"'), "code"), **STATISTICS}
        for index, columns in wanted.items():
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")
            op.create_index(index, "dossier", list(columns), postgresql_concurrently=True)
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_dossier_name")


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
