"""Working-time calendar. Every expected value below is worked out by hand from docs/rules.md
("Appointment date"): periods 07:00–11:30 and 13:30–17:00 (8 h), cut-off 15:00, Mon–Fri, the shipped
2025/2026 tables and, for 2027, the provisional table (see test_holidays.py)."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from counter_app.domain.calendar import WorkCalendar, WorkPolicy
from counter_app.domain.holidays import CalendarDay, YearTable, shipped_years
from counter_app.domain.vn_time import VN_TZ, vn_datetime

CAL = WorkCalendar(shipped_years())


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def _with_days(*extra: CalendarDay, remove: tuple[date, ...] = ()) -> WorkCalendar:
    """The shipped tables with an admin's edit to 2026."""
    tables = dict(shipped_years())
    t = tables[2026]
    days = tuple(sorted([c for c in t.days if c.day not in remove] + list(extra), key=lambda c: c.day))
    tables[2026] = replace(t, days=days)
    return WorkCalendar(tables)


def _is_vn(dt: datetime) -> bool:
    return dt.utcoffset() == timedelta(hours=7)


# -- the four worked cases of docs/rules.md, exactly ---------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Fri 10:00–11:30 + 13:30–17:00 = 5 h; swapped working Sat 10/01: 3 h -> 10:00.
        (vn(2026, 1, 9, 10), 1, vn(2026, 1, 10, 10)),
        # Fri 13/02: 5 h; 14–22/02 off; Mon 23: 8 h (13); Tue 24: 8 h (21); Wed 25: 3 h -> 10:00.
        (vn(2026, 2, 13, 10), 3, vn(2026, 2, 25, 10)),
        # Lunch break before 15:00 -> 13:30; 3.5 h to 17:00, 0.5 h on Tue -> 07:30.
        (vn(2026, 3, 2, 12), 0.5, vn(2026, 3, 3, 7, 30)),
        # After the cut-off -> next working day: 30/4, 1/5, weekend -> Mon 04/05 07:00; 16 h -> Tue 17:00.
        (vn(2026, 4, 29, 16), 2, vn(2026, 5, 5, 17)),
    ],
)
def test_worked_cases(received: datetime, days: float, due: datetime) -> None:
    result = CAL.due_at(received, days)
    assert result.due == due
    assert _is_vn(result.due)
    assert result.provisional_days == ()


# -- when counting starts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "start"),
    [
        (vn(2026, 3, 2, 6, 30), vn(2026, 3, 2, 7)),  # before 07:00 on a working day: 07:00
        (vn(2026, 3, 2, 7), vn(2026, 3, 2, 7)),
        (vn(2026, 3, 2, 9, 15), vn(2026, 3, 2, 9, 15)),
        (vn(2026, 3, 2, 11, 29), vn(2026, 3, 2, 11, 29)),
        (vn(2026, 3, 2, 11, 30), vn(2026, 3, 2, 13, 30)),  # the morning has ended: lunch break
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 13, 30)),
        (vn(2026, 3, 2, 13, 30), vn(2026, 3, 2, 13, 30)),
        (vn(2026, 3, 2, 15), vn(2026, 3, 2, 15)),  # exactly 15:00 is not after the cut-off
        (vn(2026, 3, 2, 15, 0, 59), vn(2026, 3, 2, 15)),  # the slip shows 15:00, so it counts as 15:00
        (vn(2026, 3, 2, 15, 1), vn(2026, 3, 3, 7)),  # 15:01: next working day
        (vn(2026, 3, 2, 16, 59), vn(2026, 3, 3, 7)),
        (vn(2026, 3, 2, 17), vn(2026, 3, 3, 7)),
        (vn(2026, 3, 2, 22), vn(2026, 3, 3, 7)),
        (vn(2026, 3, 6, 15, 30), vn(2026, 3, 9, 7)),  # Friday afternoon: Monday
        (vn(2026, 3, 7, 9), vn(2026, 3, 9, 7)),  # Saturday
        (vn(2026, 3, 8, 9), vn(2026, 3, 9, 7)),  # Sunday
        (vn(2026, 4, 30, 9), vn(2026, 5, 4, 7)),  # holiday, then 1/5 and a weekend
        (vn(2026, 1, 2, 9), vn(2026, 1, 5, 7)),  # swapped day off
        (vn(2026, 1, 10, 9), vn(2026, 1, 10, 9)),  # swapped working Saturday
        (vn(2026, 1, 9, 16), vn(2026, 1, 10, 7)),  # the next working day is that Saturday
        (vn(2026, 2, 13, 15, 30), vn(2026, 2, 23, 7)),  # Friday before Tết
        (datetime(2026, 3, 2, 9, 15), vn(2026, 3, 2, 9, 15)),  # naive = Vietnam time
    ],
)
def test_start_of_count(received: datetime, start: datetime) -> None:
    result = CAL.start_of_count(received)
    assert result == start
    assert _is_vn(result)


# -- due dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Tue 09:00: 2.5 + 3.5 = 6 h; Wed 2 h -> 09:00.
        (vn(2026, 3, 3, 9), 1, vn(2026, 3, 4, 9)),
        # Lunch -> 13:30: 3.5 h Mon + 4.5 h Tue morning = 8 h, lands on 11:30 and stays there.
        (vn(2026, 3, 2, 12), 1, vn(2026, 3, 3, 11, 30)),
        (vn(2026, 3, 2, 11, 45), 1, vn(2026, 3, 3, 11, 30)),
        (vn(2026, 3, 2, 13, 29), 1, vn(2026, 3, 3, 11, 30)),
        # A full day from 07:00 lands on 17:00 the same day, not 07:00 the next.
        (vn(2026, 3, 2, 7), 1, vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 6), 1, vn(2026, 3, 2, 17)),
        # Before 07:00 -> 07:00; 16 h: Tue and Wed -> Wed 17:00.
        (vn(2026, 3, 3, 5, 45), 2, vn(2026, 3, 4, 17)),
        # Half days: 07:00 + 4 h = 11:00; 08:00 + 3.5 h morning + 0.5 h = 14:00; 14:00: 3 h + 1 h Tue.
        (vn(2026, 3, 3, 7), 0.5, vn(2026, 3, 3, 11)),
        (vn(2026, 3, 3, 8), 0.5, vn(2026, 3, 3, 14)),
        (vn(2026, 3, 2, 14), 0.5, vn(2026, 3, 3, 8)),
        # 1.5 days = 12 h: Tue 10:00 gives 5 h, Wed morning 4.5 h, 2.5 h after 13:30 -> 16:00.
        (vn(2026, 3, 3, 10), 1.5, vn(2026, 3, 4, 16)),
        (vn(2026, 3, 3, 10), Decimal("1.5"), vn(2026, 3, 4, 16)),
        # 1.25 days = 10 h from Tue 07:00: 8 h Tue, 2 h Wed -> 09:00.
        (vn(2026, 3, 3, 7), Decimal("1.25"), vn(2026, 3, 4, 9)),
        # 15:00 counts the same day (2 h Mon, 4.5 h + 1.5 h Tue -> 15:00); 15:01 starts Tue 07:00.
        (vn(2026, 3, 2, 15), 1, vn(2026, 3, 3, 15)),
        (vn(2026, 3, 2, 15, 1), 1, vn(2026, 3, 3, 17)),
        # Weekend: Fri 5 h, Mon 3 h.
        (vn(2026, 3, 6, 10), 1, vn(2026, 3, 9, 10)),
        # Quốc khánh: Mon 31/08 09:00 gives 6 h; 1–2/9 off; Thu 8 (14), Fri 8 (22); Mon 07/09 2 h.
        (vn(2026, 8, 31, 9), 3, vn(2026, 9, 7, 9)),
        # Ngày Văn hóa Việt Nam, Tue 24/11.
        (vn(2026, 11, 23, 10), 1, vn(2026, 11, 25, 10)),
        # Giỗ Tổ substitute, Mon 27/04.
        (vn(2026, 4, 24, 10), 1, vn(2026, 4, 28, 10)),
        # Ten days across Tết: 09–13/02 (40 h), 16–20/02 off, 23–27/02 (40 h) -> Fri 27/02 17:00.
        (vn(2026, 2, 9, 7), 10, vn(2026, 2, 27, 17)),
        # 2025 table: Fri 24/01/2025 10:00 gives 5 h; 25/01–02/02 off; Mon 03/02 3 h.
        (vn(2025, 1, 24, 10), 1, vn(2025, 2, 3, 10)),
    ],
)
def test_due_at(received: datetime, days: float | Decimal, due: datetime) -> None:
    assert CAL.due_at(received, days).due == due


@pytest.mark.parametrize(
    ("received", "start", "due"),
    [
        (vn(2026, 3, 2, 9), vn(2026, 3, 2, 9), vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 13, 30), vn(2026, 3, 2, 17)),  # lunch break
        (vn(2026, 3, 2, 15), vn(2026, 3, 2, 15), vn(2026, 3, 2, 17)),  # at the cut-off
        (vn(2026, 3, 2, 15, 30), vn(2026, 3, 3, 7), vn(2026, 3, 3, 17)),  # after it: next day
        (vn(2026, 3, 6, 14), vn(2026, 3, 6, 14), vn(2026, 3, 6, 17)),  # Friday afternoon, in time
        (vn(2026, 3, 6, 15, 30), vn(2026, 3, 9, 7), vn(2026, 3, 9, 17)),  # Friday, too late: Monday
        (vn(2026, 3, 7, 9), vn(2026, 3, 9, 7), vn(2026, 3, 9, 17)),  # Saturday
        (vn(2026, 1, 9, 16), vn(2026, 1, 10, 7), vn(2026, 1, 10, 17)),  # swapped working Saturday
    ],
)
def test_same_day_procedure(received: datetime, start: datetime, due: datetime) -> None:
    result = CAL.due_at(received, 0)
    assert (result.start, result.due) == (start, due)


# -- year end: 2027 has no official table yet ----------------------------------------------------

NEW_YEAR_2027 = CalendarDay(date(2027, 1, 1), "off", "Tết Dương lịch", provisional=True)


@pytest.mark.parametrize(
    ("received", "days", "start", "due", "warned"),
    [
        # Due before 2027: nothing provisional in between.
        (vn(2026, 12, 28, 10), 3, vn(2026, 12, 28, 10), vn(2026, 12, 31, 10), ()),
        # Wed 5 h, Thu 8 h, Fri 01/01/2027 (provisional) off, weekend, Mon 04/01 3 h.
        (vn(2026, 12, 30, 10), 2, vn(2026, 12, 30, 10), vn(2027, 1, 4, 10), (NEW_YEAR_2027,)),
        # Same day, after the cut-off on 31/12: the next working day is Mon 04/01.
        (vn(2026, 12, 31, 16), 0, vn(2027, 1, 4, 7), vn(2027, 1, 4, 17), (NEW_YEAR_2027,)),
    ],
)
def test_year_end(
    received: datetime, days: float, start: datetime, due: datetime, warned: tuple[CalendarDay, ...]
) -> None:
    result = CAL.due_at(received, days)
    assert (result.start, result.due, result.provisional_days) == (start, due, warned)


def test_provisional_tet_2027_is_warned() -> None:
    # Mon 01/02/2027 10:00, 5 days = 40 h: Mon 5, Tue 8 (13), Wed 8 (21), Thu 8 (29); Fri 05/02 – Thu
    # 11/02 off (Tết eve, Tết, substitutes for Sat 06 and Sun 07); Fri 12 8 (37); Mon 15/02 3 h.
    result = CAL.due_at(vn(2027, 2, 1, 10), 5)
    assert result.due == vn(2027, 2, 15, 10)
    # The Tết days on Sat 06 and Sun 07 change nothing, so they are not in the warning.
    assert [c.day for c in result.provisional_days] == [
        date(2027, 2, 5),
        date(2027, 2, 8),
        date(2027, 2, 9),
        date(2027, 2, 10),
        date(2027, 2, 11),
    ]
    assert all(c.provisional for c in result.provisional_days)


def test_received_on_a_provisional_holiday_is_warned() -> None:
    # Fri 05/02/2027 is provisionally Tết eve, so counting starts Fri 12/02: that day must be in the warning.
    result = CAL.due_at(vn(2027, 2, 5, 9), 1)
    assert (result.start, result.due) == (vn(2027, 2, 12, 7), vn(2027, 2, 12, 17))
    assert result.provisional_days[0].day == date(2027, 2, 5)


def test_official_table_replaces_provisional() -> None:
    official_2027 = YearTable(2027, True, (CalendarDay(date(2027, 1, 1), "off", "Tết Dương lịch"),), "test")
    cal = WorkCalendar({**shipped_years(), 2027: official_2027})
    result = cal.due_at(vn(2026, 12, 30, 10), 2)
    assert result.due == vn(2027, 1, 4, 10)
    assert result.provisional_days == ()
    assert cal.is_working_day(date(2027, 2, 10))  # only the provisional table had Tết there


# -- time zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (utc(2026, 2, 13, 3), 3, vn(2026, 2, 25, 10)),  # 03:00Z = 10:00 in Vietnam: worked case 2
        # 10:00+09:00 = 08:00 in Vietnam: Fri 3.5 + 3.5 = 7 h, Sat 10/01 1 h -> 08:00.
        (datetime(2026, 1, 9, 10, tzinfo=timezone(timedelta(hours=9))), 1, vn(2026, 1, 10, 8)),
        (utc(2026, 3, 2, 8, 30), 0.5, vn(2026, 3, 3, 11)),  # 15:30 in Vietnam: after the cut-off
        (utc(2026, 3, 1, 23, 30), 1, vn(2026, 3, 2, 17)),  # Sunday in UTC, Monday 06:30 in Vietnam
        # 08:00-05:00 = 13:00Z = 20:00 in Vietnam -> Tue 07:00 -> Tue 17:00.
        (datetime(2026, 3, 2, 8, tzinfo=timezone(timedelta(hours=-5))), 1, vn(2026, 3, 3, 17)),
        (datetime(2026, 1, 9, 10), 1, vn(2026, 1, 10, 10)),  # naive = Vietnam time
    ],
)
def test_other_offsets_are_converted(received: datetime, days: float, due: datetime) -> None:
    result = CAL.due_at(received, days)
    assert result.due == due
    assert _is_vn(result.start) and _is_vn(result.due)
    assert result.due.tzinfo is VN_TZ


# -- admin edits -----------------------------------------------------------------------------------


def test_admin_added_holiday() -> None:
    assert CAL.due_at(vn(2026, 3, 6, 10), 1).due == vn(2026, 3, 9, 10)
    cal = _with_days(CalendarDay(date(2026, 3, 9), "off", "Nghỉ đột xuất"))
    assert not cal.is_working_day(date(2026, 3, 9))
    assert cal.due_at(vn(2026, 3, 6, 10), 1).due == vn(2026, 3, 10, 10)  # Fri 5 h, Tue 3 h


def test_admin_added_working_saturday() -> None:
    cal = _with_days(CalendarDay(date(2026, 3, 7), "work", "Làm bù"))
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.due_at(vn(2026, 3, 6, 10), 1).due == vn(2026, 3, 7, 10)  # Fri 5 h, Sat 3 h
    same_day = cal.due_at(vn(2026, 3, 6, 16), 0)
    assert (same_day.start, same_day.due) == (vn(2026, 3, 7, 7), vn(2026, 3, 7, 17))


def test_admin_removed_holiday() -> None:
    cal = _with_days(remove=(date(2026, 11, 24),))
    assert cal.due_at(vn(2026, 11, 23, 10), 1).due == vn(2026, 11, 24, 10)


# -- office policy ----------------------------------------------------------------------------------


def test_policy_defaults() -> None:
    p = WorkPolicy()
    assert p.periods == ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert (p.cutoff, p.hours_per_day, p.weekend) == (time(15), 8.0, frozenset({5, 6}))


def test_other_office_hours() -> None:
    policy = WorkPolicy(periods=((time(7, 30), time(11, 30)), (time(13), time(17))), cutoff=time(16))
    cal = WorkCalendar(shipped_years(), policy)
    assert policy.hours_per_day == 8.0
    # 15:30 is before this office's 16:00 cut-off: 1.5 h Mon, 4 h Tue morning, 2.5 h from 13:00.
    assert cal.due_at(vn(2026, 3, 2, 15, 30), 1).due == vn(2026, 3, 3, 15, 30)
    assert cal.due_at(vn(2026, 3, 2, 12, 30), 0).start == vn(2026, 3, 2, 13)


def test_shorter_day_means_a_day_is_the_office_day() -> None:
    policy = WorkPolicy(periods=((time(7, 30), time(11, 30)), (time(13, 30), time(17))))
    assert policy.hours_per_day == 7.5
    cal = WorkCalendar(shipped_years(), policy)
    assert cal.due_at(vn(2026, 3, 2, 7, 30), 1).due == vn(2026, 3, 2, 17)
    assert cal.due_at(vn(2026, 3, 2, 6), 1).due == vn(2026, 3, 2, 17)


def test_six_day_week() -> None:
    cal = WorkCalendar(shipped_years(), WorkPolicy(weekend=frozenset({6})))
    assert cal.due_at(vn(2026, 3, 6, 10), 1).due == vn(2026, 3, 7, 10)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"periods": ()},
        {"periods": ((time(11, 30), time(7)),)},
        {"periods": ((time(7), time(12)), (time(11), time(17)))},
        {"weekend": frozenset({7})},
    ],
)
def test_bad_policy(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkPolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", [-1, -0.5, math.nan, math.inf, Decimal("NaN"), Decimal("-0.5")])
def test_bad_working_days(days: float | Decimal) -> None:
    with pytest.raises(ValueError):
        CAL.due_at(vn(2026, 3, 2, 9), days)


def test_bad_hours() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_hours(vn(2026, 3, 2, 9), -1)


# -- working hours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        (vn(2026, 3, 2, 9), 0, vn(2026, 3, 2, 9)),
        (vn(2026, 3, 2, 17), 0.5, vn(2026, 3, 3, 7, 30)),  # from the end of a day
        (vn(2026, 3, 7, 9), 1, vn(2026, 3, 9, 8)),  # from a Saturday
        (vn(2026, 3, 2, 12), 1, vn(2026, 3, 2, 14, 30)),  # from the lunch break
        (vn(2026, 3, 2, 11), 0.5, vn(2026, 3, 2, 11, 30)),  # lands on 11:30: stays
        (vn(2026, 3, 2, 11), 0.75, vn(2026, 3, 2, 13, 45)),
        (vn(2026, 3, 2, 16), Decimal("1"), vn(2026, 3, 2, 17)),
    ],
)
def test_add_working_hours(start: datetime, hours: float | Decimal, end: datetime) -> None:
    assert CAL.add_working_hours(start, hours) == end


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        (vn(2026, 3, 2, 7), vn(2026, 3, 2, 17), 8.0),
        (vn(2026, 3, 2, 11), vn(2026, 3, 2, 14), 1.0),  # 0.5 + lunch + 0.5
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 13, 30), 0.0),
        (vn(2026, 3, 7, 0), vn(2026, 3, 9, 0), 0.0),  # a weekend
        (vn(2026, 2, 13, 10), vn(2026, 2, 25, 10), 24.0),  # across Tết
        (vn(2026, 3, 2, 17), vn(2026, 3, 2, 7), -8.0),  # reversed: negative (late / early)
        (utc(2026, 3, 2, 0), utc(2026, 3, 2, 10), 8.0),  # 07:00–17:00 in Vietnam
        (datetime(2026, 3, 2, 6), vn(2026, 3, 3, 8, 15), 9.25),
    ],
)
def test_working_hours_between(a: datetime, b: datetime, hours: float) -> None:
    assert CAL.working_hours_between(a, b) == hours


def test_add_then_measure_round_trip() -> None:
    rng = random.Random(20260213)
    for _ in range(1000):
        start = vn(2025, 1, 1) + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        minutes = rng.randrange(0, 200 * 60)
        hours = minutes / 60
        end = CAL.add_working_hours(start, hours)
        assert CAL.working_hours_between(start, end) == hours, (start, hours)
        assert end >= start
        if minutes:  # a positive amount ends inside working time or on a period end
            assert CAL.is_working_day(end.date())
            assert any(time(s.hour, s.minute) < end.time() <= e for s, e in CAL.policy.periods)


def test_due_at_is_n_office_days_after_start() -> None:
    rng = random.Random(7)
    for _ in range(300):
        received = vn(2025, 1, 1) + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        days = Decimal(rng.randrange(0, 61)) / 2
        result = CAL.due_at(received, days)
        assert result.start >= received.replace(second=0)
        if days:
            assert CAL.working_hours_between(result.start, result.due) == float(days * 8)
        else:
            assert result.due == vn(result.start.year, result.start.month, result.start.day, 17)


# -- days and printing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (date(2026, 3, 3), True),
        (date(2026, 3, 7), False),
        (date(2026, 1, 2), False),
        (date(2026, 1, 10), True),
        (date(2026, 2, 18), False),
        (date(2026, 4, 26), False),  # Giỗ Tổ on a Sunday
        (date(2026, 4, 27), False),
        (date(2025, 1, 27), False),
        (date(2025, 2, 3), True),  # the provisional 2025 table would have made this a substitute day
        (date(2027, 2, 10), False),  # provisional
    ],
)
def test_is_working_day(d: date, working: bool) -> None:
    assert CAL.is_working_day(d) is working


def test_day_entries() -> None:
    assert CAL.day(date(2026, 3, 3)) is None
    assert CAL.day(date(2026, 1, 10)) == CalendarDay(date(2026, 1, 10), "work", "Làm bù cho ngày 02/01")
    assert CAL.day(date(2027, 2, 10)) == CalendarDay(
        date(2027, 2, 10), "off", "Nghỉ bù Tết Nguyên đán", provisional=True
    )


@pytest.mark.parametrize(
    ("dt", "text"),
    [
        (vn(2026, 2, 13, 10), "10 giờ 00 phút, ngày 13 tháng 02 năm 2026"),
        (datetime(2026, 1, 9, 7, 30), "07 giờ 30 phút, ngày 09 tháng 01 năm 2026"),
        (utc(2026, 2, 13, 3, 5), "10 giờ 05 phút, ngày 13 tháng 02 năm 2026"),
        (utc(2026, 12, 31, 18), "01 giờ 00 phút, ngày 01 tháng 01 năm 2027"),
    ],
)
def test_format_vn_datetime(dt: datetime, text: str) -> None:
    assert vn_datetime(dt) == text


def test_vn_tz() -> None:
    assert VN_TZ.utcoffset(None) == timedelta(hours=7)
    assert VN_TZ.tzname(None) == "Asia/Ho_Chi_Minh"
