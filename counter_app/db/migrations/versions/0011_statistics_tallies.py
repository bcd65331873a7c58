"""tally_day, tally_work: running totals of the statistics, kept by triggers on `dossier` in the
transaction of every write (services/statistics_tallies.py reads them; docs/rules.md, "Statistics").

A year's figures on a million dossiers read ~100k dossier index rows a query; the totals per day
hold the same counts in ~10k rows a year. Triggers, not the services, keep them, so no write path
(intake, a move, a return, the district's pull, a restore, a bench's bare insert) can forget them,
and each change lands or rolls back with the write that made it.

- tally_day, one row per (day, procedure code, procedure name, channel): on the day a dossier was
  received, `received` or `refused` (status 3); on the day its processing ended (finished_at, status
  7–10), resolved (9, 10) as early / on time / late (the finished DATE against the due DATE), or
  withdrawn (7) or stopped (8); on the day its result was handed over, `returned` and its rating.
- tally_work, one row per (day processing ended, day the working time counts from), resolved
  dossiers only: how many, and the sums of their working minute of the day at each end (the minutes
  of tally_period's working hours before that time). The statistics add each day's working minutes
  from the calendar, so a holiday published later still counts. The time counts from the clock's
  start, or from the result when that came first (statistics.CLOCK_START).
- tally_period: the working hours those minutes were counted with (the calendar's default policy);
  the statistics use the totals only while the calendar's hours are these.

An update moves a dossier's part: the old row's values are taken out and the new row's put in, by
the trigger of each part whose columns changed. Filling them for the dossiers already held reads the
table three times (a million dossiers: under a minute).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import INT, STR, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0011"
down_revision = "0010"

# WorkPolicy's default hours when this was written (domain/calendar.py), in minutes of the day.
PERIODS = ((7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))

DAY_KEY = ("day", "procedure_code", "procedure_name", "channel")
DAY_COUNTS = ("received", "refused", "resolved", "early", "on_time", "late", "withdrawn", "stopped", "returned",
              "rating_1", "rating_2", "rating_3")
WORK_KEY = ("finish_day", "start_day")
WORK_SUMS = ("dossiers", "finish_minutes", "start_minutes")


def _minute(time_sql: str) -> str:
    """The working minutes of tally_period's hours before the time (an ISO string in Vietnam time)."""
    m = f"(CAST(substr({time_sql}, 12, 2) AS INTEGER) * 60 + CAST(substr({time_sql}, 15, 2) AS INTEGER))"
    return f"(SELECT COALESCE(SUM(MAX(0, MIN(p.end_minute, {m}) - p.start_minute)), 0) FROM tally_period p)"


def _day_part(row: str, when: str, day: str, counts: dict[str, str]) -> str:
    """Add one dossier's part to tally_day: `row` is NEW (sign +1) or OLD (-1), written as `R`."""
    sign = "" if row == "NEW" else "-"
    cols = ", ".join(DAY_KEY + tuple(counts))
    values = ", ".join([f"substr({day}, 1, 10)", "R.procedure_code", "R.procedure_name", "R.channel"]
                       + [f"{sign}({expr})" for expr in counts.values()])
    sums = ", ".join(f"{c} = {c} + excluded.{c}" for c in counts)
    return (f"INSERT INTO tally_day ({cols}) SELECT {values} WHERE {when} "
            f"ON CONFLICT ({', '.join(DAY_KEY)}) DO UPDATE SET {sums};").replace("R.", f"{row}.")


_FINISHED = "R.finished_at IS NOT NULL AND R.status IN (7, 8, 9, 10)"
_RESOLVED = "R.status IN (9, 10)"
_DAYS = "substr(R.finished_at, 1, 10) {} substr(R.due_at, 1, 10)"
_START = ("(CASE WHEN substr(R.finished_at, 1, 16) < substr(R.start_at, 1, 16) THEN R.finished_at "
          "ELSE R.start_at END)")

# tally_day's three parts: (the columns each reads, which dossiers count, the day they count on,
# the counts); the triggers add a row's part, the upgrade sums the rows already held.
DAY_PARTS = {
    "received": (("received_at", "status", "channel", "procedure_code", "procedure_name"), "true", "R.received_at",
                 {"received": "R.status != 3", "refused": "R.status = 3"}),
    "finished": (("finished_at", "status", "due_at", "channel", "procedure_code", "procedure_name"), _FINISHED,
                 "R.finished_at", {
                     "resolved": _RESOLVED,
                     "early": f"{_RESOLVED} AND {_DAYS.format('<')}",
                     "on_time": f"{_RESOLVED} AND {_DAYS.format('=')}",
                     "late": f"{_RESOLVED} AND {_DAYS.format('>')}",
                     "withdrawn": "R.status = 7", "stopped": "R.status = 8"}),
    "returned": (("returned_at", "rating", "channel", "procedure_code", "procedure_name"), "R.returned_at IS NOT NULL",
                 "R.returned_at", {"returned": "1", "rating_1": "R.rating IS 1", "rating_2": "R.rating IS 2",
                                   "rating_3": "R.rating IS 3"}),
}


def _work_part(row: str) -> str:
    sign = "" if row == "NEW" else "-"
    return (f"INSERT INTO tally_work ({', '.join(WORK_KEY + WORK_SUMS)}) SELECT substr(R.finished_at, 1, 10), "
            f"substr({_START}, 1, 10), {sign}1, {sign}{_minute('R.finished_at')}, {sign}{_minute(_START)} "
            f"WHERE R.finished_at IS NOT NULL AND {_RESOLVED} ON CONFLICT ({', '.join(WORK_KEY)}) DO UPDATE SET "
            + ", ".join(f"{c} = {c} + excluded.{c}" for c in WORK_SUMS) + ";").replace("R.", f"{row}.")


PARTS = {
    # part: (the columns it reads, SQL per sign); its trigger's WHEN compares them, and the
    # received part reads of the status only whether it is 3
    **{part: (cols, lambda row, when=when, day=day, counts=counts: _day_part(row, when, day, counts))
       for part, (cols, when, day, counts) in DAY_PARTS.items()},
    "work": (("finished_at", "start_at", "status"), _work_part),
}


def _changed(part: str, cols: tuple[str, ...]) -> str:
    """A WHEN clause: a part moves only if what it reads changed."""
    read = {"status": "{}.status = 3"} if part == "received" else {}
    return " OR ".join(f"({read.get(c, '{}.' + c).format('OLD')}) IS NOT ({read.get(c, '{}.' + c).format('NEW')})"
                       for c in cols)


def upgrade() -> None:
    op.create_table("tally_day", *columns(
        day=STR.pk, procedure_code=STR.pk, procedure_name=STR.pk, channel=INT.pk,
        **{c: INT.default("0") for c in DAY_COUNTS}), sqlite_with_rowid=False)
    op.create_table("tally_work", *columns(
        finish_day=STR.pk, start_day=STR.pk, **{c: INT.default("0") for c in WORK_SUMS}), sqlite_with_rowid=False)
    op.create_table("tally_period", *columns(start_minute=INT.pk, end_minute=INT))
    for start, end in PERIODS:
        op.execute(f"INSERT INTO tally_period (start_minute, end_minute) VALUES ({start}, {end})")

    all_parts = [sql for _cols, sql in PARTS.values()]
    op.execute("CREATE TRIGGER tally_dossier_added AFTER INSERT ON dossier BEGIN "
               + " ".join(sql("NEW") for sql in all_parts) + " END")
    op.execute("CREATE TRIGGER tally_dossier_removed AFTER DELETE ON dossier BEGIN "
               + " ".join(sql("OLD") for sql in all_parts) + " END")
    for part, (cols, sql) in PARTS.items():
        op.execute(f"CREATE TRIGGER tally_{part}_moved AFTER UPDATE OF {', '.join(cols)} ON dossier "
                   f"WHEN {_changed(part, cols)} BEGIN {sql('OLD')} {sql('NEW')} END")

    # The dossiers already held: each part once over the table, grouped (the triggers' own sums).
    for _cols, when, day, counts in DAY_PARTS.values():
        op.execute(_fill_day(day.replace("R.", ""), when.replace("R.", ""),
                             {c: expr.replace("R.", "") for c, expr in counts.items()}))
    start = _START.replace("R.", "")
    op.execute(f"INSERT INTO tally_work ({', '.join(WORK_KEY + WORK_SUMS)}) SELECT substr(finished_at, 1, 10), "
               f"substr({start}, 1, 10), COUNT(*), SUM({_minute('finished_at')}), SUM({_minute(start)}) "
               "FROM dossier WHERE finished_at IS NOT NULL AND status IN (9, 10) GROUP BY 1, 2")


def _fill_day(day: str, when: str, counts: dict[str, str]) -> str:
    cols = ", ".join(DAY_KEY + tuple(counts))
    sums = ", ".join(f"SUM(CASE WHEN {expr} THEN 1 ELSE 0 END)" for expr in counts.values())
    added = ", ".join(f"{c} = {c} + excluded.{c}" for c in counts)
    return (f"INSERT INTO tally_day ({cols}) SELECT substr({day}, 1, 10), procedure_code, procedure_name, channel, "
            f"{sums} FROM dossier WHERE {when} GROUP BY 1, 2, 3, 4 "
            f"ON CONFLICT ({', '.join(DAY_KEY)}) DO UPDATE SET {added}")
