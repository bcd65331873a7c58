"""Who may do what, checked by the core for every role and every action (docs/roles.md).

Each case logs a real account in at the desk (the object the window talks to), tries one action,
and checks what an admin reviewing the day would: an allowed action is done; a refused one says
which role it needs, changes nothing, and is in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from counter_app import clock, desk_admin
from counter_app.desk import Desk
from counter_app.domain.roles import PERMISSIONS, ROLES
from counter_app.errors import UserError
from counter_app.services import accounts, audit, intake, workflow
from counter_app.services.permissions import Refused
from tests.conftest import applicant, clerk, raw_store

PASSWORD = "mat-khau-thu"


def _form() -> dict[str, Any]:
    return {"procedure_code": "9.000003", "applicant": applicant(full_name="Trần Thị Ánh", id_number="001190000001")}


def _catalogue_file(tmp: Path) -> str:
    path = tmp / "them.json"
    path.write_text(json.dumps([{"code": "9.100001", "name": "Thủ tục mới", "field": "Thử", "working_days": 1,
                                 "fee": "", "documents": []}], ensure_ascii=False), encoding="utf-8")
    return str(path)


# action -> (the permission it needs, what the officer does at the desk)
ACTIONS: dict[str, tuple[str, Callable[[Desk, dict[str, str], Path], Any]]] = {
    "intake": ("intake", lambda d, c, t: d.save_intake(_form())),
    "move to processing": ("workflow", lambda d, c, t: d.move(c["received"], 4)),
    "hand over": ("workflow", lambda d, c, t: d.hand_over(c["received"], to_unit="Công chức Tư pháp")),
    "extend (Mẫu 04)": ("extend", lambda d, c, t: d.extend(
        c["received"], new_due=clock.now() + timedelta(days=30), reason="Cần xác minh thêm")),
    "return the result": ("return", lambda d, c, t: d.return_result(c["ready"], full_name="Trần Thị Ánh")),
    "print the slip": ("print", lambda d, c, t: d.slip_pdf(c["received"])),
    "record a print": ("print", lambda d, c, t: d.record_print(c["received"], "01")),
    "see the report": ("reports", lambda d, c, t: desk_admin.report(d, date(2026, 1, 1), date(2026, 12, 31))),
    "read the audit trail": ("audit", lambda d, c, t: desk_admin.audit_page(d)),
    "add an account": ("accounts", lambda d, c, t: desk_admin.add_account(
        d, "moi.nv", "Cán bộ Mới", "officer", PASSWORD)),
    "change a setting": ("settings", lambda d, c, t: d.set_setting("papers.lookup_url", "https://huyen.vn/{code}")),
    "import the catalogue": ("catalogue", lambda d, c, t: d.import_catalogue(_catalogue_file(t))),
    "edit the calendar": ("calendar", lambda d, c, t: d.set_calendar_day(date(2026, 12, 30), "off", "Nghỉ")),
}


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table but the audit trail, as rows: what a refusal must leave exactly as it was."""
    con = raw_store(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'dossier_search%' "
                                            "AND name != 'audit_log'")]
        return {t: sorted(map(tuple, con.execute(f"SELECT * FROM {t}"))) for t in tables}
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2 at its real cost makes each of these 44 log-ins ~0.1 s; what is tested is the gate.
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def counter(desk):  # noqa: ANN001, ANN201 - the `desk` fixture is an office store with test procedures
    with desk.write() as session:
        for role in ROLES:
            accounts.create_account(session, f"{role}.test", f"Người {role}", role, PASSWORD, actor=audit.SYSTEM)
        codes = {}
        for name in ("received", "ready"):
            request = intake.parse_intake(_form())
            codes[name] = intake.create_dossier(session, request, actor=clerk()).dossier["code"]
        workflow.move(session, codes["ready"], 9, actor=clerk())
    return desk, codes


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_may_do_exactly_what_its_permissions_say(counter, role: str, action: str,  # noqa: ANN001
                                                            tmp_path: Path) -> None:
    store, codes = counter
    permission, do = ACTIONS[action]
    desk = Desk(store)
    desk_admin.login(desk, f"{role}.test", PASSWORD)
    allowed = permission in PERMISSIONS[role]
    before = _snapshot(store.path)
    if allowed:
        do(desk, codes, tmp_path)
        return
    with pytest.raises(Refused) as refused:
        do(desk, codes, tmp_path)
    message = refused.value.message
    assert f"{role}.test" in message and ROLES[role] in message
    assert "việc này cần vai trò" in message  # and it names the role to ask
    assert _snapshot(store.path) == before, "a refused action changed the store"
    with store.read() as session:
        newest = audit.entries(session, limit=1)[0]
    assert (newest.action, newest.actor, newest.actor_kind) == ("refused", f"{role}.test", "officer")
    assert json.loads(newest.detail_json) == {"permission": permission}


def test_every_permission_a_role_declares_is_tried_by_the_table() -> None:
    declared = set().union(*PERMISSIONS.values())
    assert declared == {permission for permission, _ in ACTIONS.values()}


def test_an_officer_cannot_extend_a_dossier_and_the_leader_can(counter) -> None:  # noqa: ANN001
    store, codes = counter
    officer, leader = Desk(store), Desk(store)
    desk_admin.login(officer, "officer.test", PASSWORD)
    desk_admin.login(leader, "leader.test", PASSWORD)
    new_due = clock.now() + timedelta(days=20)
    with pytest.raises(UserError, match="cần vai trò Lãnh đạo"):
        officer.extend(codes["received"], new_due=new_due, reason="Chậm xác minh")
    assert not officer.dossier_life(codes["received"]).extended
    assert leader.extend(codes["received"], new_due=new_due, reason="Chậm xác minh").extended


def test_a_disabled_account_is_refused_at_once_even_while_logged_in(counter) -> None:  # noqa: ANN001
    store, codes = counter
    desk = Desk(store)
    desk_admin.login(desk, "officer.test", PASSWORD)
    with store.write() as session:
        accounts.set_active(session, "officer.test", False, actor=clerk())
    with pytest.raises(Refused, match="Chưa đăng nhập bằng một tài khoản đang hoạt động"):
        desk.move(codes["received"], 4)


def test_nobody_logged_in_means_nothing_is_written(counter) -> None:  # noqa: ANN001
    store, codes = counter
    desk = Desk(store)
    before = _snapshot(store.path)
    with pytest.raises(UserError, match="Chưa đăng nhập"):
        desk.save_intake(_form())
    desk_admin.login(desk, "officer.test", PASSWORD)
    desk_admin.logout(desk)
    with pytest.raises(UserError, match="Chưa đăng nhập"):
        desk.move(codes["received"], 4)
    assert _snapshot(store.path) == before


def test_every_write_and_audit_entry_names_the_logged_in_officer(counter) -> None:  # noqa: ANN001
    store, codes = counter
    desk = Desk(store)
    desk_admin.login(desk, "officer.test", PASSWORD)
    saved = desk.save_intake(_form())
    desk.move(codes["received"], 4)
    desk.record_print(saved.code, "01", detail={"copies": "2"})
    desk_admin.login(desk, "leader.test", PASSWORD)  # the counter changes hands
    desk.record_print(saved.code, "01")
    with store.read() as session:
        mine = [(e.action, e.actor, e.actor_kind) for e in reversed(audit.entries(session, target=saved.code))]
        moved = [(e.action, e.actor) for e in audit.entries(session, target=codes["received"])][0]
    assert mine == [("intake", "officer.test", "officer"), ("print.slip", "officer.test", "officer"),
                    ("print.slip", "leader.test", "officer")]
    assert moved == ("move", "officer.test")
    assert desk.dossier_life(saved.code).history[0].officer == "officer.test"
