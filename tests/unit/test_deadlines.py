""""Due today" means one thing on the attention screen and in the dossier list's filter."""

from __future__ import annotations

from datetime import datetime

import pytest

from counter_app.desk import Desk, ListFilter
from counter_app.domain import deadlines
from counter_app.domain.vn_time import VN_TZ
from counter_app.services import intake
from tests.conftest import applicant, clerk


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 3, hour, minute, tzinfo=VN_TZ)  # a Tuesday


@pytest.fixture
def two_same_day(desk):  # noqa: ANN001, ANN201 - received 08:00 and 08:30, both due 17:00
    with desk.write() as session:
        for name, number, minute in (("Lê Minh Hùng", "001090000011", 0), ("Võ Thị Lan", "001090000012", 30)):
            request = intake.parse_intake({"procedure_code": "9.000000", "received_at": at(8, minute).isoformat(),
                                           "applicant": applicant(full_name=name, id_number=number)})
            intake.create_dossier(session, request, actor=clerk(), now=at(8, minute))
    return desk


@pytest.mark.parametrize(("hour", "today", "overdue"), [(9, 2, 0), (16, 2, 0), (18, 0, 2)])
def test_due_today_is_the_same_on_the_attention_screen_and_in_the_list(two_same_day, monkeypatch,  # noqa: ANN001
                                                                       hour: int, today: int, overdue: int) -> None:
    from counter_app import clock

    monkeypatch.setattr(clock, "now", lambda: at(hour))
    desk = Desk(two_same_day, clerk())
    attention = desk.attention()
    assert len(attention.due_today) == len(desk.worklist(ListFilter(deadline="today")).rows) == today
    assert len(attention.overdue) == len(desk.worklist(ListFilter(deadline="overdue")).rows) == overdue


def test_what_fell_due_earlier_today_is_overdue_not_due_today() -> None:
    lo, hi = deadlines.window("today", at(18))
    assert lo == at(18) and hi == datetime(2026, 3, 4, 0, 0, tzinfo=VN_TZ)
    assert deadlines.window("overdue", at(18)) == (None, at(18))
    assert deadlines.after_today_within_24h(at(18)) == (hi, datetime(2026, 3, 4, 18, 0, tzinfo=VN_TZ))
