from __future__ import annotations

from datetime import date

import pytest

from counter_app.clock import parse_iso
from counter_app.domain.holidays import CalendarDay, YearTable
from counter_app.errors import UserError
from counter_app.services import calendar_store, intake
from counter_app.services.audit import Actor

ADMIN = Actor("admin", "scripted")


def due(store, received: str, procedure: str = "9.000005"):  # noqa: ANN001, ANN201
    with store.read() as session:
        return intake.preview_due(session, procedure, parse_iso(received))


def test_shipped_official_years_are_in_a_new_store(desk) -> None:  # noqa: ANN001
    with desk.read() as session:
        tables = calendar_store.year_tables(session)
    assert tables[2025].official and tables[2026].official
    working_saturday = [d for d in tables[2026].days if d.day == date(2026, 1, 10)]
    assert [(d.kind, d.name) for d in working_saturday] == [("work", "Làm bù cho ngày 02/01")]


def test_admin_edits_change_due_dates_at_once_and_can_be_undone(desk) -> None:  # noqa: ANN001
    assert due(desk, "2026-03-02T12:00:00+07:00").due.isoformat() == "2026-03-03T07:30:00+07:00"
    with desk.write() as session:
        calendar_store.set_day(session, date(2026, 3, 3), "off", "Nghỉ đột xuất", actor=ADMIN)
    assert due(desk, "2026-03-02T12:00:00+07:00").due.isoformat() == "2026-03-04T07:30:00+07:00"
    with desk.write() as session:
        calendar_store.set_day(session, date(2026, 3, 7), "work", "", actor=ADMIN)  # a working Saturday
        calendar_store.clear_day(session, date(2026, 3, 3), actor=ADMIN)
    assert due(desk, "2026-03-06T16:00:00+07:00").due.isoformat() == "2026-03-07T11:00:00+07:00"
    assert due(desk, "2026-03-02T12:00:00+07:00").due.isoformat() == "2026-03-03T07:30:00+07:00"


def test_an_official_table_replaces_the_provisional_year(desk) -> None:  # noqa: ANN001
    assert due(desk, "2026-12-31T10:00:00+07:00", "9.000003").provisional_days
    official = YearTable(2027, True, (CalendarDay(date(2027, 1, 1), "off", "Tết Dương lịch"),), "Thông báo 2027")
    with desk.write() as session:
        calendar_store.replace_year(session, official, origin="server")
    result = due(desk, "2026-12-31T10:00:00+07:00", "9.000003")
    assert result.provisional_days == ()
    assert result.due.isoformat() == "2027-01-06T10:00:00+07:00"


def test_edits_that_make_no_sense_are_refused(desk) -> None:  # noqa: ANN001
    with desk.write() as session:
        with pytest.raises(UserError, match="đã là ngày nghỉ cuối tuần"):
            calendar_store.set_day(session, date(2026, 3, 7), "off", "", actor=ADMIN)
        with pytest.raises(UserError, match="đã là ngày làm việc"):
            calendar_store.set_day(session, date(2026, 3, 6), "work", "", actor=ADMIN)
