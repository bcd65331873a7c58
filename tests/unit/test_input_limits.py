"""The core refuses what the scripted interface refuses, so the window's paths get the same checks
(tests/e2e/test_cli_refusals.py runs the same cases through real subprocesses)."""

from __future__ import annotations

from datetime import date

import pytest

from counter_app.clock import parse_iso
from counter_app.db.models import CalendarDayRow
from counter_app.domain import json_input
from counter_app.domain.calendar import WorkCalendar
from counter_app.errors import UserError
from counter_app.services import calendar_store, catalogue, intake
from counter_app.services.audit import Actor
from tests.conftest import applicant


def test_a_form_value_holding_a_lone_surrogate_is_refused_by_the_intake_check() -> None:
    with pytest.raises(UserError, match="applicant.address"):
        intake.parse_intake({"procedure_code": "2.000815", "applicant": applicant(address="Ấp 3\udc8d")})


def test_json_nested_deeper_than_the_limit_is_refused_without_recursion() -> None:
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(UserError, match="lồng nhau quá 16 cấp"):
        json_input.check(deep)
    json_input.check([[[[{"documents": [{"name": "Tờ khai"}]}]]]])  # real shapes pass


@pytest.mark.parametrize("year", [1800, 1999, 2100, 9999])
def test_the_calendar_refuses_years_no_dossier_can_fall_in(year: int) -> None:
    with pytest.raises(UserError, match="từ 2000 đến 2099"):
        WorkCalendar().table(year)


def test_a_due_date_from_year_9999_is_refused_not_overflowed() -> None:
    with pytest.raises(UserError, match="ngoài lịch"):
        WorkCalendar().due_at(parse_iso("9999-12-31T10:00:00+07:00"), 3)


def test_a_holiday_outside_the_calendar_is_refused_and_one_stored_before_is_ignored(desk) -> None:  # noqa: ANN001
    with desk.write() as session, pytest.raises(UserError, match="ngoài lịch"):
        calendar_store.set_day(session, date(1800, 1, 1), "off", "", actor=Actor("admin", "scripted"))
    with desk.write() as session:  # what an older build let through must not break every due date
        session.add(CalendarDayRow(day="9999-12-31", year=9999, kind="off", name="x", origin="admin"))
    with desk.read() as session:
        assert 9999 not in calendar_store.year_tables(session)
        assert intake.preview_due(session, "9.000005", parse_iso("2026-03-02T08:00:00+07:00")).due


def test_more_procedures_than_a_commune_has_are_refused_from_any_source() -> None:
    records = [(f"Dòng {i}", {"code": f"9.{i:06d}", "name": "A", "working_days": 1})
               for i in range(catalogue.MAX_PROCEDURES + 1)]
    with pytest.raises(UserError, match="hơn 2.000 thủ tục"):
        catalogue.parse_procedures(records)
    assert len(catalogue.parse_procedures(records[:-1])) == catalogue.MAX_PROCEDURES
