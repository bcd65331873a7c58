from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from counter_app.clock import parse_iso
from counter_app.errors import UserError
from counter_app.services import accounts, audit, intake
from tests.conftest import applicant, clerk, raw_store

ADMIN = clerk("admin")
T = parse_iso("2026-11-20T08:00:00+07:00")


@pytest.fixture
def people(desk):  # noqa: ANN001, ANN201
    with desk.write() as session:
        accounts.create_account(session, "admin", "Quản Trị Viên", "admin", "mat-khau-admin", actor=audit.SYSTEM)
        accounts.create_account(session, "an.nv", "Nguyễn Văn An", "officer", "mat-khau-an", actor=ADMIN)
    return desk


def test_passwords_are_stored_only_as_argon2_hashes(people) -> None:  # noqa: ANN001
    with people.read() as session:
        stored = session.execute(text("SELECT password_hash FROM officer WHERE username='an.nv'")).scalar()
    assert stored.startswith("$argon2") and "mat-khau-an" not in stored
    account = accounts.login(people, "AN.NV", "mat-khau-an")
    assert (account.username, account.role) == ("an.nv", "officer")
    assert account.may("intake") and not account.may("accounts")


def test_wrong_passwords_are_slowed_down_and_survive_a_restart(people) -> None:  # noqa: ANN001
    for i in range(accounts.FREE_ATTEMPTS):
        with pytest.raises(UserError, match="không đúng"):
            accounts.login(people, "an.nv", "sai", now=T + timedelta(seconds=i))
    # The count lives in the store, not in memory: the correct password now has to wait.
    with pytest.raises(UserError, match="thử lại sau 3[01] giây"):
        accounts.login(people, "an.nv", "mat-khau-an", now=T + timedelta(seconds=3))
    assert accounts.login(people, "an.nv", "mat-khau-an", now=T + timedelta(seconds=40)).username == "an.nv"


def test_unknown_names_get_the_same_answer(people) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match="Tên đăng nhập hoặc mật khẩu không đúng"):
        accounts.login(people, "khong.co", "mat-khau-an")


@pytest.mark.parametrize(("username", "role", "password", "message"), [
    ("a", "officer", "mat-khau-dai", "Tên đăng nhập"),
    ("Nguyễn", "officer", "mat-khau-dai", "Tên đăng nhập"),
    ("binh", "boss", "mat-khau-dai", "Vai trò"),
    ("binh", "officer", "ngan", "ít nhất 8"),
    ("an.nv", "officer", "mat-khau-dai", "đã có"),
])
def test_bad_accounts_are_refused(people, username, role, password, message) -> None:  # noqa: ANN001
    with people.write() as session:
        with pytest.raises(UserError, match=message):
            accounts.create_account(session, username, "Tên", role, password, actor=ADMIN)


def test_change_password(people) -> None:  # noqa: ANN001
    accounts.change_password(people, "an.nv", "mat-khau-an", "mat-khau-moi")
    assert accounts.login(people, "an.nv", "mat-khau-moi").username == "an.nv"
    with pytest.raises(UserError):
        accounts.login(people, "an.nv", "mat-khau-an")


def test_the_audit_trail_records_the_day_and_verifies(people) -> None:  # noqa: ANN001
    req = intake.parse_intake({"procedure_code": "9.000000", "applicant": applicant()})
    with people.write() as session:
        code = intake.create_dossier(session, req, actor=clerk("an.nv")).dossier["code"]
    accounts.login(people, "an.nv", "mat-khau-an")
    with people.read() as session:
        result = audit.verify(session)
        actions = [e.action for e in audit.entries(session)]
        mine = audit.entries(session, target=code)
    assert result.ok, result.message
    assert actions[:3] == ["login", "intake", "account.create"]
    assert "office.init" in actions and "catalogue.import" in actions
    assert [(e.actor, e.action) for e in mine] == [("an.nv", "intake")]


def test_audit_entries_cannot_be_changed_through_sqlite_and_tampering_is_detected(people) -> None:  # noqa: ANN001
    with pytest.raises(Exception, match="append-only"):
        with people.write() as session:
            session.execute(text("UPDATE audit_log SET actor='ai-do' WHERE seq=2"))
    with pytest.raises(Exception, match="append-only"):
        with people.write() as session:
            session.execute(text("DELETE FROM audit_log WHERE seq=2"))
    # Someone with the file and a SQLite tool drops the triggers and edits an entry:
    conn = raw_store(people.path)
    conn.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                       "UPDATE audit_log SET actor='ai-do' WHERE seq=2;")
    conn.close()
    with people.read() as session:
        result = audit.verify(session)
    assert not result.ok and result.first_bad_seq == 2 and "đã bị sửa" in result.message
    conn = raw_store(people.path)
    conn.execute("DELETE FROM audit_log WHERE seq=2")
    conn.commit()
    conn.close()
    with people.read() as session:
        result = audit.verify(session)
    assert not result.ok and "mất mục số 2" in result.message
