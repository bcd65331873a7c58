"""tally_day, tally_work: running totals of the statistics, kept by triggers on `dossier` in the
transaction of every write (db/tally_sql.py writes them, services/statistics_tallies.py reads
them; docs/rules.md, "Statistics").

A year's figures on a million dossiers read ~100k dossier index rows a query; the totals per day
hold the same counts in ~10k rows a year. Triggers, not the services, keep them, so no write path
(intake, a move, a return, the district's pull, a restore, a bench's bare insert) can forget them,
and each change lands or rolls back with the write that made it.

Keyed per (day, procedure code, procedure name, channel), returns counted by rating too
(tally_sql.COUNTER). tally_period holds the working hours the minutes were counted with (the
calendar's default policy); the statistics use the totals only while the calendar's hours are
these. Filling them for the dossiers already held reads the table four times (a million dossiers:
under a minute).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

from counter_app.db import tally_sql
from counter_app.db.schema_kit import INT, STR, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0011"
down_revision = "0010"

SHAPE = tally_sql.COUNTER


def upgrade() -> None:
    op.create_table("tally_day", *columns(
        day=STR.pk, procedure_code=STR.pk, procedure_name=STR.pk, channel=INT.pk,
        **{c: INT.default("0") for c in SHAPE.counts}), sqlite_with_rowid=False)
    op.create_table("tally_work", *columns(
        finish_day=STR.pk, start_day=STR.pk, **{c: INT.default("0") for c in tally_sql.WORK_SUMS}),
        sqlite_with_rowid=False)
    op.create_table("tally_period", *columns(start_minute=INT.pk, end_minute=INT))
    for start, end in tally_sql.PERIODS:
        op.execute(f"INSERT INTO tally_period (start_minute, end_minute) VALUES ({start}, {end})")
    for statement in tally_sql.sqlite_triggers(SHAPE) + tally_sql.fill(SHAPE):
        op.execute(statement)
