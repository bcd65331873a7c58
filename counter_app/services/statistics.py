"""Statistics for a period (reference.md §9.3; QĐ 766 indicator 2.1). Every definition is here,
once, and the register, the report screen and the exports all read these figures.

Definitions (period = [date_from 00:00, date_to + 1 day 00:00) in Vietnam time):
- received: dossiers received in the period, refused ones (3) counted apart, by channel;
- carried over: received before the period, not refused, processing not ended at its start;
- resolved: processing ended in the period with a result (finished_at in the period, status 9/10);
  early / on time / late compare the finished DATE with the due DATE (day granularity, as the
  provincial systems do): before, same day, after;
- withdrawn (7) and stopped (8): ended in the period with that status;
- returned: result handed over in the period (returned_at);
- in process at the end of the period: received before its end, not refused, not ended by then:
  within deadline (due at or after the end) or overdue; of these, waiting for a supplement (last
  move before the end was to 5) and due within 24 h of the end;
- on-time rate (QĐ 766, 2.1): (early + on time + in process within deadline) / (resolved + in process);
- average processing time: working days from the clock's start to the end of processing;
- satisfaction: the ratings given at returns in the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session

from counter_app import clock
from counter_app.domain.statuses import FINISHED, RESOLVED, sql_in
from counter_app.domain.vn_time import day_start
from counter_app.errors import UserError
from counter_app.services import calendar_store

MAX_DAYS = 366 * 5

_RESOLVED = sql_in(RESOLVED)
_FINISHED = sql_in(FINISHED)


@dataclass
class Outcome:
    """Counts for one slice (the whole office, a procedure or a field)."""

    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0

    def rate(self, part: int) -> float | None:
        return round(100 * part / self.resolved, 1) if self.resolved else None


@dataclass
class Statistics:
    date_from: date
    date_to: date
    received: int = 0
    received_by_channel: dict[int, int] = field(default_factory=dict)
    refused: int = 0
    carried_over: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    withdrawn: int = 0
    stopped: int = 0
    returned: int = 0
    in_process: int = 0
    in_process_within: int = 0
    in_process_overdue: int = 0
    waiting_supplement: int = 0
    due_within_24h: int = 0
    average_working_days: float | None = None
    ratings: dict[int, int] = field(default_factory=dict)
    by_procedure: dict[str, Outcome] = field(default_factory=dict)
    by_field: dict[str, Outcome] = field(default_factory=dict)
    procedure_names: dict[str, str] = field(default_factory=dict)

    def pct(self, part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def early_rate(self) -> float | None:
        return self.pct(self.early, self.resolved)

    @property
    def on_time_rate(self) -> float | None:
        return self.pct(self.on_time, self.resolved)

    @property
    def late_rate(self) -> float | None:
        return self.pct(self.late, self.resolved)

    @property
    def qd766_on_time_rate(self) -> float | None:
        return self.pct(self.early + self.on_time + self.in_process_within, self.resolved + self.in_process)


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    if date_from > date_to:
        raise UserError(f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}.")
    if (date_to - date_from).days > MAX_DAYS:
        raise UserError("Khoảng thời gian báo cáo dài quá 5 năm; hãy chia nhỏ.")
    start = day_start(date_from)
    return start, start + timedelta(days=(date_to - date_from).days + 1)


def _open_at(columns: str, instant: str) -> str:
    """Dossiers whose processing had not ended at `instant` (received before it, not refused).
    Two index ranges (still open / ended after) instead of scanning everything received before."""
    return (f"SELECT {columns} FROM dossier d WHERE d.finished_at IS NULL AND d.received_at < {instant} "
            f"AND d.status != 3 UNION ALL SELECT {columns} FROM dossier d WHERE d.finished_at >= {instant} "
            f"AND d.received_at < {instant} AND d.status != 3")


def _minute_of_day_sql(column: str, periods: list[tuple[int, int]]) -> str:
    """SQL for the working minutes of a day before the time in `column` (an ISO string)."""
    minute = f"(CAST(substr({column}, 12, 2) AS INTEGER) * 60 + CAST(substr({column}, 15, 2) AS INTEGER))"
    return " + ".join(f"MAX(0, MIN({end}, {minute}) - {start})" for start, end in periods)


# How far before a period the day table reaches at first: a dossier whose clock started earlier
# than this (a result a year and more in the making) sends the average to the exact, slower path.
LOOKBACK_DAYS = 400


def _fill_day_table(session: Session, first: date, date_to: date) -> tuple[int, Callable[[str, str], str]]:
    """temp.stat_day: each day's working minutes since `first`, so SQLite sums working time in one
    pass. Returns the minutes of a working day and the SQL of the working minutes at a moment."""
    calendar = calendar_store.work_calendar(session)
    periods = [(p[0].hour * 60 + p[0].minute, p[1].hour * 60 + p[1].minute) for p in calendar.policy.periods]
    day_minutes = sum(e - s for s, e in periods)
    rows, cumulative = [], 0
    for i in range((date_to - first).days + 2):
        day = first + timedelta(days=i)
        working = calendar.is_working_day(day)
        rows.append({"day": day.isoformat(), "cum": cumulative, "working": int(working)})
        cumulative += day_minutes if working else 0
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS stat_day "
                         "(day TEXT PRIMARY KEY, cum INTEGER NOT NULL, working INTEGER NOT NULL)"))
    session.execute(text("DELETE FROM temp.stat_day"))
    session.execute(text("INSERT INTO temp.stat_day VALUES (:day, :cum, :working)"), rows)

    def at(alias: str, column: str) -> str:
        return f"({alias}.cum + {alias}.working * ({_minute_of_day_sql(column, periods)}))"

    return day_minutes, at


def _average_working_days(session: Session, s_iso: str, e_iso: str, date_to: date) -> float | None:
    """Mean working time from the clock's start to the result, in working days, with the day table
    reaching back to the earliest start: the exact path, when compute()'s one-pass sum fell short."""
    params = {"s": s_iso, "e": e_iso}
    first_iso = session.execute(text("SELECT MIN(start_at) FROM dossier WHERE finished_at >= :s AND finished_at < :e"
                                     f" AND status IN {_RESOLVED}"), params).scalar()
    if not first_iso:
        return None
    day_minutes, at = _fill_day_table(session, date.fromisoformat(first_iso[:10]), date_to)
    mean = session.execute(text(
        f"SELECT AVG(MAX(0, {at('f', 'd.finished_at')} - {at('b', 'd.start_at')})) FROM dossier d "
        "JOIN temp.stat_day f ON f.day = substr(d.finished_at, 1, 10) "
        "JOIN temp.stat_day b ON b.day = substr(d.start_at, 1, 10) "
        f"WHERE d.finished_at >= :s AND d.finished_at < :e AND d.status IN {_RESOLVED}"), params).scalar()
    session.execute(text("DELETE FROM temp.stat_day"))
    return round(mean / day_minutes, 2) if mean is not None and day_minutes else None


def compute(session: Session, date_from: date, date_to: date, *, now: datetime | None = None) -> Statistics:
    start, end = period_bounds(date_from, date_to)
    s_iso, e_iso = clock.iso(start), clock.iso(end)
    stats = Statistics(date_from, date_to)
    q = lambda sql, **p: session.execute(text(sql), {"s": s_iso, "e": e_iso, **p})  # noqa: E731

    # Received in the period, per channel and procedure (one pass over the received_at range).
    by_proc: dict[str, Outcome] = defaultdict(Outcome)
    fields: dict[str, str] = {}
    for code, name, fld, channel, refused, n in q(
        "SELECT d.procedure_code, MAX(d.procedure_name), COALESCE(MAX(p.field), ''), d.channel, d.status = 3, "
        "COUNT(*) FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure_code "
        "WHERE d.received_at >= :s AND d.received_at < :e GROUP BY d.procedure_code, d.channel, d.status = 3"
    ):
        if refused:
            stats.refused += n
            continue
        stats.received += n
        stats.received_by_channel[channel] = stats.received_by_channel.get(channel, 0) + n
        by_proc[code].received += n
        stats.procedure_names[code], fields[code] = name, fld
    stats.received_by_channel = dict(sorted(stats.received_by_channel.items()))
    stats.carried_over = q(f"SELECT COUNT(*) FROM ({_open_at('d.id', ':s')})").scalar()

    # Ended in the period: counted inside SQLite (a year is ~100k rows; Python per row was seconds).
    # Day granularity compares the date part of the Vietnam-time ISO strings every write produces.
    # The same pass sums the working minutes of the results (the average processing time) against
    # a day table reaching LOOKBACK_DAYS back; `timed` counts the results it could time.
    day_minutes, at = _fill_day_table(session, date_from - timedelta(days=LOOKBACK_DAYS), date_to)
    minutes, timed = 0, 0
    for code, name, fld, resolved, early, on_time, late, withdrawn, stopped, spent, counted in q(
        "SELECT d.procedure_code, MAX(d.procedure_name), COALESCE(MAX(p.field), ''), "
        f"SUM(d.status IN {_RESOLVED}), "
        f"SUM(d.status IN {_RESOLVED} AND substr(d.finished_at, 1, 10) < substr(d.due_at, 1, 10)), "
        f"SUM(d.status IN {_RESOLVED} AND substr(d.finished_at, 1, 10) = substr(d.due_at, 1, 10)), "
        f"SUM(d.status IN {_RESOLVED} AND substr(d.finished_at, 1, 10) > substr(d.due_at, 1, 10)), "
        "SUM(d.status = 7), SUM(d.status = 8), "
        f"SUM(CASE WHEN d.status IN {_RESOLVED} AND b.day IS NOT NULL "
        f"THEN MAX(0, {at('f', 'd.finished_at')} - {at('b', 'd.start_at')}) END), "
        f"SUM(d.status IN {_RESOLVED} AND b.day IS NOT NULL AND f.day IS NOT NULL) "
        "FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure_code "
        "LEFT JOIN temp.stat_day f ON f.day = substr(d.finished_at, 1, 10) "
        "LEFT JOIN temp.stat_day b ON b.day = substr(d.start_at, 1, 10) "
        f"WHERE d.finished_at >= :s AND d.finished_at < :e AND d.status IN {_FINISHED} "
        "GROUP BY d.procedure_code"
    ):
        stats.withdrawn += withdrawn
        stats.stopped += stopped
        minutes, timed = minutes + (spent or 0), timed + (counted or 0)
        if not resolved:
            continue
        stats.procedure_names.setdefault(code, name)
        fields.setdefault(code, fld)
        outcome = by_proc[code]
        outcome.resolved, outcome.early, outcome.on_time, outcome.late = resolved, early, on_time, late
        stats.resolved += resolved
        stats.early += early
        stats.on_time += on_time
        stats.late += late
    session.execute(text("DELETE FROM temp.stat_day"))
    if stats.resolved and timed == stats.resolved and day_minutes:
        stats.average_working_days = round(minutes / timed / day_minutes, 2)
    elif stats.resolved:
        stats.average_working_days = _average_working_days(session, s_iso, e_iso, date_to)

    returned, *ratings = q("SELECT COUNT(*), SUM(rating = 1), SUM(rating = 2), SUM(rating = 3) FROM dossier "
                           "WHERE returned_at >= :s AND returned_at < :e").one()
    stats.returned = returned
    stats.ratings = {k: n for k, n in zip((1, 2, 3), ratings, strict=True) if n}

    # In process at the end of the period.
    soon = clock.iso(end + timedelta(hours=24))
    for due_at, last_status in q(_open_at(
        "d.due_at, (SELECT e.to_status FROM status_event e WHERE e.dossier_id = d.id AND e.at < :e "
        "ORDER BY e.at DESC LIMIT 1)", ":e")):
        stats.in_process += 1
        if last_status == 5:
            stats.waiting_supplement += 1
            stats.in_process_within += 1  # the clock is stopped: not overdue
            continue
        if due_at >= e_iso:
            stats.in_process_within += 1
            if due_at < soon:
                stats.due_within_24h += 1
        else:
            stats.in_process_overdue += 1

    stats.by_procedure = dict(sorted(by_proc.items(), key=lambda kv: (-kv[1].received, kv[0])))
    by_field: dict[str, Outcome] = defaultdict(Outcome)
    for code, outcome in by_proc.items():
        agg = by_field[fields.get(code) or "Khác"]
        for attr in ("received", "resolved", "early", "on_time", "late"):
            setattr(agg, attr, getattr(agg, attr) + getattr(outcome, attr))
    stats.by_field = dict(sorted(by_field.items(), key=lambda kv: (-kv[1].received, kv[0])))
    return stats


def weekly_series(session: Session, date_from: date, date_to: date) -> list[tuple[date, int, int, float | None]]:
    """(week start, received, resolved, on-time % of resolved) per ISO week, for the leader's chart."""
    start, end = period_bounds(date_from, date_to)
    params = {"s": clock.iso(start), "e": clock.iso(end)}
    weeks: dict[date, list[int]] = {}

    def week_of(iso: str) -> date:
        d = date.fromisoformat(iso[:10])
        return d - timedelta(days=d.weekday())

    for (received_at,) in session.execute(text("SELECT received_at FROM dossier WHERE received_at >= :s AND "
                                                "received_at < :e AND status != 3"), params):
        weeks.setdefault(week_of(received_at), [0, 0, 0])[0] += 1
    for finished_at, due_at in session.execute(text("SELECT finished_at, due_at FROM dossier WHERE finished_at >= :s"
                                                    f" AND finished_at < :e AND status IN {_RESOLVED}"), params):
        row = weeks.setdefault(week_of(finished_at), [0, 0, 0])
        row[1] += 1
        row[2] += finished_at[:10] <= due_at[:10]
    return [(w, r[0], r[1], round(100 * r[2] / r[1], 1) if r[1] else None) for w, r in sorted(weeks.items())]


def rating_labels() -> dict[int, str]:
    from counter_app.services.workflow import RATINGS

    return RATINGS


__all__ = ["Outcome", "Statistics", "compute", "period_bounds", "weekly_series"]
