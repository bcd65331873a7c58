"""The dossier snapshot that travels with every event is read the one way both ends read it
(protocol.DossierSnapshot): what a counter writes is read back whole, and a snapshot with an odd
field (a newer or a broken counter's) still files the dossier on the other counters and on the
server, with that field's default, instead of stopping every pull of the office."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from counter_app.db.models import Dossier, DossierDocument, Outbox
from counter_app.domain.ids import new_id
from counter_app.services import intake
from counter_app.sync.protocol import DossierSnapshot, FeedEvent, PullResponse
from counter_app.sync.pull import apply_page
from district_server.indexed import indexed_columns
from tests.conftest import AGENCY, applicant, clerk


def _written(desk) -> dict[str, Any]:  # noqa: ANN001
    request = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant(old_id_number="123456789"),
                                   "documents": [{"name": "Tờ khai", "form": "bản chính", "count": 2}]})
    with desk.write() as session:
        intake.create_dossier(session, request, actor=clerk())
    with desk.read() as session:
        (payload,) = session.exec(select(Outbox.payload_json)).all()
    return json.loads(payload)


def test_the_snapshot_a_counter_writes_is_read_back_whole(desk) -> None:  # noqa: ANN001
    written = _written(desk)["dossier"]
    read = DossierSnapshot.of(written).model_dump()
    for name, value in written.items():
        if name == "applicant":
            assert {k: read[name][k] for k in value} == value
        elif name == "documents":
            assert [{k: d[k] for k in ("name", "form", "count")} for d in read[name]] == value
        elif name in read:
            assert read[name] == value, name
    assert set(written) - set(read) == {"status", "status_label", "sync"}  # the counter's own view


def test_a_dossier_pulled_with_an_odd_field_is_filed_and_the_pull_goes_on(office_store) -> None:  # noqa: ANN001
    dossier_id = new_id()
    snapshot = {"id": dossier_id, "code": f"{AGENCY}-250303-1001", "agency_code": AGENCY, "procedure_code": "1.1",
                "procedure_name": "Thủ tục", "working_days": "ba", "channel": "trực tiếp", "sets": None,
                "applicant": {"full_name": "Trần Thị Hoa", "phone": 912345678},
                "documents": [{"name": "Tờ khai", "count": "hai"}], "received_at": "2025-03-03T09:00:00+07:00",
                "due_at": "2025-03-06T17:00:00+07:00"}
    event = {"event_id": new_id(), "kind": "intake", "dossier_id": dossier_id, "to_status": 2,
             "at": "2025-03-03T09:00:00+07:00", "dossier": snapshot}
    page = PullResponse(protocol="qmc-sync/1", events=[FeedEvent(seq=1, origin="counter", counter=1, payload=event)],
                        publications=[], cursor={"events": 1, "publications": 0}, more=False)
    with office_store.write() as session:
        assert apply_page(session, page) == 1
    with office_store.read() as session:
        filed = session.get(Dossier, dossier_id)
        (paper,) = session.exec(select(DossierDocument).where(DossierDocument.dossier_id == dossier_id)).all()
    assert (filed.working_days, filed.channel, filed.sets, paper.name, paper.count) == (0.0, 1, 1, "Tờ khai", 1)
    # The server reads the same snapshot into its dashboard columns the same way.
    assert indexed_columns(snapshot)["name_folded"] == "tran thi hoa" and indexed_columns(snapshot)["channel"] == 1
