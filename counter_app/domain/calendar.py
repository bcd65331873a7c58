"""Working time: when a dossier starts counting, when it is due, how much working time lies between.

All arithmetic is exact: durations are `timedelta` (integer microseconds) and day counts are
`Decimal`, so 0.5 or 1.5 working days never drift by a float rounding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from counter_app.domain.holidays import CalendarDay, YearTable, check_year, provisional_year
from counter_app.domain.vn_time import VN_TZ, to_vn

_MAX_IDLE_DAYS = 370  # a calendar with no working day in a whole year is misconfigured, not a long wait
_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class WorkPolicy:
    """Office hours, the cut-off and the weekend, as one value (docs/rules.md, "Appointment date")."""

    periods: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
    cutoff: time = time(15, 0)
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("Cần ít nhất một buổi làm việc")
        previous_end = time.min
        for i, (start, end) in enumerate(self.periods):
            if not start < end or (i and start < previous_end):
                raise ValueError("Các buổi làm việc phải theo thứ tự và không chồng lên nhau")
            previous_end = end
        if not self.weekend <= set(range(7)):
            raise ValueError("Ngày nghỉ hằng tuần phải là số từ 0 (thứ Hai) đến 6 (Chủ nhật)")

    @property
    def day_length(self) -> timedelta:
        return sum((_span(s, e) for s, e in self.periods), timedelta())

    @property
    def hours_per_day(self) -> float:
        """Derived from the periods, so "N working days" always means N full office days."""
        return self.day_length / _HOUR

    @property
    def period_minutes(self) -> list[tuple[int, int]]:
        """The working periods as (start, end) minutes of the day: the statistics' arithmetic."""
        return [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in self.periods]

    @property
    def day_minutes(self) -> int:
        return sum(end - start for start, end in self.period_minutes)


@dataclass(frozen=True)
class DueDate:
    start: datetime
    due: datetime
    provisional_days: tuple[CalendarDay, ...]  # provisional days that shaped start or due: warn the officer


DEFAULT_POLICY = WorkPolicy()


class WorkCalendar:
    def __init__(self, tables: Mapping[int, YearTable] | None = None, policy: WorkPolicy = DEFAULT_POLICY):
        self.policy = policy
        self._tables: dict[int, YearTable] = dict(tables or {})
        self._days: dict[int, dict[date, CalendarDay]] = {}

    def table(self, year: int) -> YearTable:
        """The year's table: the one given, else the provisional one from the law (computed once).
        A year outside FIRST_YEAR–LAST_YEAR is refused (UserError): no dossier can fall in it."""
        if year not in self._tables:
            self._tables[year] = provisional_year(check_year(year))
        return self._tables[year]

    def day(self, d: date) -> CalendarDay | None:
        """The table entry for `d`, or None when the plain weekly rule applies."""
        if d.year not in self._days:
            self._days[d.year] = {c.day: c for c in self.table(d.year).days}
        return self._days[d.year].get(d)

    def is_working_day(self, d: date) -> bool:
        entry = self.day(d)
        if entry is not None:
            return entry.kind == "work"
        return d.weekday() not in self.policy.weekend

    def working_minutes_by_day(self, first: date, last: date) -> list[tuple[date, int, bool]]:
        """(day, working minutes from `first`'s start to that day's start, working day?) for each
        day from `first` to `last`: the statistics add a time's minutes into its day to these."""
        day_minutes = self.policy.day_minutes
        days, before = [], 0
        for i in range((last - first).days + 1):
            day = first + timedelta(days=i)
            working = self.is_working_day(day)
            days.append((day, before, working))
            before += day_minutes if working else 0
        return days

    def start_of_count(self, received: datetime) -> datetime:
        """When the processing time starts for a dossier received at `received`."""
        # The slip records minutes, so 15:00:40 counts as 15:00: not after the cut-off.
        t = to_vn(received).replace(second=0, microsecond=0)
        if self.is_working_day(t.date()) and t.time() <= self.policy.cutoff:
            for start, end in self._periods(t.date()):
                if t < end:
                    return max(t, start)
        return self._first_start_after(t.date())

    def add_working_hours(self, start: datetime, hours: float | Decimal) -> datetime:
        """`hours` of working time after `start` (no cut-off here: that is start_of_count's job)."""
        return self._add(to_vn(start), _hours_to_timedelta(hours))

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Working hours from a to b (negative when b is before a): for clock stops and lateness."""
        a, b = to_vn(a), to_vn(b)
        if b < a:
            return -self.working_hours_between(b, a)
        total = timedelta()
        for d in _dates(a.date(), b.date()):
            for start, end in self._periods(d):
                total += max(timedelta(), min(end, b) - max(start, a))
        return total / _HOUR

    def due_at(self, received: datetime, working_days: float | Decimal) -> DueDate:
        """The due time of a procedure of `working_days` (0 = "trong ngày") received at `received`."""
        n = _non_negative_decimal(working_days, "Số ngày làm việc")
        received = to_vn(received)
        self.table(received.year)  # refuses a year out of range before any day arithmetic overflows
        start = self.start_of_count(received)
        if n == 0:
            due = self._periods(start.date())[-1][1]  # same day: end of the last period
        else:
            day_us = Decimal(self.policy.day_length // timedelta(microseconds=1))
            due = self._add(start, _us((day_us * n).to_integral_value(ROUND_HALF_EVEN)))
        # From the day received: a provisional holiday on that day is what moved the start.
        return DueDate(start, due, self._provisional_between(received.date(), due.date()))

    # -- internals -------------------------------------------------------------------------------

    def _periods(self, d: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(d):
            return []
        return [(_at(d, s), _at(d, e)) for s, e in self.policy.periods]

    def _first_start_after(self, d: date) -> datetime:
        for _ in range(_MAX_IDLE_DAYS):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return _at(d, self.policy.periods[0][0])
        raise ValueError("Không tìm thấy ngày làm việc nào trong lịch")

    def _add(self, t: datetime, remaining: timedelta) -> datetime:
        if not remaining:
            return t
        d, idle = t.date(), 0
        while idle < _MAX_IDLE_DAYS:
            periods = self._periods(d)
            idle = idle + 1 if not periods else 0
            for start, end in periods:
                if end <= t:
                    continue
                available = end - max(start, t)
                if remaining <= available:  # "<=": a due time on a period end stays there
                    return max(start, t) + remaining
                remaining -= available
            d += timedelta(days=1)
        raise ValueError("Không tìm thấy ngày làm việc nào trong lịch")

    def _provisional_between(self, first: date, last: date) -> tuple[CalendarDay, ...]:
        found = []
        for d in _dates(first, last):
            entry = self.day(d)
            if entry is None or not entry.provisional:
                continue
            # A provisional holiday on a weekend changes nothing; only days that change the count matter.
            plain_working = d.weekday() not in self.policy.weekend
            if entry.kind == ("off" if plain_working else "work"):
                found.append(entry)
        return tuple(found)


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=VN_TZ)


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


def _dates(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _non_negative_decimal(value: float | Decimal, what: str) -> Decimal:
    try:
        # str() first: Decimal(0.1) would carry the float's binary error into the count
        n = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{what} không hợp lệ: {value!r}") from None
    if not n.is_finite() or n < 0:
        raise ValueError(f"{what} phải là số không âm: {value!r}")
    return n


def _us(microseconds: Decimal) -> timedelta:
    return timedelta(microseconds=int(microseconds))


def _hours_to_timedelta(hours: float | Decimal) -> timedelta:
    n = _non_negative_decimal(hours, "Số giờ làm việc")
    return _us((n * 3_600_000_000).to_integral_value(ROUND_HALF_EVEN))
