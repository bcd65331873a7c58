"""tally_day, tally_work: the district statistics' running totals per office, kept by triggers on
`dossier` in the transaction of every write (counter_app/db/tally_sql.py writes them,
counter_app/services/statistics_tallies.py reads them; docs/server-web.md "Statistics"), the
digitisation indicators with them: each dossier's flags `digitised` and `result_kept`, kept by
triggers on `file_ref` and `dossier` (district_server/digitised_flags.py), counted in tally_day.

A year of a district of 10M dossiers is ~1.2M dossier rows per query over the dossier table; the
totals hold the same counts in ~70k rows a year (100 offices × 365 days × 2 channels). Triggers, not
ingest, keep them, so no write path (a push, a waiting event applied later, a district move, a
bench's bulk load) can forget them, and each change lands or rolls back with its write. SQLite
keeps them with a row trigger per part; PostgreSQL with statement triggers and transition tables:
a push batch adds its totals in one grouped upsert per part.

The tables, their triggers and the totals of the dossiers already held are made in one
transaction, so no write falls between the fill and the triggers; on PostgreSQL pushes wait for it
(a district of 10M dossiers: a few minutes).

Revision ID: 0009
Revises: 0008 (digitisation figures)
"""

from __future__ import annotations

from alembic import op

from counter_app.db import tally_sql
from counter_app.db.schema_kit import INT, add_columns, columns, s
from counter_app.db.schema_kit import downgrade as downgrade
from district_server import digitised_flags

revision = "0009"
down_revision = "0008"

SHAPE = tally_sql.DISTRICT


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    add_columns("dossier", digitised=INT.default("0"), result_kept=INT.default("0"))
    op.execute(digitised_flags.FILL)
    op.create_table("tally_day", *columns(
        day=s(10).pk, agency_code=s(20).pk, channel=INT.pk, **{c: INT.default("0") for c in SHAPE.counts}),
        sqlite_with_rowid=False)
    # Keyed by the day ended first: a period is a range of it, by office or for one.
    op.create_table("tally_work", *columns(
        finish_day=s(10).pk, start_day=s(10).pk, agency_code=s(20).pk,
        **{c: INT.default("0") for c in tally_sql.WORK_SUMS}), sqlite_with_rowid=False)
    op.create_table("tally_period", *columns(start_minute=INT.pk, end_minute=INT))
    for start, end in tally_sql.PERIODS:
        op.execute(f"INSERT INTO tally_period (start_minute, end_minute) VALUES ({start}, {end})")
    triggers = (tally_sql.postgresql_triggers(SHAPE) + digitised_flags.postgresql_triggers() if postgresql
                else tally_sql.sqlite_triggers(SHAPE) + digitised_flags.sqlite_triggers())
    for statement in triggers + tally_sql.fill(SHAPE, postgresql=postgresql):
        op.execute(statement)
