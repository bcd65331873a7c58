"""The SQL of the statistics' running totals (docs/rules.md, "Statistics"): what one dossier row adds
to `tally_day` and `tally_work`, kept by triggers on `dossier` in the transaction of every write, and
the grouped sums that fill them for the dossiers already held.

Two stores keep them, keyed differently: the counter's per procedure (migration 0011), the
district's per office (district_server migration 0009, no ratings: its dossiers carry none). SQLite
runs a row trigger per part, fired only when the columns that part reads change; PostgreSQL one
row trigger whose function does the same (ingest writes a batch as one prepared statement per row,
so a statement trigger would gain nothing).

- tally_day, one row per (day, key…): on the day a dossier was received, `received` or `refused`
  (status 3); on the day its processing ended (finished_at, status 7–10), resolved (9, 10) as early
  / on time / late (the finished DATE against the due DATE), or withdrawn (7) or stopped (8); on
  the day its result was handed over, `returned` (and on the counter its rating).
- tally_work, one row per (key…, day processing ended, day the working time counts from), resolved
  dossiers only: how many, and the sums of their working minute of the day at each end (the minutes
  of tally_period's working hours before that time). The time counts from the clock's start, or
  from the result when that came first (statistics.CLOCK_START).

An update moves a dossier's part: the old row's values are taken out and the new row's put in.
A migration that writes this SQL keeps what it wrote: the statements are the migration's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# WorkPolicy's default hours (domain/calendar.py), in minutes of the day: tally_period's rows.
PERIODS = ((7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))

DAY_COUNTS = ("received", "refused", "resolved", "early", "on_time", "late", "withdrawn", "stopped", "returned")
RATINGS = ("rating_1", "rating_2", "rating_3")
DIGITISED = ("received_digitised", "results_digitised")
WORK_DAYS = ("finish_day", "start_day")
WORK_SUMS = ("dossiers", "finish_minutes", "start_minutes")

_FINISHED = "R.finished_at IS NOT NULL AND R.status IN (7, 8, 9, 10)"
_RESOLVED = "R.status IN (9, 10)"
_DAYS = "substr(R.finished_at, 1, 10) {} substr(R.due_at, 1, 10)"
_START = ("(CASE WHEN substr(R.finished_at, 1, 16) < substr(R.start_at, 1, 16) THEN R.finished_at "
          "ELSE R.start_at END)")


@dataclass(frozen=True)
class Shape:
    """How one store keys its totals: `key`, tally_day's columns after the day (each also a
    dossier column); `work_key`, tally_work's before its two days; `ratings`, whether returns are
    counted by rating too; `digitised`, whether the dossiers carry the digitisation indicators'
    flags (`digitised`, `result_kept`: the district's, district_server/digitised_flags.py), counted
    on the day received and the day ended."""

    key: tuple[str, ...]
    work_key: tuple[str, ...] = ()
    ratings: bool = False
    digitised: bool = False

    @property
    def day_key(self) -> tuple[str, ...]:
        return ("day", *self.key)

    @property
    def reads(self) -> tuple[str, ...]:
        """The key's columns as each part's trigger lists them among those it reads."""
        return tuple(sorted(self.key))

    @property
    def counts(self) -> tuple[str, ...]:
        return DAY_COUNTS + DIGITISED * self.digitised + RATINGS * self.ratings

    def day_parts(self) -> dict[str, tuple[tuple[str, ...], str, str, dict[str, str]]]:
        """tally_day's three parts: (the columns each reads, which dossiers count, the day they count
        on, the counts, as conditions on the row `R`)."""
        returned = {"returned": "1"}
        if self.ratings:
            returned.update({f"rating_{n}": f"R.rating IS {n}" for n in (1, 2, 3)})
        received = {"received": "R.status != 3", "refused": "R.status = 3"}
        finished = {"resolved": _RESOLVED,
                    "early": f"{_RESOLVED} AND {_DAYS.format('<')}",
                    "on_time": f"{_RESOLVED} AND {_DAYS.format('=')}",
                    "late": f"{_RESOLVED} AND {_DAYS.format('>')}",
                    "withdrawn": "R.status = 7", "stopped": "R.status = 8"}
        flag: dict[str, tuple[str, ...]] = {"received": (), "finished": ()}
        if self.digitised:
            received["received_digitised"] = "R.status != 3 AND R.digitised = 1"
            finished["results_digitised"] = f"{_RESOLVED} AND R.result_kept = 1"
            flag = {"received": ("digitised",), "finished": ("result_kept",)}
        return {
            "received": (("received_at", "status", *flag["received"], *self.reads), "true", "R.received_at", received),
            "finished": (("finished_at", "status", "due_at", *flag["finished"], *self.reads), _FINISHED,
                         "R.finished_at", finished),
            "returned": (("returned_at", *(("rating",) if self.ratings else ()), *self.reads),
                         "R.returned_at IS NOT NULL", "R.returned_at", returned),
        }


COUNTER = Shape(key=("procedure_code", "procedure_name", "channel"), ratings=True)
DISTRICT = Shape(key=("agency_code", "channel"), work_key=("agency_code",), digitised=True)


def minute(time_sql: str, *, postgresql: bool = False) -> str:
    """The working minutes of tally_period's hours before the time (an ISO string in Vietnam time).
    PostgreSQL's has the hours written in (the same rows): no subquery per row, and none inside the
    fill's SUM."""
    m = f"(CAST(substr({time_sql}, 12, 2) AS INTEGER) * 60 + CAST(substr({time_sql}, 15, 2) AS INTEGER))"
    if postgresql:
        return "(" + " + ".join(f"GREATEST(0, LEAST({end}, {m}) - {start})" for start, end in PERIODS) + ")"
    return f"(SELECT COALESCE(SUM(MAX(0, MIN(p.end_minute, {m}) - p.start_minute)), 0) FROM tally_period p)"


def _counted(expr: str) -> str:
    """1 for a row the condition holds for, else 0 ("1": every row), in SQL both databases run."""
    return "1" if expr == "1" else f"CASE WHEN {expr} THEN 1 ELSE 0 END"


# --- The parts: one dossier row's share of the totals -------------------------------------------


def _day_part(shape: Shape, row: str, when: str, day: str, counts: dict[str, str], postgresql: bool = False) -> str:
    """Add one dossier's part to tally_day: `row` is NEW (sign +1) or OLD (-1), written as `R`.
    SQLite takes a condition as 0 or 1; PostgreSQL wants its CASE, and the target's name in SET."""
    sign = "" if row == "NEW" else "-"
    cols = ", ".join(shape.day_key + tuple(counts))
    values = ", ".join([f"substr({day}, 1, 10)", *(f"R.{c}" for c in shape.key)]
                       + [f"{sign}{_counted(expr)}" if postgresql else f"{sign}({expr})" for expr in counts.values()])
    target = "tally_day." if postgresql else ""
    sums = ", ".join(f"{c} = {target}{c} + excluded.{c}" for c in counts)
    return (f"INSERT INTO tally_day ({cols}) SELECT {values} WHERE {when} "
            f"ON CONFLICT ({', '.join(shape.day_key)}) DO UPDATE SET {sums};").replace("R.", f"{row}.")


def _work_part(shape: Shape, row: str, postgresql: bool = False) -> str:
    sign = "" if row == "NEW" else "-"
    keys = shape.work_key + WORK_DAYS
    target = "tally_work." if postgresql else ""
    return (f"INSERT INTO tally_work ({', '.join(keys + WORK_SUMS)}) SELECT "
            + "".join(f"R.{c}, " for c in shape.work_key)
            + f"substr(R.finished_at, 1, 10), substr({_START}, 1, 10), {sign}1, "
            f"{sign}{minute('R.finished_at', postgresql=postgresql)}, {sign}{minute(_START, postgresql=postgresql)} "
            f"WHERE R.finished_at IS NOT NULL AND {_RESOLVED} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{c} = {target}{c} + excluded.{c}" for c in WORK_SUMS) + ";").replace("R.", f"{row}.")


def _parts(shape: Shape, postgresql: bool = False) -> dict[str, tuple[tuple[str, ...], Callable[[str], str]]]:
    """part: (the columns it reads, its SQL for a row: NEW or OLD)."""
    parts: dict[str, tuple[tuple[str, ...], Callable[[str], str]]] = {
        part: (cols, lambda row, when=when, day=day, counts=counts: _day_part(shape, row, when, day, counts,
                                                                              postgresql))
        for part, (cols, when, day, counts) in shape.day_parts().items()}
    parts["work"] = (("finished_at", "start_at", "status", *shape.work_key),
                     lambda row: _work_part(shape, row, postgresql))
    return parts


def _changed(part: str, cols: tuple[str, ...], *, postgresql: bool = False) -> str:
    """A WHEN clause: a part moves only if what it reads changed (the received part reads of the
    status only whether it is 3)."""
    read = {"status": "{}.status = 3"} if part == "received" else {}
    differs = "IS DISTINCT FROM" if postgresql else "IS NOT"
    return " OR ".join(f"({read.get(c, '{}.' + c).format('OLD')}) {differs} ({read.get(c, '{}.' + c).format('NEW')})"
                       for c in cols)


def sqlite_triggers(shape: Shape) -> list[str]:
    parts = _parts(shape)
    every = [sql for _cols, sql in parts.values()]
    out = ["CREATE TRIGGER tally_dossier_added AFTER INSERT ON dossier BEGIN "
           + " ".join(sql("NEW") for sql in every) + " END",
           "CREATE TRIGGER tally_dossier_removed AFTER DELETE ON dossier BEGIN "
           + " ".join(sql("OLD") for sql in every) + " END"]
    for part, (cols, sql) in parts.items():
        out.append(f"CREATE TRIGGER tally_{part}_moved AFTER UPDATE OF {', '.join(cols)} ON dossier "
                   f"WHEN {_changed(part, cols)} BEGIN {sql('OLD')} {sql('NEW')} END")
    return out


# --- The dossiers already held ----------------------------------------------------------------


def fill(shape: Shape, *, postgresql: bool = False) -> list[str]:
    """Each part once over the table, grouped: the sums the triggers would have made."""
    out = []
    for _cols, when, day, counts in shape.day_parts().values():
        out.append(_fill_day(shape, day.replace("R.", ""), when.replace("R.", ""),
                             {c: expr.replace("R.", "") for c, expr in counts.items()}, postgresql))
    start = _START.replace("R.", "")
    keys = shape.work_key + WORK_DAYS
    groups = ", ".join(str(i + 1) for i in range(len(keys)))
    out.append(f"INSERT INTO tally_work ({', '.join(keys + WORK_SUMS)}) SELECT "
               + "".join(f"{c}, " for c in shape.work_key)
               + f"substr(finished_at, 1, 10), substr({start}, 1, 10), COUNT(*), "
               f"SUM({minute('finished_at', postgresql=postgresql)}), SUM({minute(start, postgresql=postgresql)}) "
               f"FROM dossier WHERE finished_at IS NOT NULL AND status IN (9, 10) GROUP BY {groups}")
    return out


def _fill_day(shape: Shape, day: str, when: str, counts: dict[str, str], postgresql: bool) -> str:
    cols = ", ".join(shape.day_key + tuple(counts))
    sums = ", ".join(f"SUM({_counted(expr)})" for expr in counts.values())
    target = "tally_day." if postgresql else ""
    added = ", ".join(f"{c} = {target}{c} + excluded.{c}" for c in counts)
    groups = ", ".join(str(i + 1) for i in range(len(shape.day_key)))
    return (f"INSERT INTO tally_day ({cols}) SELECT substr({day}, 1, 10), {', '.join(shape.key)}, "
            f"{sums} FROM dossier WHERE {when} GROUP BY {groups} "
            f"ON CONFLICT ({', '.join(shape.day_key)}) DO UPDATE SET {added}")


# --- PostgreSQL: one row trigger, the same parts -------------------------------------------------


def postgresql_triggers(shape: Shape) -> list[str]:
    """The function and its row trigger: an insert adds each part of the new row, a delete takes the
    old row's out, an update moves the parts whose columns changed (as SQLite's triggers' WHEN)."""
    parts = _parts(shape, postgresql=True)
    moved = " ".join(f"IF {_changed(part, cols, postgresql=True)} THEN {sql('OLD')} {sql('NEW')} END IF;"
                     for part, (cols, sql) in parts.items())
    body = (f"IF TG_OP = 'INSERT' THEN {' '.join(sql('NEW') for _c, sql in parts.values())} "
            f"ELSIF TG_OP = 'DELETE' THEN {' '.join(sql('OLD') for _c, sql in parts.values())} "
            f"ELSE {moved} END IF; RETURN NULL;")
    return [
        f"CREATE FUNCTION tally_dossier_row() RETURNS trigger LANGUAGE plpgsql AS $tally$ BEGIN {body} END $tally$",
        "CREATE TRIGGER tally_dossier_changed AFTER INSERT OR UPDATE OR DELETE ON dossier "
        "FOR EACH ROW EXECUTE FUNCTION tally_dossier_row()",
    ]
