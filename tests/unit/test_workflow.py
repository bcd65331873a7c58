"""The dossier's life: every move of docs/rules.md, the clock stop, the single extension, returns."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from counter_app.clock import parse_iso
from counter_app.errors import UserError
from counter_app.services import intake, workflow
from counter_app.services.attention import attention
from tests.conftest import applicant, clerk

T0 = parse_iso("2026-03-02T08:00:00+07:00")  # Monday
LATER = parse_iso("2026-03-20T09:00:00+07:00")
ME = clerk("cb.an")

# docs/rules.md, "Statuses", written out by hand: 2→4; 4→5→4; 4→6→4; 2|4→9; 9→10; 2|4|5|6→7; 4→8.
ALLOWED = {(2, 4), (4, 5), (5, 4), (4, 6), (6, 4), (2, 9), (4, 9), (9, 10), (2, 7), (4, 7), (5, 7), (6, 7), (4, 8)}
PATHS = {2: [], 4: [4], 5: [4, 5], 6: [4, 6], 7: [7], 8: [4, 8], 9: [9], 10: [9, 10]}


def new_dossier(store, *, procedure: str = "9.000003", at=T0, refusal: str = "") -> str:  # noqa: ANN001
    req = intake.parse_intake({"procedure_code": procedure, "applicant": applicant(),
                               "received_at": at.isoformat(), "refusal_reason": refusal}, now=LATER)
    with store.write() as session:
        return intake.create_dossier(session, req, actor=clerk("cb.an"), now=at).dossier["code"]


def go(store, code: str, status: int, *, at=LATER, note: str = "lý do") -> dict:  # noqa: ANN001
    with store.write() as session:
        if status == 10:
            return workflow.return_result(session, code, workflow.Recipient("Nguyễn Văn Đức"), actor=ME, now=at)
        return workflow.move(session, code, status, actor=ME, note=note, now=at)


def at_status(store, status: int) -> str:  # noqa: ANN001
    if status == 3:
        return new_dossier(store, refusal="Hồ sơ không thuộc thẩm quyền giải quyết của xã")
    code = new_dossier(store)
    for step in PATHS[status]:
        go(store, code, step)
    return code


def events(store) -> int:  # noqa: ANN001
    with store.read() as session:
        return session.execute(text("SELECT COUNT(*) FROM status_event")).scalar()


@pytest.mark.parametrize(("old", "new"), [p for p in itertools.product([2, 3, 4, 5, 6, 7, 8, 9, 10], range(1, 11))
                                          if p[0] != p[1]])
def test_every_move_is_allowed_or_refused_as_the_rules_say(desk, old: int, new: int) -> None:  # noqa: ANN001
    code = at_status(desk, old)
    before = events(desk)
    if (old, new) in ALLOWED:
        data = go(desk, code, new)
        assert data["status"] == new
        assert events(desk) == before + 1
        with desk.read() as session:
            box = session.execute(text("SELECT COUNT(*) FROM outbox o JOIN status_event e ON e.id = o.event_id "
                                       "WHERE e.dossier_id = :d"), {"d": data["id"]}).scalar()
        assert box == len(PATHS.get(old, [])) + 2  # intake + earlier moves + this one, each in the outbox
    else:
        with pytest.raises(UserError):
            go(desk, code, new)
        assert events(desk) == before
        with desk.read() as session:
            assert workflow.load(session, code).status == old


def test_refusal_at_intake_keeps_its_code_and_reason(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk, refusal="Không thuộc thẩm quyền")
    with desk.read() as session:
        hist = workflow.history(session, code)
    assert hist[0]["status"] == 3 and hist[0]["note"] == "Không thuộc thẩm quyền"
    assert new_dossier(desk).endswith("-0002")  # the refused code is never reused


def test_reasons_are_required_where_a_paper_prints_them(desk) -> None:  # noqa: ANN001
    code = at_status(desk, 4)
    for status in (5, 7, 8):
        with pytest.raises(UserError, match="Cần ghi"):
            go(desk, code, status, note="  ")


def test_supplement_stops_the_clock_and_the_full_time_restarts(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    with desk.read() as session:
        assert workflow.load(session, code).due_at == "2026-03-05T08:00:00+07:00"
    go(desk, code, 4, at=parse_iso("2026-03-02T09:00:00+07:00"))
    with desk.write() as session:
        paused = workflow.move(session, code, 5, actor=ME, missing=["Bản sao giấy khai sinh"],
                               now=parse_iso("2026-03-03T10:00:00+07:00"))
    assert paused["status"] == 5
    # Nothing is overdue while the citizen brings papers, however long it takes.
    with desk.read() as session:
        assert attention(session, now=parse_iso("2026-03-10T09:00:00+07:00")).overdue == []
    back = go(desk, code, 4, at=parse_iso("2026-03-11T14:00:00+07:00"))
    # Wed 14:00 → 3 h Wed, 8 h Thu, 8 h Fri, then Mon 07:00–11:30 and 13:30–14:00: Mon 16 Mar 14:00.
    assert back["due_at"] == "2026-03-16T14:00:00+07:00"
    assert back["start_at"] == "2026-03-11T14:00:00+07:00"
    with desk.read() as session:
        hist = workflow.history(session, code)
    assert hist[2]["missing"] == ["Bản sao giấy khai sinh"]
    assert hist[3]["previous_due_at"] == "2026-03-05T08:00:00+07:00"


def test_one_extension_only_and_to_a_later_date(desk) -> None:  # noqa: ANN001
    code = at_status(desk, 4)
    with desk.write() as session:
        with pytest.raises(UserError, match="phải sau ngày hẹn hiện tại"):
            workflow.extend(session, code, new_due=parse_iso("2026-03-04T08:00:00+07:00"), reason="Chờ xác minh",
                            actor=ME, now=LATER)
    with desk.write() as session:
        data = workflow.extend(session, code, new_due=parse_iso("2026-03-10T16:00:00+07:00"),
                               reason="Cần xác minh thêm", actor=ME, now=LATER)
    assert data["due_at"] == "2026-03-10T16:00:00+07:00"
    before = events(desk)
    with desk.write() as session:
        with pytest.raises(UserError, match="đã được gia hạn một lần"):
            workflow.extend(session, code, new_due=parse_iso("2026-03-12T16:00:00+07:00"), reason="Lần hai",
                            actor=ME, now=LATER)
    assert events(desk) == before
    with desk.read() as session:
        d = workflow.load(session, code)
        assert (d.original_due_at, d.extension_count) == ("2026-03-05T08:00:00+07:00", 1)


def test_returns_refused_until_ready_and_only_once(desk) -> None:  # noqa: ANN001
    code = at_status(desk, 4)
    with desk.write() as session:
        with pytest.raises(UserError, match="chưa có kết quả.*hẹn trả: 08 giờ 00 phút, ngày 05 tháng 03 năm 2026"):
            workflow.return_result(session, code, workflow.Recipient("A"), actor=ME, now=LATER)
    go(desk, code, 9)
    with desk.write() as session:
        with pytest.raises(UserError, match="12 chữ số"):
            workflow.return_result(session, code, workflow.Recipient("Trần Thị B", "123"), actor=ME, now=LATER)
    with desk.write() as session:
        done = workflow.return_result(session, code, workflow.Recipient("Trần Thị B", "001190000002", "vợ"),
                                      actor=ME, rating=1, now=LATER)
    assert done["status"] == 10 and done["returned_at"] == "2026-03-20T09:00:00+07:00"
    assert done["recipient"] == {"full_name": "Trần Thị B", "id_number": "001190000002", "relation": "vợ"}
    with desk.write() as session:
        with pytest.raises(UserError, match="đã trả kết quả cho Trần Thị B lúc 09 giờ 00 phút"):
            workflow.return_result(session, code, workflow.Recipient("A"), actor=ME, now=LATER)


def test_hand_over_starts_processing_and_is_kept_in_history(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    with desk.write() as session:
        data = workflow.hand_over(session, code, to_unit="Công chức Tư pháp - Hộ tịch", actor=ME, now=LATER)
    assert data["status"] == 4
    with desk.read() as session:
        assert workflow.history(session, code)[-1]["to_unit"] == "Công chức Tư pháp - Hộ tịch"


def test_codes_of_another_office_or_unknown_are_refused(desk) -> None:  # noqa: ANN001
    with desk.write() as session:
        with pytest.raises(UserError, match="thuộc cơ quan 000.00.21.H12"):
            workflow.move(session, "000.00.21.H12-260302-0001", 4, actor=ME)
        with pytest.raises(UserError, match="Không tìm thấy"):
            workflow.move(session, "000.00.20.H12-260302-0099", 4, actor=ME)


def test_attention_list_on_a_store_with_every_state(desk) -> None:  # noqa: ANN001
    now = parse_iso("2026-03-10T10:00:00+07:00")  # Tuesday
    overdue = new_dossier(desk, at=parse_iso("2026-03-02T08:00:00+07:00"))            # due Thu 5 Mar
    today = new_dossier(desk, at=parse_iso("2026-03-05T15:30:00+07:00"))              # due Tue 10 Mar 17:00
    soon = new_dossier(desk, at=parse_iso("2026-03-06T09:00:00+07:00"))               # due Wed 11 Mar 09:00
    later = new_dossier(desk, at=parse_iso("2026-03-09T09:00:00+07:00"))              # due Thu 12 Mar 09:00
    paused = new_dossier(desk, at=parse_iso("2026-03-02T09:00:00+07:00"))
    go(desk, paused, 4, at=parse_iso("2026-03-02T10:00:00+07:00"))
    go(desk, paused, 5, at=parse_iso("2026-03-02T11:00:00+07:00"))
    ready_long = new_dossier(desk, at=parse_iso("2026-03-02T10:00:00+07:00"))
    go(desk, ready_long, 9, at=parse_iso("2026-03-03T10:00:00+07:00"))
    ready_now = new_dossier(desk, at=parse_iso("2026-03-02T11:00:00+07:00"))
    go(desk, ready_now, 9, at=parse_iso("2026-03-09T10:00:00+07:00"))
    returned = new_dossier(desk, at=parse_iso("2026-03-02T12:00:00+07:00"))
    go(desk, returned, 9, at=parse_iso("2026-03-03T10:00:00+07:00"))
    go(desk, returned, 10, at=parse_iso("2026-03-04T10:00:00+07:00"))
    withdrawn = new_dossier(desk, at=parse_iso("2026-03-02T13:30:00+07:00"))
    go(desk, withdrawn, 7, at=parse_iso("2026-03-02T14:00:00+07:00"))
    new_dossier(desk, at=parse_iso("2026-03-02T14:00:00+07:00"), refusal="Sai thẩm quyền")
    with desk.read() as session:
        result = attention(session, now=now, pickup_days=5)
    assert [r.code for r in result.overdue] == [overdue]
    assert [r.code for r in result.due_today] == [today]
    assert [r.code for r in result.due_24h] == [soon]
    assert [r.code for r in result.awaiting_pickup] == [ready_long]
    assert later not in {r.code for r in result.due_24h}
