"""The dossiers still open at an instant (a period's start or end), and whether each was waiting for
a supplement then, read from small index ranges instead of every dossier finished since
(docs/server-web.md, "Statistics"):

- `long_running` on each dossier (district_server/indexed.py): 1 when its processing ended more
  than 90 days after the receipt. "Open at an instant" is then the dossiers still open, those
  received in the 90 days before it and finished after it (ix_dossier_open_stats), and the few
  long running finished after it (ix_dossier_long_running), each index holding every column read.
  Before, it read every dossier finished since the instant: for a year six years back at 10M
  dossiers, most of the table;
- ix_dossier_finished_stats gains `last_key` and `id`, so the dossiers still open are read from
  it alone too;
- ix_event_supplement holds only the events that asked for a supplement (to status 5), a few in
  a hundred: a dossier never asked for one cannot have been waiting at the period's end, and this
  small index says so without reading its events.

The flag of the dossiers held is computed by the same function ingest uses, over the finished
ones only, in pages; the column's default (0) costs PostgreSQL no rewrite of the table, but the
new column holds the table until the fill commits: pushes wait meanwhile (at 10M dossiers the
fill read and checked 9.9M finished dossiers in 76 s). The indexes are built after, while
pushes write.

Revision ID: 0010
Revises: 0009 (statistics tallies)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import INT, add_columns
from counter_app.db.schema_kit import downgrade as downgrade
from district_server.indexed import long_running

# Copies of schema.py's, as a migration keeps the schema it made.
OPEN_COLUMNS = ("status", "agency_code", "due_at", "last_key", "id")
INDEXES = {
    "ix_dossier_finished_stats": (("finished_at", "received_at", "status", "agency_code", "due_at", "start_at",
                                   "last_key", "id"), None),
    "ix_dossier_open_stats": (("received_at", "finished_at", *OPEN_COLUMNS), "long_running = 0"),
    "ix_dossier_long_running": (("finished_at", "received_at", *OPEN_COLUMNS), "long_running = 1"),
}
SUPPLEMENT_ASKED = "to_status = 5"
PAGE = 20_000

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    add_columns("dossier", long_running=INT.default("0"))
    _fill_long_running()
    if not postgresql:
        op.drop_index("ix_dossier_finished_stats", table_name="dossier")
        for name, (columns, where) in INDEXES.items():
            op.create_index(name, "dossier", list(columns), sqlite_where=sa.text(where) if where else None)
        op.create_index("ix_event_supplement", "event", ["dossier_id", "sort_key"],
                        sqlite_where=sa.text(SUPPLEMENT_ASKED))
        return
    # Built CONCURRENTLY, as migration 0006 builds its own: pushes keep writing meanwhile. The new
    # finished_at index is built beside the old one and takes its name, so the statistics never go
    # without; each step can run again after a broken attempt (an INVALID leftover is dropped first).
    with op.get_context().autocommit_block():
        for name, (columns, where) in INDEXES.items():
            built = f"{name}_next" if name == "ix_dossier_finished_stats" else name
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {built}")
            op.create_index(built, "dossier", list(columns), postgresql_concurrently=True,
                            postgresql_where=sa.text(where) if where else None)
            if built != name:
                op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
                op.execute(f"ALTER INDEX {built} RENAME TO {name}")
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_event_supplement")
        op.create_index("ix_event_supplement", "event", ["dossier_id", "sort_key"],
                        postgresql_where=sa.text(SUPPLEMENT_ASKED), postgresql_concurrently=True)


def _fill_long_running() -> None:
    """Each finished dossier's flag, read in pages by id and written where it is 1 (a few)."""
    conn = op.get_bind()
    after = ""
    while True:
        rows = conn.execute(sa.text(
            "SELECT id, received_at, finished_at FROM dossier WHERE id > :after AND finished_at IS NOT NULL "
            "ORDER BY id LIMIT :page"), {"after": after, "page": PAGE}).all()
        if not rows:
            return
        flagged = [{"id": i} for i, received, finished in rows if long_running(received, finished)]
        if flagged:
            conn.execute(sa.text("UPDATE dossier SET long_running = 1 WHERE id = :id"), flagged)
        after = rows[-1][0]
