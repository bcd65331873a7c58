"""Vietnamese lunar calendar: known dates, the UTC+7 / UTC+8 difference, round trips, lunardate oracle."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from lunardate import LunarDate as ChineseLunarDate  # test oracle only: the Chinese (UTC+8) calendar

from counter_app.domain.lunar import LunarDate, lunar_new_year_eve, lunar_to_solar, solar_to_lunar, tet


def _days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _chinese(d: date) -> LunarDate:
    c = ChineseLunarDate.from_solar_date(d.year, d.month, d.day)
    return LunarDate(c.day, c.month, c.year, bool(c.is_leap_month))


# Each year's Tết (1 tháng Giêng) and Giỗ Tổ Hùng Vương (10 tháng Ba), in Vietnam time.
KEY_DAYS = [
    (2024, date(2024, 2, 10), date(2024, 4, 18)),
    (2025, date(2025, 1, 29), date(2025, 4, 7)),
    (2026, date(2026, 2, 17), date(2026, 4, 26)),
    (2027, date(2027, 2, 6), date(2027, 4, 16)),
    (2028, date(2028, 1, 26), date(2028, 4, 4)),
    (2029, date(2029, 2, 13), date(2029, 4, 23)),
    # Tết not 3 Feb: the new moon falls at about 23:07 Vietnam time on 2 Feb (00:07 on 3 Feb in
    # China), so Vietnam's Tết Canh Tuất is one day before China's. Hồ Ngọc Đức's published table
    # gives 2 Feb too.
    (2030, date(2030, 2, 2), date(2030, 4, 12)),
]


@pytest.mark.parametrize(("year", "expected"), [(year, t) for year, t, _ in KEY_DAYS])
def test_tet(year: int, expected: date) -> None:
    assert tet(year) == expected
    assert solar_to_lunar(expected) == LunarDate(1, 1, year)
    assert lunar_new_year_eve(year) == expected - timedelta(days=1)


@pytest.mark.parametrize(("year", "expected"), [(year, g) for year, _, g in KEY_DAYS])
def test_gio_to_hung_vuong(year: int, expected: date) -> None:
    assert lunar_to_solar(10, 3, year) == expected
    # 10/3 falls in months where both calendars agree for these years: the oracle must agree too.
    assert ChineseLunarDate(year, 3, 10).to_solar_date() == expected


def test_lunar_new_year_eve_is_last_day_of_old_year() -> None:
    # Tết Bính Ngọ: Mon 16/02/2026 is 29 tháng Chạp Ất Tỵ (a 29-day month), as the 2026 notice says.
    assert lunar_new_year_eve(2026) == date(2026, 2, 16)
    assert solar_to_lunar(date(2026, 2, 16)) == LunarDate(29, 12, 2025)
    # Tết Ất Tỵ: Tue 28/01/2025 is 29 tháng Chạp Giáp Thìn.
    assert lunar_new_year_eve(2025) == date(2025, 1, 28)
    assert solar_to_lunar(date(2025, 1, 28)) == LunarDate(29, 12, 2024)


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [
        (1968, date(1968, 1, 29), date(1968, 1, 30)),  # the two Tết of 1968
        (1985, date(1985, 1, 21), date(1985, 2, 20)),  # a whole month apart
        (2007, date(2007, 2, 17), date(2007, 2, 18)),
        (2030, date(2030, 2, 2), date(2030, 2, 3)),
    ],
)
def test_time_zone_matters(year: int, vietnam: date, china: date) -> None:
    assert tet(year) == vietnam
    assert lunar_to_solar(1, 1, year, tz=8.0) == china
    assert ChineseLunarDate(year, 1, 1).to_solar_date() == china


def test_leap_month() -> None:
    # 2023 (Quý Mão) has a leap second month in Vietnam: tháng 2 nhuận starts on 22/03/2023.
    assert lunar_to_solar(1, 2, 2023, leap=True) == date(2023, 3, 22)
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(1, 2, 2023, leap=True)
    assert solar_to_lunar(date(2023, 3, 21)) == LunarDate(30, 2, 2023)
    # 2025 (Ất Tỵ) has a leap sixth month.
    assert solar_to_lunar(date(2025, 7, 25)) == LunarDate(1, 6, 2025, leap=True)


@pytest.mark.parametrize(
    ("day", "month", "year", "leap"),
    [
        (1, 3, 2023, True),  # 2023's leap month is the second, not the third
        (1, 1, 2024, True),  # 2024 has no leap month at all
        (30, 12, 2025, False),  # tháng Chạp Ất Tỵ has 29 days
        (0, 1, 2026, False),
        (31, 1, 2026, False),
        (1, 13, 2026, False),
    ],
)
def test_nonexistent_lunar_dates_are_refused(day: int, month: int, year: int, leap: bool) -> None:
    with pytest.raises(ValueError):
        lunar_to_solar(day, month, year, leap)


def test_round_trip_every_day_1990_2050() -> None:
    for d in _days(date(1990, 1, 1), date(2050, 12, 31)):
        lunar = solar_to_lunar(d)
        assert lunar_to_solar(lunar.day, lunar.month, lunar.year, lunar.leap) == d


def test_consecutive_days_are_consecutive_lunar_days() -> None:
    rng = random.Random(20260213)
    for _ in range(500):
        d = date(1990, 1, 1) + timedelta(days=rng.randrange(365 * 60))
        today, tomorrow = solar_to_lunar(d), solar_to_lunar(d + timedelta(days=1))
        if tomorrow.day == 1:
            assert today.day in (29, 30)
        else:
            assert (tomorrow.day, tomorrow.month, tomorrow.year, tomorrow.leap) == (
                today.day + 1,
                today.month,
                today.year,
                today.leap,
            )


# Years in which the Vietnamese and Chinese calendars agree on every day (they differ only when a new
# moon or a major solar term falls between midnight in Vietnam and midnight in China).
AGREEING_YEARS = [*range(2010, 2018), *range(2022, 2030), *range(2042, 2049)]


@pytest.mark.parametrize("year", AGREEING_YEARS)
def test_matches_lunardate_where_calendars_agree(year: int) -> None:
    for d in _days(date(year, 1, 1), date(year, 12, 31)):
        assert solar_to_lunar(d) == _chinese(d), d


def test_with_china_time_zone_reproduces_chinese_calendar() -> None:
    # The same algorithm at UTC+8 must give the Chinese calendar: proves the time zone is the only
    # difference, on a random sample of days (seeded, so failures reproduce).
    rng = random.Random(1985)
    for _ in range(2000):
        d = date(2010, 1, 1) + timedelta(days=rng.randrange(365 * 40))
        assert solar_to_lunar(d, tz=8.0) == _chinese(d), d
