"""db/plain_rows: the register's rows through the driver's cursor are the rows SQLAlchemy gives."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import select

from counter_app.db import plain_rows
from counter_app.services import papers
from counter_app.services.office import require_office
from tests.unit.test_backup import add


def test_the_registers_rows_read_plainly_are_the_rows_sqlalchemy_reads(desk) -> None:  # noqa: ANN001
    for i in range(5):
        add(desk, f"Người nộp {i}")
    today = date.today()
    with desk.read() as session:
        params = {"agency": require_office(session).agency_code, "start": papers._day_start(today - timedelta(days=3)),
                  "end": papers._day_start(today + timedelta(days=3))}
        slow = session.execute(text(papers._REGISTER_SQL), params).all()
        plain = plain_rows.fetch_all(session, papers._REGISTER_SQL, params)
    assert len(plain) == 5
    assert [tuple(r) for r in plain] == [tuple(r) for r in slow]
    assert [r._asdict() for r in plain] == [dict(r._mapping) for r in slow]


def test_rows_read_plainly_see_what_the_open_transaction_wrote(desk) -> None:  # noqa: ANN001
    add(desk)
    with desk.write() as session:
        session.execute(text("UPDATE applicant SET full_name = 'Trần Thị Bình'"))
        rows = plain_rows.fetch_all(session, "SELECT full_name AS name FROM applicant", {})
        assert [r.name for r in rows] == ["Trần Thị Bình"]
        session.rollback()


def test_a_setting_written_in_the_transaction_is_read_back_plainly(desk) -> None:  # noqa: ANN001
    from counter_app.services import settings

    with desk.write() as session:
        settings.put(session, "bench_note", {"a": 1})
        assert settings.get(session, "bench_note") == {"a": 1}
        settings.put(session, "bench_note", [2])
        assert settings.get(session, "bench_note") == [2]
    with desk.read() as session:
        assert settings.get(session, "bench_note") == [2] and settings.get(session, "absent", "x") == "x"


def test_a_procedure_read_plainly_is_the_one_the_catalogue_row_gives(desk) -> None:  # noqa: ANN001
    import pytest

    from counter_app.db.models import Procedure
    from counter_app.errors import UserError
    from counter_app.services import catalogue

    with desk.write() as session:
        for row in session.exec(select(Procedure)).all():
            assert catalogue.get_procedure(session, f" {row.code} ") == catalogue.spec_from_row(row)
        row = session.get(Procedure, "9.000003")
        row.active = False
        session.flush()
        with pytest.raises(UserError, match="9.000003"):
            catalogue.get_procedure(session, "9.000003")
        session.rollback()


def test_the_office_read_plainly_is_the_office_row(desk) -> None:  # noqa: ANN001
    from counter_app.services.office import office_identity

    with desk.read() as session:
        office = require_office(session)
        assert office_identity(session) == (office.agency_code, office.counter)
