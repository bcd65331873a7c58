"""The quick, pure helpers of counter_app.desk that the form calls as the officer types."""

from __future__ import annotations

from datetime import date

import pytest

from counter_app import desk
from counter_app.errors import UserError


@pytest.mark.parametrize(("typed", "iso"), [
    ("01/02/1990", "1990-02-01"), ("1/2/1990", "1990-02-01"), ("01021990", "1990-02-01"),
    ("1.2.1990", "1990-02-01"), ("  ", ""),
])
def test_birth_dates_as_officers_type_them(typed: str, iso: str) -> None:
    assert desk.birth_date_iso(typed, today=date(2026, 11, 21)) == iso


@pytest.mark.parametrize(("typed", "message"), [
    ("31/02/1990", "không phải một ngày có thật"),
    ("1990-02-01", "phải có dạng ngày/tháng/năm"),
    ("01/01/2030", "ở tương lai"),
])
def test_bad_birth_dates(typed: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        desk.birth_date_iso(typed, today=date(2026, 11, 21))
    assert message in caught.value.message and caught.value.field == "birth_date"


def test_check_fields_reports_every_field_at_once() -> None:
    problems = desk.check_fields({"full_name": " ", "id_number": "12345", "birth_date": "", "gender": "x",
                                  "address": "", "phone": "0812", "email": "a@"})
    assert set(problems) == {"full_name", "id_number", "gender", "phone", "email"}
    assert problems["full_name"] == "Cần nhập họ tên người nộp hồ sơ."
    assert desk.check_fields({"phone": "0912 345 678"}) == {}


def test_read_id_card() -> None:
    values = desk.read_id_card("001090123456|012345678|Nguyễn Văn Đức|01011990|Nam|Thôn Đông|15042021")
    assert values["birth_date"] == "01/01/1990" and values["issue_date"] == "15/04/2021"
    with pytest.raises(UserError):
        desk.read_id_card("001090123456|0123")


def test_agency_code_shape() -> None:
    assert desk.agency_code_problem("000.00.20.h12") == ""
    assert desk.agency_code_problem("000.A0.01.H26") == ""
    assert "chưa đúng dạng" in desk.agency_code_problem("000.00.20")
    assert desk.agency_code_problem("").startswith("Cần nhập mã cơ quan")

