from __future__ import annotations

import json
import unicodedata
from datetime import datetime

import pytest
from sqlalchemy import text

from counter_app.clock import parse_iso
from counter_app.errors import UserError
from counter_app.services import intake
from tests.conftest import applicant, clerk

NOW = parse_iso("2026-11-21T10:00:00+07:00")


def _intake(store, now: datetime = NOW, **fields):  # noqa: ANN001, ANN003, ANN202
    data = {"procedure_code": "9.000003", "applicant": applicant(), **fields}
    request = intake.parse_intake(data, now=now)
    with store.write() as session:
        return intake.create_dossier(session, request, actor=clerk("cb.an"), now=now)


def _count(store, table: str) -> int:  # noqa: ANN001
    with store.read() as session:
        return session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_worked_case_code_and_due_date_skip_tet(desk) -> None:  # noqa: ANN001
    result = _intake(desk, received_at="2026-02-13T10:00:00+07:00")
    d = result.dossier
    assert d["code"] == "000.00.20.H12-260213-0001"
    assert d["status"] == 2
    assert d["received_at"] == "2026-02-13T10:00:00+07:00"
    assert d["due_at"] == "2026-02-25T10:00:00+07:00"
    assert d["sync"] == "pending"
    assert [doc["name"] for doc in d["documents"]] == ["Tờ khai (theo mẫu)", "Giấy tờ chứng minh nơi cư trú"]
    assert result.warnings == ()


def test_dossier_documents_event_and_outbox_are_written_together(desk) -> None:  # noqa: ANN001
    d = _intake(desk).dossier
    with desk.read() as session:
        events = session.execute(text("SELECT id, kind, to_status FROM status_event WHERE dossier_id=:i"),
                                 {"i": d["id"]}).all()
        box = session.execute(text("SELECT event_id, payload_json FROM outbox WHERE dossier_id=:i"),
                              {"i": d["id"]}).all()
    assert [(e.kind, e.to_status) for e in events] == [("intake", 2)]
    assert len(box) == 1 and box[0].event_id == events[0].id
    payload = json.loads(box[0].payload_json)
    assert payload["dossier"]["code"] == d["code"]
    assert payload["dossier"]["applicant"]["full_name"] == "Nguyễn Văn Đức"
    assert len(d["id"]) == 36 and d["id"][14] == "7"  # UUIDv7


def test_codes_count_per_day_and_restart_the_next_day(desk) -> None:  # noqa: ANN001
    codes = [_intake(desk, received_at=t).dossier["code"] for t in (
        "2026-03-02T08:00:00+07:00", "2026-03-02T09:00:00+07:00", "2026-03-03T08:00:00+07:00")]
    assert codes == ["000.00.20.H12-260302-0001", "000.00.20.H12-260302-0002", "000.00.20.H12-260303-0001"]


def test_a_counter_issues_numbers_from_its_own_slice(desk) -> None:  # noqa: ANN001
    with desk.write() as session:
        session.execute(text("UPDATE office SET counter = 3"))
    assert _intake(desk, received_at="2026-03-02T08:00:00+07:00").dossier["code"].endswith("-260302-3001")


def test_the_thousandth_dossier_of_a_day_is_refused_and_nothing_changes(desk) -> None:  # noqa: ANN001
    with desk.write() as session:
        session.execute(text("INSERT INTO code_counter(agency_code, day, counter, last_n) "
                             "VALUES ('000.00.20.H12', '2026-03-02', 0, 999)"))
    before = _count(desk, "dossier")
    with pytest.raises(UserError, match="đã cấp đủ 999 mã hồ sơ trong ngày 02/03/2026"):
        _intake(desk, received_at="2026-03-02T10:00:00+07:00")
    assert _count(desk, "dossier") == before
    assert _count(desk, "outbox") == before


def test_a_failed_intake_leaves_no_gap_in_the_codes(desk, monkeypatch) -> None:  # noqa: ANN001
    from counter_app.sync import outbox

    def broken(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise OSError("disk unplugged")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(OSError):
        _intake(desk, received_at="2026-03-02T08:00:00+07:00")
    monkeypatch.undo()
    assert _count(desk, "dossier") == 0 and _count(desk, "applicant") == 0 and _count(desk, "dossier_search") == 0
    assert _intake(desk, received_at="2026-03-02T08:30:00+07:00").dossier["code"].endswith("-260302-0001")


def test_the_id_card_qr_fills_the_applicant(desk) -> None:  # noqa: ANN001
    qr = "038195001234||Lê Thị Hồng|20111995|Nữ|Thôn 3, xã Quảng Phú|01072024"
    data = {"procedure_code": "9.000000", "id_qr": qr, "received_at": "2026-03-02T08:00:00+07:00"}
    with desk.write() as session:
        d = intake.create_dossier(session, intake.parse_intake(data, now=NOW), actor=clerk(), now=NOW).dossier
    assert d["applicant"]["full_name"] == "Lê Thị Hồng"
    assert d["applicant"]["birth_date"] == "1995-11-20"
    assert d["applicant"]["gender"] == "Nữ"
    assert d["due_at"] == "2026-03-02T17:00:00+07:00"


def test_typed_fields_win_over_the_card_and_the_card_fills_the_rest() -> None:
    qr = "001090123456||Nguyễn Văn Đức|01011990|Nam|Thôn Đông|15042021"
    req = intake.parse_intake({"procedure_code": "9.000000", "id_qr": qr,
                               "applicant": {"full_name": "Nguyễn Văn Đức", "phone": "0912 345 678"}}, now=NOW)
    assert req.applicant.phone == "0912345678"
    assert req.applicant.address == "Thôn Đông"
    with pytest.raises(UserError, match="khác số trên thẻ"):
        intake.parse_intake({"procedure_code": "9.000000", "id_qr": qr,
                             "applicant": {"full_name": "A", "id_number": "001090999999"}}, now=NOW)


def test_a_card_with_a_lost_letter_needs_the_typed_name() -> None:
    qr = "001090123456||Nguyễn V\ufffdn Đức|01011990|Nam|Thôn Đông|15042021"
    with pytest.raises(UserError, match="chữ không đọc được"):
        intake.parse_intake({"procedure_code": "9.000000", "id_qr": qr}, now=NOW)
    req = intake.parse_intake({"procedure_code": "9.000000", "id_qr": qr,
                               "applicant": {"full_name": "Nguyễn Văn Đức"}}, now=NOW)
    assert req.applicant.full_name == "Nguyễn Văn Đức" and req.applicant.address == "Thôn Đông"


def test_text_is_stored_as_nfc(desk) -> None:  # noqa: ANN001
    name = unicodedata.normalize("NFD", "Trần Thị Ánh")
    d = _intake(desk, applicant=applicant(full_name=name)).dossier
    assert d["applicant"]["full_name"] == "Trần Thị Ánh"
    assert unicodedata.is_normalized("NFC", d["applicant"]["full_name"])


def test_a_due_date_in_a_year_without_official_table_is_flagged(desk) -> None:  # noqa: ANN001
    result = _intake(desk, now=parse_iso("2026-12-31T10:00:00+07:00"), received_at="2026-12-31T10:00:00+07:00")
    # Thu 5 h, Fri 1/1 off (provisional), Mon 8, Tue 8, Wed 3
    assert result.dossier["due_at"] == "2027-01-06T10:00:00+07:00"
    assert result.warnings and "tạm tính năm 2027" in result.warnings[0]


@pytest.mark.parametrize(("data", "message"), [
    ([], "đối tượng JSON"),
    ({"procedure_code": "9.000003"}, "người nộp"),
    ({"procedure_code": "", "applicant": applicant()}, "thủ tục"),
    ({"procedure_code": "9.000003", "applicant": applicant(id_number="00109012345")}, "12 chữ số"),
    ({"procedure_code": "9.000003", "applicant": applicant(full_name="   ")}, "họ tên"),
    ({"procedure_code": "9.000003", "id_qr": "000.00.20.H12-260213-0001"}, "không phải mã QR"),
    ({"procedure_code": "9.000003", "applicant": applicant(), "received_at": "2026-02-30T10:00:00+07:00"},
     "không phải một thời điểm có thật"),
    ({"procedure_code": "9.000003", "applicant": applicant(), "received_at": "2027-01-01T10:00:00+07:00"},
     "tương lai"),
    ({"procedure_code": "9.000003", "applicant": applicant(birth_date="1990-13-01")}, "Ngày sinh"),
    ({"procedure_code": "9.000003", "applicant": applicant(phone="12345")}, "Số điện thoại"),
    ({"procedure_code": "9.000003", "applicant": applicant(), "channel": 4}, "Kênh nộp"),
    ({"procedure_code": "9.000003", "applicant": applicant(), "sets": 0}, "Số bộ"),
    ({"procedure_code": "9.000003", "applicant": applicant(), "documents": [{"name": ""}]}, "thiếu tên giấy tờ"),
])
def test_bad_input_is_refused_in_vietnamese(data, message: str) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match=message):
        intake.parse_intake(data, now=NOW)


def test_an_unknown_procedure_changes_nothing(desk) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match="Không có thủ tục mã '1.234567'"):
        _intake(desk, procedure_code="1.234567")
    assert _count(desk, "dossier") == 0 and _count(desk, "code_counter") == 0


def test_preview_due_matches_what_intake_stores(desk) -> None:  # noqa: ANN001
    received = parse_iso("2026-03-02T12:00:00+07:00")
    with desk.read() as session:
        preview = intake.preview_due(session, "9.000005", received)
    assert preview.due.isoformat() == "2026-03-03T07:30:00+07:00"
    d = _intake(desk, procedure_code="9.000005", received_at="2026-03-02T12:00:00+07:00").dossier
    assert d["due_at"] == preview.due.isoformat()


def test_old_acknowledged_snapshots_are_pruned_and_nothing_else(desk) -> None:  # noqa: ANN001
    from counter_app.sync import outbox

    sent_old = _intake(desk).dossier["id"]
    sent_new = _intake(desk).dossier["id"]
    waiting = _intake(desk).dossier["id"]
    with desk.write() as session:
        session.execute(text("UPDATE outbox SET sent_at = '2026-09-01T10:00:00+07:00', state = 'sent' "
                             "WHERE dossier_id = :d"), {"d": sent_old})
        session.execute(text("UPDATE outbox SET sent_at = '2026-11-20T10:00:00+07:00', state = 'sent' "
                             "WHERE dossier_id = :d"), {"d": sent_new})
        assert outbox.prune_sent(session, days=30, now=NOW) == 1
        payloads = dict(session.execute(text("SELECT dossier_id, payload_json FROM outbox")).all())
        events = session.execute(text("SELECT COUNT(*) FROM status_event")).scalar()
    assert payloads[sent_old] == "{}"
    assert json.loads(payloads[sent_new])["dossier"]["id"] == sent_new
    assert json.loads(payloads[waiting])["dossier"]["id"] == waiting  # never before it is acknowledged
    assert events == 3  # the history itself is kept


def test_what_intake_answers_is_what_the_store_holds(desk) -> None:  # noqa: ANN001
    """Intake writes its rows as plain SQL: the ORM reads them back as the same dossier, the outbox
    snapshot is that dossier, and the audit chain still verifies."""
    from sqlmodel import select

    from counter_app.db.models import Dossier
    from counter_app.services import audit
    from counter_app.services.dossiers import dossier_dict
    from counter_app.services.lookup import find_own

    made = [_intake(desk, documents=[{"name": "Tờ khai", "form": "bản chính", "count": 2}]),
            _intake(desk, refusal_reason="Không thuộc thẩm quyền"),
            _intake(desk, applicant=applicant(full_name="Lê Thị Bé", birth_date="", email="be@example.vn"))]
    with desk.read() as session:
        for result in made:
            code = result.dossier["code"]
            assert result.dossier == dossier_dict(session, find_own(session, code))  # sync: pending, as stored
            (payload,) = session.execute(text("SELECT payload_json FROM outbox o JOIN dossier d ON d.id = "
                                              "o.dossier_id WHERE d.code = :c"), {"c": code}).scalars()
            assert json.loads(payload)["dossier"] == result.dossier
            stored = session.exec(select(Dossier).where(Dossier.code == code)).one()
            assert (stored.extension_count, stored.rating, stored.paused_at) == (0, None, None)
        assert audit.verify(session).ok
