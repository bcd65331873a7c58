"""Vietnam time and the ways Vietnamese papers and screens write it (docs/rules.md, "Time").

Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset needs no tzdata (absent on
Windows). A naive datetime is read as Vietnam time, the contract's rule for a time given without an
offset, so every caller converts the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def to_vn(moment: datetime) -> datetime:
    """`moment` in Vietnam time; a naive one is taken to be Vietnam time already."""
    if moment.tzinfo is VN_TZ:  # converted already (parse_iso's times): most calls, on the reports' rows
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def vn_day(moment: datetime | date) -> date:
    """The calendar day in Vietnam of a moment (a date is its own day)."""
    return to_vn(moment).date() if isinstance(moment, datetime) else moment


def day_start(day: date) -> datetime:
    """Midnight opening `day` in Vietnam: the bound of every day-based period and filter."""
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ)


def vn_datetime(moment: datetime) -> str:
    """'10 giờ 00 phút, ngày 25 tháng 02 năm 2026': the appointment as the papers print it."""
    t = to_vn(moment)
    return f"{t:%H} giờ {t:%M} phút, ngày {t:%d} tháng {t:%m} năm {t.year:04d}"


def vn_date_phrase(day: date) -> str:
    """'ngày 05 tháng 02 năm 2026', 'ngày 13 tháng 3 năm 2026'.

    The place/date line of an official text follows Nghị định 30/2020 (Phụ lục I): days below 10 and
    months 1 and 2 take a leading zero, other months do not.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_short_date(moment: datetime | date) -> str:
    """'13/02/2026': the dd/mm/yyyy of tables and lists."""
    return f"{vn_day(moment):%d/%m/%Y}"


def vn_short_datetime(moment: datetime) -> str:
    """'10:00 13/02/2026': time first, as Vietnamese papers write it; wraps between the two."""
    t = to_vn(moment)
    return f"{t:%H:%M} {t:%d/%m/%Y}"


def vn_list_datetime(moment: datetime) -> str:
    """'13/02/2026 10:00': date first, so a column of them sorts by eye in the window's lists."""
    t = to_vn(moment)
    return f"{t:%d/%m/%Y %H:%M}"
