"""Dates, times and durations the way the officer reads them."""

from __future__ import annotations

from datetime import date, datetime

from counter_app import clock
from counter_app.domain.vn_time import vn_datetime, vn_list_datetime
from ui import strings


def short_datetime(iso: str | None) -> str:
    """'2026-02-13T10:00:00+07:00' -> '13/02/2026 10:00' (lists)."""
    return vn_list_datetime(clock.parse_iso(iso)) if iso else ""


def long_datetime(iso: str | None) -> str:
    """'… -> '10 giờ 00 phút, ngày 13 tháng 02 năm 2026' (as the papers print it)."""
    return vn_datetime(clock.parse_iso(iso)) if iso else ""


def short_date(iso: str | None) -> str:
    """'1990-01-01' -> '01/01/1990'."""
    return f"{date.fromisoformat(iso):%d/%m/%Y}" if iso else ""


def day_with_weekday(moment: datetime) -> str:
    return f"{strings.WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


def working_days(days: float) -> str:
    if not days:
        return strings.Intake.SAME_DAY
    n = str(int(days)) if days == int(days) else str(days).replace(".", ",")
    return strings.Intake.DAYS.format(n=n)


def file_size(n: float) -> str:
    """1536 -> '1,5 KB' (a backup, a digitised paper)."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}".replace(".", ",")
        n /= 1024
    return str(n)
