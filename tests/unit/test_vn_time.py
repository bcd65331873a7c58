"""Vietnam time, written the Vietnamese way, one policy for a time given without an offset."""

from __future__ import annotations

from datetime import UTC, date, datetime

from counter_app import clock
from counter_app.domain.vn_time import (
    VN_TZ,
    day_start,
    to_vn,
    vn_date_phrase,
    vn_datetime,
    vn_day,
    vn_list_datetime,
    vn_short_date,
    vn_short_datetime,
)


def test_a_time_without_offset_is_vietnam_time_everywhere() -> None:
    naive = datetime(2026, 2, 13, 10, 0)
    assert to_vn(naive) == datetime(2026, 2, 13, 10, 0, tzinfo=VN_TZ)
    assert clock.parse_iso("2026-02-13T10:00:00") == to_vn(naive)
    assert vn_datetime(naive) == vn_datetime(to_vn(naive))


def test_a_utc_evening_is_the_next_day_in_vietnam() -> None:
    late_utc = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
    assert vn_day(late_utc) == date(2026, 3, 5)
    assert vn_short_date(late_utc) == "05/03/2026"
    assert vn_short_datetime(late_utc) == "00:30 05/03/2026"
    assert vn_list_datetime(late_utc) == "05/03/2026 00:30"


def test_the_appointment_and_the_date_line_read_as_the_papers_print_them() -> None:
    assert vn_datetime(datetime(2026, 2, 25, 10, 0, tzinfo=VN_TZ)) == "10 giờ 00 phút, ngày 25 tháng 02 năm 2026"
    assert vn_date_phrase(date(2026, 3, 13)) == "ngày 13 tháng 3 năm 2026"
    assert vn_date_phrase(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"


def test_a_day_starts_at_midnight_in_vietnam() -> None:
    assert day_start(date(2026, 1, 1)).astimezone(UTC) == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert clock.iso(day_start(date(2026, 1, 1))) == "2026-01-01T00:00:00+07:00"
