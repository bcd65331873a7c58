"""What a scan opens: the one-statement look-up answers what the ORM path answers, for every kind
of dossier (documents or none, a returned one with its recipient, a card's extra fields, each sync
state) and refuses the same codes with the same sentences."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from sqlalchemy import text

from counter_app.desk import Desk
from counter_app.desk_types import DossierCard
from counter_app.domain.statuses import Status
from counter_app.errors import NotInitialisedError, UserError
from counter_app.services import intake, workflow
from counter_app.services.dossiers import dossier_dict
from counter_app.services.lookup import find_own, open_by_code
from tests.conftest import applicant, clerk
from tests.unit.test_intake import NOW


def _slow(session, code: str) -> dict:  # noqa: ANN001 - the ORM path: five queries
    return dossier_dict(session, find_own(session, code))


def _take(store, **fields) -> str:  # noqa: ANN001, ANN003
    data = {"procedure_code": "9.000003", "received_at": "2026-11-20T08:00:00+07:00", "applicant": applicant(),
            **fields}
    with store.write() as session:
        made = intake.create_dossier(session, intake.parse_intake(data, now=NOW), actor=clerk(), now=NOW)
    return made.dossier["code"]


@pytest.fixture
def kinds(desk):  # noqa: ANN001, ANN201
    codes = {
        "plain": _take(desk),
        "no documents": _take(desk, documents=[]),
        "many documents": _take(desk, documents=[{"name": f"Giấy tờ {i}", "form": "bản sao", "count": i}
                                                 for i in range(12, 0, -1)]),
        "refused": _take(desk, refusal_reason="Không thuộc thẩm quyền"),
        "with a card": _take(desk, applicant=None, id_qr="001090123456|012345678|Nguyễn Văn Đức|01011990|Nam|"
                                                         "Thôn Đông, xã Bình Mỹ|15062021"),
        "bare applicant": _take(desk, applicant={"full_name": "Lê Thị Bé"}),
    }
    returned = codes["returned"] = _take(desk)
    with desk.write() as session:
        workflow.move(session, returned, 9, actor=clerk(), now=NOW)
        workflow.return_result(session, returned, workflow.Recipient("Trần Văn Nhận", "001090654321", "Chồng"),
                               actor=clerk(), rating=1, now=NOW)
        session.execute(text("UPDATE outbox SET sent_at = :t, state = 'sent'"), {"t": NOW.isoformat()})
    codes["synced"] = codes["plain"]
    codes["pending"] = _take(desk)
    codes["rejected"] = _take(desk)
    with desk.write() as session:
        session.execute(text("UPDATE outbox SET state = 'rejected' WHERE dossier_id = "
                             "(SELECT id FROM dossier WHERE code = :c)"), {"c": codes["rejected"]})
    return desk, codes


def test_a_scan_opens_the_same_dossier_the_slow_path_opens(kinds) -> None:  # noqa: ANN001
    store, codes = kinds
    with store.read() as session:
        for kind, code in codes.items():
            assert open_by_code(session, code) == _slow(session, code), kind
            assert open_by_code(session, f"  {code.lower()} ") == _slow(session, code), kind
        assert open_by_code(session, codes["rejected"])["sync"] == "rejected"
        assert open_by_code(session, codes["pending"])["sync"] == "pending"
        assert open_by_code(session, codes["synced"])["sync"] == "synced"
        assert open_by_code(session, codes["returned"])["recipient"]["relation"] == "Chồng"
        assert [d["count"] for d in open_by_code(session, codes["many documents"])["documents"]] == list(
            range(12, 0, -1))
        assert "extra" in open_by_code(session, codes["with a card"])["applicant"]


def _as_printed(card: DossierCard) -> dict:
    """The card as JSON, in the printed dict's shape: an applicant's old ID number and extra fields
    appear there only when there are some."""
    data = json.loads(json.dumps(asdict(card), ensure_ascii=False))
    del data["overdue"]
    if data["applicant"] is not None:
        data["applicant"] = {k: v for k, v in data["applicant"].items() if v or k not in ("old_id_number", "extra")}
    return data


def test_the_window_reads_the_same_dossier_that_counter_app_show_prints(kinds) -> None:  # noqa: ANN001
    store, codes = kinds
    desk = Desk(store)
    for kind, code in codes.items():
        with store.read() as session:
            printed = json.loads(json.dumps(open_by_code(session, code), ensure_ascii=False))  # as `show` prints
        for card in (desk.open_dossier(code), desk.dossier_life(code).card):
            assert _as_printed(card) == printed, kind
            assert isinstance(card.status, Status) and card.status == printed["status"], kind
    assert desk.open_dossier(codes["plain"]).overdue  # received on 20/11/2026, due days later
    returned = desk.open_dossier(codes["returned"])
    assert returned.status == Status.RETURNED == 10 and returned.recipient.relation == "Chồng"
    assert not returned.overdue
    assert desk.open_dossier(codes["with a card"]).applicant.extra


@pytest.mark.parametrize(("code", "message"), [
    ("000.00.20.H12-261120-0999", "Không tìm thấy hồ sơ mã 000.00.20.H12-261120-0999"),
    ("000.00.21.H12-261120-0001", "thuộc cơ quan 000.00.21.H12"),
    ("hello", "không phải mã hồ sơ"),
    ("", "không phải mã hồ sơ"),
])
def test_a_scan_refuses_what_the_slow_path_refuses(kinds, code: str, message: str) -> None:  # noqa: ANN001
    store, _codes = kinds
    with store.read() as session:
        with pytest.raises(UserError, match=message) as fast:
            open_by_code(session, code)
        with pytest.raises(UserError) as slow:
            _slow(session, code)
    assert str(fast.value) == str(slow.value)


def test_a_scan_before_the_office_is_set_up_is_refused(store) -> None:  # noqa: ANN001
    with store.read() as session, pytest.raises(NotInitialisedError):
        open_by_code(session, "000.00.20.H12-261120-0001")
