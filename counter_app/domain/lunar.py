"""Vietnamese lunar calendar (âm lịch), after Hồ Ngọc Đức's well-known algorithm.

New moons and the sun's longitude come from the astronomical series published with the algorithm
(after Meeus); months start on the local day of the new moon. The local day depends on the time
zone, so the Vietnamese calendar (UTC+7) sometimes differs from the Chinese one (UTC+8): Tết 1985 is
21 Jan in Vietnam and 20 Feb in China. Accurate for the 1900–2100 range the app needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

VN_TZ_HOURS = 7.0
_SYNODIC_MONTH = 29.530588853
_JD_NEW_MOON_1900 = 2415021.076998695  # Julian day of the new moon of 1 Jan 1900
_ORDINAL_TO_JDN = 1721425  # date.toordinal() + this = Julian day number (proleptic Gregorian)


@dataclass(frozen=True)
class LunarDate:
    day: int
    month: int
    year: int
    leap: bool = False  # the intercalary (nhuận) copy of `month`


def _jdn(d: date) -> int:
    return d.toordinal() + _ORDINAL_TO_JDN


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _ORDINAL_TO_JDN)


def _new_moon(k: int) -> float:
    """Julian day (UT, fractional) of the k-th new moon after 1 Jan 1900."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's argument of latitude
    c1 = (
        (0.1734 - 0.000393 * t) * math.sin(m * dr)
        + 0.0021 * math.sin(2 * dr * m)
        - 0.4068 * math.sin(mpr * dr)
        + 0.0161 * math.sin(dr * 2 * mpr)
        - 0.0004 * math.sin(dr * 3 * mpr)
        + 0.0104 * math.sin(dr * 2 * f)
        - 0.0051 * math.sin(dr * (m + mpr))
        - 0.0074 * math.sin(dr * (m - mpr))
        + 0.0004 * math.sin(dr * (2 * f + m))
        - 0.0004 * math.sin(dr * (2 * f - m))
        - 0.0006 * math.sin(dr * (2 * f + mpr))
        + 0.0010 * math.sin(dr * (2 * f - mpr))
        + 0.0005 * math.sin(dr * (2 * mpr + m))
    )
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _new_moon_day(k: int, tz: float) -> int:
    """Julian day number of the local day on which the k-th new moon falls."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_longitude_sector(jdn: int, tz: float) -> int:
    """Sun's longitude at the start of the local day, as one of 12 sectors of 30° (0 = spring equinox)."""
    t = (jdn - 0.5 - tz / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= 2 * math.pi * math.floor(longitude / (2 * math.pi))
    return math.floor(longitude / math.pi * 6)


def _month11_start(year: int, tz: float) -> int:
    """JDN of the first day of lunar month 11 (the month holding the winter solstice) before 31 Dec."""
    off = _jdn(date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    nm = _new_moon_day(k, tz)
    if _sun_longitude_sector(nm, tz) >= 9:  # the sun has passed 270°: that new moon is too late
        nm = _new_moon_day(k - 1, tz)
    return nm


def _leap_month_offset(a11: int, tz: float) -> int:
    """In a 13-month year starting at month 11 (a11), the offset of the first month without a major term."""
    k = math.floor((a11 - _JD_NEW_MOON_1900) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


def solar_to_lunar(d: date, tz: float = VN_TZ_HOURS) -> LunarDate:
    day_number = _jdn(d)
    k = math.floor((day_number - _JD_NEW_MOON_1900) / _SYNODIC_MONTH)
    month_start = _new_moon_day(k + 1, tz)
    if month_start > day_number:
        month_start = _new_moon_day(k, tz)
    a11 = _month11_start(d.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month11_start(d.year - 1, tz)
    else:
        lunar_year = d.year + 1
        b11 = _month11_start(d.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)  # months since month 11
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:  # 13 lunar months between two months 11: one of them is a leap month
        leap_offset = _leap_month_offset(a11, tz)
        if diff >= leap_offset:
            lunar_month = diff + 10
            leap = diff == leap_offset
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_day, lunar_month, lunar_year, leap)


def lunar_to_solar(day: int, month: int, year: int, leap: bool = False, tz: float = VN_TZ_HOURS) -> date:
    """The solar date of a lunar date; ValueError if that lunar date does not exist."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError(f"Ngày âm lịch không hợp lệ: {day}/{month}/{year}")
    if month < 11:
        a11, b11 = _month11_start(year - 1, tz), _month11_start(year, tz)
    else:
        a11, b11 = _month11_start(year, tz), _month11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _JD_NEW_MOON_1900) / _SYNODIC_MONTH)
    off = (month - 11) % 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, tz)
        leap_month = (leap_offset - 2) % 12
        if leap and month != leap_month:
            raise ValueError(f"Năm âm lịch {year} không có tháng {month} nhuận")
        if leap or off >= leap_offset:
            off += 1
    elif leap:
        raise ValueError(f"Năm âm lịch {year} không có tháng nhuận")
    result = _from_jdn(_new_moon_day(k + off, tz) + day - 1)
    # Day 30 of a 29-day month would spill into the next month: reject rather than shift.
    if solar_to_lunar(result, tz) != LunarDate(day, month, year, leap):
        raise ValueError(f"Tháng {month} âm lịch năm {year} không có ngày {day}")
    return result


def tet(year: int) -> date:
    """Tết Nguyên đán: day 1 of month 1 of the lunar year that starts in solar year `year`."""
    return lunar_to_solar(1, 1, year)


def lunar_new_year_eve(year: int) -> date:
    """Last day of the old lunar year (29 or 30 tháng Chạp), the day before tet(year)."""
    return tet(year) - timedelta(days=1)
