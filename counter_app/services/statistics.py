"""Statistics for a period (docs/rules.md, "Statistics"; docs/legal.md §11). Every definition is here,
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
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, text
from sqlmodel import Session

from counter_app import clock
from counter_app.domain.calendar import WorkCalendar
from counter_app.domain.statuses import FINISHED, RESOLVED, sql_in
from counter_app.domain.vn_time import day_start
from counter_app.errors import UserError
from counter_app.services import calendar_store
from counter_app.services.statistics_tallies import Slice, Tallies, working_day_table

MAX_DAYS = 366 * 5

_RESOLVED = sql_in(RESOLVED)
_FINISHED = sql_in(FINISHED)


@dataclass(frozen=True)
class Source:
    """Where the figures are counted: the counter's own store (the default), or the district
    server's database (district_server/web/stats.py: its `dossier` table carries the same columns,
    its `event` table the history, on SQLite or PostgreSQL), optionally for one office. The
    definitions above are the SQL below, whichever database runs it."""

    events: str = "status_event"  # a table with dossier_id, at, to_status
    procedures: bool = True  # a `procedure` table gives each procedure its field
    ratings: bool = True  # dossier.rating exists
    agency_code: str | None = None  # only this office's dossiers
    postgresql: bool = False
    calendar: WorkCalendar | None = None  # None: the counter's stored calendar
    by_office: bool = False  # every query grouped by the office too (compute_by_office)
    # The figures per procedure and field. The district shows none: without them its queries read
    # no procedure column, and its indexes alone answer them (district_server/schema.py).
    by_procedure: bool = True
    keyed_events: bool = False  # events.sort_key and dossier.last_key (the server): waiting_supplement_at_end
    # The counts from the running totals triggers keep (db/tally_sql.py, statistics_tallies.py),
    # not from the dossier rows: "procedure", the counter's (migration 0011: per procedure, for the
    # office as a whole); "office", the district's (its migration 0009: per office, no procedures).
    tallied_by: str = ""
    # The server's dossiers carry `long_running` (district_server/indexed.py): 1 when processing
    # ended more than this many days after the receipt. "Open at an instant" then reads three
    # small index ranges instead of every dossier finished since (_open_at).
    long_running_days: int | None = None

    def tally_slice(self) -> Slice | None:
        """What the totals are asked of, when they hold what this source asks for."""
        per_office = self.by_office or self.agency_code is not None
        if self.tallied_by == "procedure" and not per_office:
            return Slice(per_procedure=self.by_procedure, ratings=self.ratings, postgresql=self.postgresql)
        if self.tallied_by == "office" and not self.by_procedure:
            return Slice(by_office=self.by_office, agency_code=self.agency_code, per_procedure=False, ratings=False,
                         postgresql=self.postgresql)
        return None

    def where(self) -> str:
        return " AND d.agency_code = :agency" if self.agency_code else ""

    def group(self) -> str:
        """The first column of each query: the office, or one group for everything."""
        return "d.agency_code" if self.by_office else "''"

    def group_by(self, *columns: str) -> str:
        # Not the constant itself: PostgreSQL refuses a string constant in GROUP BY.
        grouped = ["d.agency_code"] * self.by_office + list(columns)
        return f" GROUP BY {', '.join(grouped)}" if grouped else ""

    def waiting_supplement_at_end(self) -> str:
        """SQL for whether the dossier `d` was waiting for a supplement (status 5) at :e, i.e. its
        last move before :e was to 5. The server's events carry protocol.event_key as sort_key (the
        order both ends agree on) and its dossier the latest one's as last_key: a dossier not moved
        since :e (every one, for a period not yet ended) is answered by its own row; one moved
        since and never asked for a supplement before :e, by the small index of those requests
        (ix_event_supplement, migration 0010); only the others by one event read backwards along
        ix_event_dossier."""
        if self.keyed_events:
            return ("CASE WHEN d.last_key < :e_key THEN d.status = 5 "
                    f"WHEN NOT EXISTS (SELECT 1 FROM {self.events} s WHERE s.dossier_id = d.id AND s.to_status = 5 "
                    "AND s.sort_key < :e_key) THEN 1 = 0 "
                    f"ELSE (SELECT e.to_status FROM {self.events} e WHERE e.dossier_id = d.id AND e.sort_key < :e_key "
                    "ORDER BY e.sort_key DESC LIMIT 1) = 5 END")
        return (f"(SELECT e.to_status FROM {self.events} e WHERE e.dossier_id = d.id AND e.at < :e "
                "ORDER BY e.at DESC LIMIT 1) = 5")

    def status_in(self, statuses: str) -> str:
        """The status checked on the rows of a time range, never SQLite's way in: "+" keeps it off
        ix_dossier_status_due, which without the table's statistics (a store is never ANALYZEd)
        SQLite preferred to the finished_at range, for most of the table (90 % is returned, 10).
        Not on PostgreSQL: there "+status" hides the column's statistics from the row estimate
        (979 for 100k), and the grouping then sorted on disk instead of hashing."""
        return f"{'' if self.postgresql else '+'}d.status IN {statuses}"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.postgresql else f"MAX({a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.postgresql else f"MIN({a}, {b})"


COUNTER = Source(tallied_by="procedure")


def count_where(condition: str) -> str:
    """SUM of a condition, in SQL both SQLite and PostgreSQL accept."""
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


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


# Where a resolved dossier's working time counts from: its clock's start, or its result when that
# came first (received after the cut-off, the clock starts the next working day; a copy certified
# on the spot is ready the same afternoon: no working time, not a negative one). Compared to the
# minute, as the working-minute arithmetic reads the times.
CLOCK_START = ("(CASE WHEN substr(d.finished_at, 1, 16) < substr(d.start_at, 1, 16) THEN d.finished_at "
               "ELSE d.start_at END)")


def _open_at(columns: str, instant: str, src: Source = COUNTER) -> str:
    """Dossiers whose processing had not ended at `instant` (received before it, not refused).
    Index ranges instead of scanning everything received before: still open, and ended after it.
    With `long_running` (the server), those ended after it are the ones received in the
    `long_running_days` before it (`{instant}_early`; a dossier not long running took no longer)
    and the few long running, so a period years back reads no more than one recent."""
    still_open = (f"SELECT {columns} FROM dossier d WHERE d.finished_at IS NULL AND d.received_at < {instant} "
                  f"AND d.status != 3{src.where()}")
    ended_after = f"d.finished_at >= {instant} AND d.received_at < {instant} AND d.status != 3{src.where()}"
    if src.long_running_days is None:
        return f"{still_open} UNION ALL SELECT {columns} FROM dossier d WHERE {ended_after}"
    return (f"{still_open} UNION ALL SELECT {columns} FROM dossier d WHERE d.long_running = 0 AND "
            f"d.received_at >= {instant}_early AND {ended_after} UNION ALL SELECT {columns} FROM dossier d "
            f"WHERE d.long_running = 1 AND {ended_after}")


def _minute_of_day_sql(column: str, periods: list[tuple[int, int]], src: Source = COUNTER) -> str:
    """SQL for the working minutes of a day before the time in `column` (an ISO string)."""
    minute = f"(CAST(substr({column}, 12, 2) AS INTEGER) * 60 + CAST(substr({column}, 15, 2) AS INTEGER))"
    return " + ".join(src.greatest("0", f"{src.least(str(end), minute)} - {start}") for start, end in periods)


def _working_minutes(session: Session, first_iso: str, s_iso: str, e_iso: str, date_to: date,
                     calendar: WorkCalendar, src: Source = COUNTER) -> tuple[int, dict[str, tuple[int, int]]]:
    """The working time from the clock's start to the result of each dossier resolved in the
    period, in minutes: a working day's minutes, and per group (src.group()) the sum and the count.
    The working-day table holds each day's working minutes since the first start (`first_iso`,
    empty: nothing resolved), so the database does the sum in one pass."""
    if not first_iso:
        return 0, {}
    params = {"s": s_iso, "e": e_iso, "agency": src.agency_code}
    periods = calendar.policy.period_minutes
    at = lambda alias, col: f"({alias}.cum + {alias}.working * ({_minute_of_day_sql(col, periods, src)}))"  # noqa: E731
    # Each resolved dossier's two days lie between the first clock start and the period's last day.
    with working_day_table(session, date.fromisoformat(first_iso[:10]), date_to, calendar,
                           postgresql=src.postgresql):
        # SUM and COUNT, not AVG: the district's mean is the offices' sums over their counts. The
        # difference is never negative: the working time counts from CLOCK_START.
        sums = {k: (int(total), int(n)) for k, total, n in session.execute(text(
            f"SELECT {src.group()}, SUM({at('f', 'd.finished_at')} - {at('b', CLOCK_START)}), "
            "COUNT(*) FROM dossier d "
            "JOIN stat_day f ON f.day = substr(d.finished_at, 1, 10) "
            f"JOIN stat_day b ON b.day = substr({CLOCK_START}, 1, 10) "
            f"WHERE d.finished_at >= :s AND d.finished_at < :e AND {src.status_in(_RESOLVED)}{src.where()}"
            f"{src.group_by()}"), params) if n}
    return calendar.policy.day_minutes, sums


def _mean_days(sums: list[tuple[int, int]], day_minutes: int) -> float | None:
    minutes, n = sum(s for s, _ in sums), sum(c for _, c in sums)
    return round(minutes / n / day_minutes, 2) if n and day_minutes else None


def compute(session: Session, date_from: date, date_to: date, *, now: datetime | None = None,
            source: Source = COUNTER) -> Statistics:
    """The period's figures. `session`: the counter's store, or with `source` any SQLAlchemy
    connection to a database with those columns (the district server's)."""
    return _compute(session, date_from, date_to, replace(source, by_office=False))[0]


def compute_by_office(session: Session, date_from: date, date_to: date, *,
                      source: Source) -> tuple[Statistics, dict[str, Statistics]]:
    """The figures of every office in one grouped pass (each query GROUP BY the office), and the
    whole: the sum of the offices' figures (the mean working time: their sums over their counts)."""
    return _compute(session, date_from, date_to, replace(source, by_office=True))


def _compute(session: Session, date_from: date, date_to: date,
             src: Source) -> tuple[Statistics, dict[str, Statistics]]:
    start, end = period_bounds(date_from, date_to)
    s_iso, e_iso = clock.iso(start), clock.iso(end)
    parts: dict[str, Statistics] = {}

    def part(k: str) -> Statistics:
        if k not in parts:
            parts[k] = Statistics(date_from, date_to)
        return parts[k]

    by_procs: dict[str, dict[str, Outcome]] = defaultdict(lambda: defaultdict(Outcome))
    lookback = timedelta(days=src.long_running_days or 0)
    times = {"s": s_iso, "e": e_iso, "s_early": clock.iso(start - lookback), "e_early": clock.iso(end - lookback)}
    q = lambda sql, **p: session.execute(text(sql), {**times, "agency": src.agency_code, **p})  # noqa: E731
    key = src.group()
    per_procedure = src.by_procedure
    # Each procedure's field from the catalogue, once, not joined to every dossier row.
    catalogue_fields: dict[str, str] = (
        {code: fld or "" for code, fld in session.execute(text("SELECT code, field FROM procedure"))}
        if src.procedures and per_procedure else {})
    procedure_sql = "d.procedure_code, MAX(d.procedure_name)" if per_procedure else "'', ''"
    # Not the name: the finished range is then read from its index alone (migration 0009); the
    # few codes no dossier received in the period named are looked up after, by a second query.
    finished_procedure_sql = "d.procedure_code, ''" if per_procedure else "'', ''"
    procedure_group = ("d.procedure_code",) if per_procedure else ()
    calendar = src.calendar or calendar_store.work_calendar(session)
    # The counts come from the running totals where the store keeps them: the same rows, from ~10k
    # rows a year instead of ~100k dossiers a query (statistics_tallies.py).
    of = src.tally_slice()
    tallies = (Tallies(session, date_from, date_to, calendar, of)
               if of is not None and Tallies.usable(session, calendar) else None)

    # Received in the period, per channel and procedure (one pass over the received_at range).
    received = tallies.received() if tallies else q(
        f"SELECT {key}, {procedure_sql}, d.channel, d.status = 3, COUNT(*) FROM dossier d "
        f"WHERE d.received_at >= :s AND d.received_at < :e{src.where()}"
        f"{src.group_by(*procedure_group, 'd.channel', 'd.status = 3')}")
    for k, code, name, channel, refused, n in received:
        stats = part(k)
        if refused:
            stats.refused += n
            continue
        stats.received += n
        stats.received_by_channel[channel] = stats.received_by_channel.get(channel, 0) + n
        if per_procedure:
            by_procs[k][code].received += n
            stats.procedure_names[code] = name
    for k, n in q(f"SELECT k, COUNT(*) FROM ({_open_at(f'{key} AS k', ':s', src)}) AS open_at_start GROUP BY k"):
        part(k).carried_over = n

    # Ended in the period: counted inside the database (a year is ~100k rows; Python per row was seconds).
    # Day granularity compares the date part of the Vietnam-time ISO strings every write produces.
    # The earliest clock start of the resolved ones too: where the working-day table starts.
    first_start = ""
    unnamed: set[str] = set()
    ended = tallies.finished() if tallies else q(
        f"SELECT {key}, {finished_procedure_sql}, "
        f"{count_where(f'd.status IN {_RESOLVED}')}, "
        f"{count_where(f'd.status IN {_RESOLVED} AND substr(d.finished_at, 1, 10) < substr(d.due_at, 1, 10)')}, "
        f"{count_where(f'd.status IN {_RESOLVED} AND substr(d.finished_at, 1, 10) = substr(d.due_at, 1, 10)')}, "
        f"{count_where(f'd.status IN {_RESOLVED} AND substr(d.finished_at, 1, 10) > substr(d.due_at, 1, 10)')}, "
        f"{count_where('d.status = 7')}, {count_where('d.status = 8')}, "
        f"MIN(CASE WHEN d.status IN {_RESOLVED} THEN {CLOCK_START} END) "
        "FROM dossier d "
        f"WHERE d.finished_at >= :s AND d.finished_at < :e AND {src.status_in(_FINISHED)}{src.where()}"
        f"{src.group_by(*procedure_group)}")
    for k, code, _name, resolved, early, on_time, late, withdrawn, stopped, first in ended:
        if not (resolved or withdrawn or stopped):
            continue  # no GROUP BY: one row even when nothing ended
        stats = part(k)
        stats.withdrawn += withdrawn
        stats.stopped += stopped
        if not resolved:
            continue
        if first and (not first_start or first < first_start):
            first_start = first
        stats.resolved += resolved
        stats.early += early
        stats.on_time += on_time
        stats.late += late
        if not per_procedure:
            continue
        if code not in stats.procedure_names:
            unnamed.add(code)
        outcome = by_procs[k][code]
        outcome.resolved, outcome.early, outcome.on_time, outcome.late = resolved, early, on_time, late
    if unnamed:
        for k, code, name in tallies.names_of_finished(sorted(unnamed)) if tallies else session.execute(text(
            f"SELECT {key}, d.procedure_code, MAX(d.procedure_name) FROM dossier d WHERE d.finished_at >= :s "
            f"AND d.finished_at < :e AND {src.status_in(_FINISHED)}{src.where()} AND d.procedure_code IN :codes"
            f"{src.group_by('d.procedure_code')}").bindparams(bindparam("codes", expanding=True)),
            {"s": s_iso, "e": e_iso, "agency": src.agency_code, "codes": sorted(unnamed)}):
            if by_procs[k][code].resolved:
                part(k).procedure_names.setdefault(code, name)
    day_minutes, timed = (tallies.working_minutes() if tallies
                          else _working_minutes(session, first_start, s_iso, e_iso, date_to, calendar, src))
    for k, sums in timed.items():
        part(k).average_working_days = _mean_days([sums], day_minutes)

    rated = (", ".join(count_where(f"d.rating = {n}") for n in (1, 2, 3)) if src.ratings else "0, 0, 0")
    handed_over = tallies.returned() if tallies else q(
        f"SELECT {key}, COUNT(*), {rated} FROM dossier d WHERE d.returned_at >= :s "
        f"AND d.returned_at < :e{src.where()}{src.group_by()}")
    for k, returned, *ratings in handed_over:
        if not returned:
            continue  # no GROUP BY: one row even when nothing was returned
        stats = part(k)
        stats.returned = returned
        stats.ratings = {r: n for r, n in zip((1, 2, 3), ratings, strict=True) if n}

    # In process at the end of the period.
    soon = clock.iso(end + timedelta(hours=24))
    e_key = f"{end.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}Z"  # protocol.event_key's form, before any id
    for k, due_at, waiting in q(_open_at(f"{key}, d.due_at, {src.waiting_supplement_at_end()}", ":e", src),
                                e_key=e_key):
        stats = part(k)
        stats.in_process += 1
        if waiting:
            stats.waiting_supplement += 1
            stats.in_process_within += 1  # the clock is stopped: not overdue
            continue
        if due_at >= e_iso:
            stats.in_process_within += 1
            if due_at < soon:
                stats.due_within_24h += 1
        else:
            stats.in_process_overdue += 1

    for k, stats in parts.items():
        stats.received_by_channel = dict(sorted(stats.received_by_channel.items()))
        stats.by_procedure = _ordered(by_procs[k])
        by_field: dict[str, Outcome] = defaultdict(Outcome)
        for code, outcome in by_procs[k].items():
            _add(by_field[catalogue_fields.get(code) or "Khác"], outcome)
        stats.by_field = _ordered(by_field)
    whole = _sum(list(parts.values()), date_from, date_to)
    whole.average_working_days = _mean_days(list(timed.values()), day_minutes)
    return whole, parts


_OUTCOME = ("received", "resolved", "early", "on_time", "late")
_COUNTS = ("received", "refused", "carried_over", "resolved", "early", "on_time", "late", "withdrawn", "stopped",
           "returned", "in_process", "in_process_within", "in_process_overdue", "waiting_supplement", "due_within_24h")


def _add(into: Outcome, part: Outcome) -> None:
    for attr in _OUTCOME:
        setattr(into, attr, getattr(into, attr) + getattr(part, attr))


def _ordered(outcomes: dict[str, Outcome]) -> dict[str, Outcome]:
    """Most received first, then by key: the order the screens and the exports show."""
    return dict(sorted(outcomes.items(), key=lambda kv: (-kv[1].received, kv[0])))


def _sum(parts: list[Statistics], date_from: date, date_to: date) -> Statistics:
    """The figures of several offices together (every figure but the mean working time is a count)."""
    if len(parts) == 1:
        return parts[0]
    whole = Statistics(date_from, date_to)
    by_proc: dict[str, Outcome] = defaultdict(Outcome)
    by_field: dict[str, Outcome] = defaultdict(Outcome)
    for p in parts:
        for attr in _COUNTS:
            setattr(whole, attr, getattr(whole, attr) + getattr(p, attr))
        for counts, of_part in ((whole.received_by_channel, p.received_by_channel), (whole.ratings, p.ratings)):
            for k, n in of_part.items():
                counts[k] = counts.get(k, 0) + n
        for code, outcome in p.by_procedure.items():
            _add(by_proc[code], outcome)
        for name, outcome in p.by_field.items():
            _add(by_field[name], outcome)
        for code, name in p.procedure_names.items():  # as MAX(procedure_name) over the whole would
            whole.procedure_names[code] = max(name, whole.procedure_names.get(code, name))
    whole.received_by_channel = dict(sorted(whole.received_by_channel.items()))
    whole.ratings = dict(sorted(whole.ratings.items()))
    whole.by_procedure, whole.by_field = _ordered(by_proc), _ordered(by_field)
    return whole


def weekly_series(session: Session, date_from: date, date_to: date, *,
                  source: Source = COUNTER) -> list[tuple[date, int, int, float | None]]:
    """(week start, received, resolved, on-time % of resolved) per ISO week, for the leader's chart:
    from the running totals on the counter, else over the dossiers."""
    start, end = period_bounds(date_from, date_to)
    params = {"s": clock.iso(start), "e": clock.iso(end)}
    weeks: dict[date, list[int]] = {}

    def week_of(iso: str) -> date:
        d = date.fromisoformat(iso[:10])
        return d - timedelta(days=d.weekday())

    of = source.tally_slice()
    if of is not None:
        for day, received, resolved, in_time in Tallies(session, date_from, date_to, of=of).daily():
            row = weeks.setdefault(week_of(day), [0, 0, 0])
            row[0], row[1], row[2] = row[0] + received, row[1] + resolved, row[2] + in_time
        return _weekly(weeks)
    for (received_at,) in session.execute(text("SELECT received_at FROM dossier WHERE received_at >= :s AND "
                                                "received_at < :e AND status != 3"), params):
        weeks.setdefault(week_of(received_at), [0, 0, 0])[0] += 1
    # "+status": the finished_at range is the way in (Source.status_in).
    for finished_at, due_at in session.execute(text("SELECT finished_at, due_at FROM dossier WHERE finished_at >= :s"
                                                    f" AND finished_at < :e AND +status IN {_RESOLVED}"), params):
        row = weeks.setdefault(week_of(finished_at), [0, 0, 0])
        row[1] += 1
        row[2] += finished_at[:10] <= due_at[:10]
    return _weekly(weeks)


def _weekly(weeks: dict[date, list[int]]) -> list[tuple[date, int, int, float | None]]:
    return [(w, r[0], r[1], round(100 * r[2] / r[1], 1) if r[1] else None) for w, r in sorted(weeks.items())]


def rating_labels() -> dict[int, str]:
    from counter_app.services.workflow import RATINGS

    return RATINGS


__all__ = ["COUNTER", "Outcome", "Source", "Statistics", "compute", "period_bounds", "weekly_series"]
