"""What a counter tells the district server about its office besides dossier events, through real
sync passes on SQLite and PostgreSQL: the procedures the office adds to its own catalogue (issue
18: they reach the district, its dashboard and the public procedure pages) and how many events each
counter still has waiting (issue 14: the offices page, "as each counter last reported")."""

from __future__ import annotations

import gzip
import json
import ssl
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from counter_app import clock
from counter_app.cli import main as counter_app
from counter_app.db.models import Outbox, Procedure
from counter_app.domain.ids import new_id
from counter_app.services import catalogue, settings
from counter_app.sync import commands, engine, outbox
from counter_app.sync.errors import ServerUnreachable
from district_server import office_procedures, staff, waiting
from district_server.app import create_app
from district_server.database import Database
from district_server.schema import batch, device_waiting, office_procedure
from district_server.web import strings
from tests.conftest import AGENCY, clerk
from tests.server.helpers import auth, intake_many, move, outbox_payloads, outbox_states
from tests.server.web_helpers import ACCOUNTS, OTHER_AGENCY, PASSWORD, log_in, quick_hashes, text_of

pytestmark = pytest.mark.usefixtures("cli_in_process")

LOCAL = {"code": "XBM.001", "name": "Xác nhận thử của xã Bình Mỹ", "field": "Thử nghiệm", "working_days": 2,
         "fee": "Không thu phí", "documents": [{"name": "Đơn đề nghị xác nhận", "form": "bản chính", "count": 1}]}


def _import(store, tmp_path: Path, *records: dict, capsys) -> dict:  # noqa: ANN001
    """`counter-app catalogue import FILE`, as the office's admin runs it."""
    path = tmp_path / f"rieng-{new_id()[:8]}.json"
    path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    code = counter_app(["--data-dir", str(store.path.parent), "catalogue", "import", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def _own_rows(store) -> list[Outbox]:  # noqa: ANN001
    with store.read() as session:
        return list(session.exec(select(Outbox).where(Outbox.kind == outbox.KIND_PROCEDURE).order_by(Outbox.seq)))


def _held(db: Database) -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(office_procedure).order_by(office_procedure.c.code))]


def _push(live, token: str, *, procedures: list | None = None, events: list | None = None, **extra) -> httpx.Response:  # noqa: ANN001, ANN003
    body = {"protocol": "qmc-sync/1", "batch_id": new_id(), "events": events or [], **extra}
    if procedures is not None:
        body["procedures"] = procedures
    # ensure_ascii: a lone surrogate travels as its \u escape, as a broken client would send it
    return httpx.post(live.url + "/v1/push", content=json.dumps(body).encode(), headers=auth(token), timeout=30,
                      verify=live.verify)


def test_a_procedure_the_office_adds_reaches_the_district_its_dashboard_and_the_public_pages(
        live, tokens, counter0, server_db, tmp_path, capsys) -> None:  # noqa: ANN001
    commands.link(counter0, live.url, tokens["c0"], fingerprint=live.fingerprint)
    assert _import(counter0, tmp_path, LOCAL, capsys=capsys) == {"added": 1, "updated": 0, "unchanged": 0}
    (row,) = _own_rows(counter0)
    assert row.state == "pending" and json.loads(row.payload_json)["procedure"]["code"] == LOCAL["code"]
    assert commands.sync_status(counter0)["pending"] == 1  # waiting like any event until the server has it

    summary = commands.sync_once(counter0)
    assert summary["pending"] == 0 and _own_rows(counter0)[0].state == "sent"
    (held,) = office_procedures.of_office(server_db, AGENCY)
    assert held["spec"] == catalogue.parse_procedure(LOCAL, "x") and held["counter"] == 0
    assert office_procedures.of_office(server_db, OTHER_AGENCY) == []

    with httpx.Client(base_url=live.url, trust_env=False, timeout=30, verify=live.verify) as web:
        page = web.get(f"/thu-tuc/{LOCAL['code']}")  # what the poster's QR opens: only this office has it
        assert page.status_code == 200, page.text
        seen = text_of(page.text)
        assert LOCAL["name"] in seen and "Đơn đề nghị xác nhận" in seen and "2 ngày làm việc" in seen
        assert strings.PROC_OWN.format(agency=AGENCY) in seen
        listing = text_of(web.get("/thu-tuc", params={"don-vi": AGENCY.lower()}).text)
        assert LOCAL["name"] in listing and strings.PROC_OFFICE.format(agency=AGENCY) in listing
        assert "Thủ tục đăng ký khai sinh" in listing  # the district's catalogue is there too
        assert LOCAL["name"] not in text_of(web.get("/thu-tuc").text)  # the district's own list: without it
        assert web.get(f"/thu-tuc/{LOCAL['code']}", params={"don-vi": OTHER_AGENCY}).status_code == 404
        assert web.get("/thu-tuc", params={"don-vi": "xyz"}).status_code == 400

    staff.add_staff(server_db, ACCOUNTS["viewer"], "Cán bộ xem", "viewer", PASSWORD)
    with quick_hashes(), TestClient(create_app(server_db), follow_redirects=False) as viewer:
        assert log_in(viewer, ACCOUNTS["viewer"]).status_code == 303
        offices = text_of(viewer.get("/quan-tri/don-vi").text)
    assert strings.OWN_PROCEDURES.format(n=1) in offices and LOCAL["name"] in offices


def test_the_procedure_and_its_outbox_entry_are_written_together_or_not_at_all(counter0, monkeypatch) -> None:  # noqa: ANN001
    spec = catalogue.parse_procedure(LOCAL, "x")

    def broken(*_args: object) -> None:
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(outbox, "_insert", broken)
    with pytest.raises(RuntimeError), counter0.write() as session:
        catalogue.import_procedures(session, [spec], actor=clerk("Quản trị xã"))
    with counter0.read() as session:
        assert session.get(Procedure, LOCAL["code"]) is None
    assert _own_rows(counter0) == []


def test_a_procedure_sent_twice_is_stored_once_and_a_later_change_replaces_the_earlier(
        live, tokens, counter0, counter1, server_db, tmp_path, capsys) -> None:  # noqa: ANN001
    commands.link(counter0, live.url, tokens["c0"], fingerprint=live.fingerprint)
    commands.link(counter1, live.url, tokens["c1"], fingerprint=live.fingerprint)
    _import(counter0, tmp_path, LOCAL, capsys=capsys)
    commands.sync_once(counter0)
    first = json.loads(_own_rows(counter0)[0].payload_json)
    again = _push(live, tokens["c0"], procedures=[first]).json()  # the answer was lost: sent again
    assert [(r["entry_id"], r["result"]) for r in again["procedures"]] == [(first["entry_id"], "duplicate")]
    assert len(_held(server_db)) == 1

    _import(counter1, tmp_path, {**LOCAL, "working_days": 5}, capsys=capsys)  # the other counter, later
    commands.sync_once(counter1)
    (held,) = _held(server_db)
    assert held["counter"] == 1 and json.loads(held["procedure_json"])["working_days"] == 5
    late = _push(live, tokens["c0"], procedures=[first]).json()  # the earlier change arrives again, late
    assert late["procedures"][0]["result"] == "superseded"
    assert json.loads(_held(server_db)[0]["procedure_json"])["working_days"] == 5

    _import(counter0, tmp_path, {**LOCAL, "name": "Xác nhận thử (sửa tên)"}, capsys=capsys)
    assert _import(counter0, tmp_path, {**LOCAL, "name": "Xác nhận thử (sửa tên)"}, capsys=capsys)["unchanged"] == 1
    assert len(_own_rows(counter0)) == 2  # an import that changes nothing sends nothing
    commands.sync_once(counter0)
    (held,) = _held(server_db)
    assert held["name"] == "Xác nhận thử (sửa tên)" and held["counter"] == 0

    older, newer = ({**first, "entry_id": new_id(), "at": clock.iso(clock.now() + timedelta(seconds=s)),
                     "procedure": {**LOCAL, "code": "XBM.002", "name": name}} for s, name in ((1, "cũ"), (2, "mới")))
    answer = _push(live, tokens["c0"], procedures=[newer, older]).json()  # out of order in one batch
    assert [r["result"] for r in answer["procedures"]] == ["stored", "superseded"]
    assert [h["name"] for h in _held(server_db)] == ["Xác nhận thử (sửa tên)", "mới"]


def test_bad_procedures_are_refused_one_by_one_with_a_code_and_the_rest_of_the_batch_goes_in(
        live, tokens, counter0, server_db) -> None:  # noqa: ANN001
    intake_many(counter0, 1)
    (event,) = outbox_payloads(counter0)

    def entry(**changes: object) -> dict:
        return {"v": 1, "entry_id": new_id(), "at": clock.iso(clock.now()), "officer": "Lan",
                "procedure": {**LOCAL, **changes.pop("procedure", {})}, **changes}

    bad = {
        "not_object": 42,
        "unknown_version": entry(v=2),
        "bad_field": {"v": 1, "entry_id": "khong-phai-uuid", "at": "hôm qua", "procedure": {"code": ""}},
        "bad_procedure": entry(procedure={"working_days": 0.3}),
        "bad_text": entry(procedure={"name": "Tên \ud800 hỏng"}),
        "bad_time": entry(at=clock.iso(clock.now() + timedelta(days=2))),
    }
    good = entry()
    response = _push(live, tokens["c0"], events=[event], procedures=[*bad.values(), good])
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [r["result"] for r in answer["results"]] == ["stored"]
    got = [(r["result"], r["code"]) for r in answer["procedures"]]
    assert got == [*(("invalid", code) for code in bad), ("stored", "")]
    assert all(r["reason"] and "Traceback" not in r["reason"] for r in answer["procedures"][:-1])
    assert [h["code"] for h in _held(server_db)] == [LOCAL["code"]]

    for wrong in ({"procedures": "XBM.001"}, {"waiting": {"events": -1}}, {"waiting": {"events": True}}):
        refused = _push(live, tokens["c0"], **wrong)
        assert refused.status_code == 400 and refused.json()["error"] == "bad_request", refused.text


def _older_server(url: str, verify: ssl.SSLContext | bool) -> httpx.Client:
    """A server of the previous version in front of the real one: it ignores the procedures a
    push carries and answers none."""
    upstream = httpx.Client(base_url=url, trust_env=False, timeout=30, verify=verify)

    def handle(request: httpx.Request) -> httpx.Response:
        body = request.content
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "content-type")}
        if request.url.path == "/v1/push":
            if request.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            sent = json.loads(body)
            sent.pop("procedures", None)
            body = json.dumps(sent).encode()
        answer = upstream.request(request.method, request.url.path, params=request.url.params, content=body,
                                  headers=headers)
        data = answer.json()
        if isinstance(data, dict):
            data.pop("procedures", None)
        return httpx.Response(answer.status_code, json=data)

    return httpx.Client(transport=httpx.MockTransport(handle))


def test_an_older_server_leaves_the_offices_procedures_waiting_until_it_is_upgraded(
        live, tokens, counter0, server_db, tmp_path, capsys) -> None:  # noqa: ANN001
    commands.link(counter0, live.url, tokens["c0"], fingerprint=live.fingerprint)
    intake_many(counter0, 1)
    _import(counter0, tmp_path, LOCAL, capsys=capsys)
    with _older_server(live.url, live.verify) as old:
        summary = commands.sync_once(counter0, http=old)
    assert summary["pushed"] == 1 and summary["pending"] == 1  # the event went; the procedure waits
    (row,) = _own_rows(counter0)
    assert row.state == "pending" and row.last_error.startswith("[older_server]")
    (failed,) = commands.failed_events(counter0)  # what the sync panel's list shows
    assert (failed.code, failed.kind) == (LOCAL["code"], "procedure")
    assert _held(server_db) == []
    commands.sync_once(counter0)  # the server upgraded
    assert _own_rows(counter0)[0].state == "sent" and len(_held(server_db)) == 1


def _cut_after(url: str, pushes: int, verify: ssl.SSLContext | bool) -> Callable[[], httpx.Client]:
    """The line drops after `pushes` pushes went through."""
    upstream = httpx.Client(base_url=url, trust_env=False, timeout=30, verify=verify)
    seen = {"pushes": 0}

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/push":
            seen["pushes"] += 1
            if seen["pushes"] > pushes:
                raise httpx.ConnectError("mất mạng", request=request)
        answer = upstream.request(request.method, request.url.path, params=request.url.params,
                                  content=request.content, headers=dict(request.headers))
        return httpx.Response(answer.status_code, content=answer.content, headers={"content-type": "application/json"})

    return lambda: httpx.Client(transport=httpx.MockTransport(handle))


def test_the_offices_page_shows_the_events_each_counter_last_reported_waiting_and_flags_an_old_report(
        live, tokens, counter0, counter1, server_db) -> None:  # noqa: ANN001
    commands.link(counter0, live.url, tokens["c0"], fingerprint=live.fingerprint)
    intake_many(counter0, 3)
    with _cut_after(live.url, 1, live.verify)() as flaky, pytest.raises(ServerUnreachable):
        commands.sync_once(counter0, http=flaky, batch_size=2)
    device0 = commands.sync_status(counter0)["device"]["device_id"]
    (report,) = waiting.reports(server_db).values()
    assert report["events"] == 1 and report["oldest_age_s"] is not None and not report["stale"]

    staff.add_staff(server_db, ACCOUNTS["viewer"], "Cán bộ xem", "viewer", PASSWORD)
    with quick_hashes(), TestClient(create_app(server_db), follow_redirects=False) as viewer:
        assert log_in(viewer, ACCOUNTS["viewer"]).status_code == 303

        def cell(device_id: str) -> str:
            page = viewer.get("/quan-tri/don-vi").text
            start = page.index(f'id="waiting-{device_id}"')
            return page[page.rindex("<td", 0, start):page.index("</td>", start)] + "</td>"

        shown = text_of(cell(device0)).strip()
        assert shown.startswith("1 sự kiện đang chờ (báo lúc ") and "sự kiện cũ nhất đã chờ dưới 1 phút" in shown

        commands.sync_once(counter0)
        assert text_of(cell(device0)).strip().startswith("0 sự kiện đang chờ (báo lúc ")

        # A counter of the previous version says nothing about its outbox.
        intake_many(counter1, 1)
        old = _push(live, tokens["c1"], events=outbox_payloads(counter1))
        assert old.json()["results"][0]["result"] == "stored"
        device1 = next(d for d, r in _devices(server_db).items() if r == 1)
        assert text_of(cell(device1)).strip() == strings.WAITING_NOT_REPORTED

        # A counter that has not reported for hours is flagged.
        with server_db.engine.begin() as conn:
            conn.execute(sa.update(device_waiting).values(reported_at=clock.iso(clock.now() - timedelta(hours=5))))
        flagged = cell(device0)
        assert 'class="bad"' in flagged and strings.WAITING_STALE in text_of(flagged)

        # An idle counter still reports, once WAITING_REPORT_EVERY has passed since it last did; not on every pass.
        with counter0.write() as session:
            last = settings.get(session, engine.KEY_WAITING_REPORTED)
            settings.put(session, engine.KEY_WAITING_REPORTED,
                         {**last, "at": clock.iso(clock.now() - timedelta(hours=2))})
        commands.sync_once(counter0)
        assert strings.WAITING_STALE not in text_of(cell(device0))
        batches = _batches(server_db)
        commands.sync_once(counter0)
        assert _batches(server_db) == batches


def _devices(db: Database) -> dict[str, int]:
    from district_server.schema import device

    with db.engine.connect() as conn:
        return {r.id: r.counter for r in conn.execute(sa.select(device.c.id, device.c.counter))}


def _batches(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(batch)).scalar())


def test_events_the_server_holds_for_their_predecessor_are_still_reported_waiting(
        live, tokens, counter0, server_db) -> None:  # noqa: ANN001
    commands.link(counter0, live.url, tokens["c0"], fingerprint=live.fingerprint)
    (did,) = intake_many(counter0, 1)
    move(counter0, did, 4)
    move(counter0, did, 9)
    with counter0.write() as session:  # the intake is stuck aside on the counter: its moves arrive first
        session.execute(sa.text("UPDATE outbox SET state = 'rejected' WHERE kind = 'intake'"))
    commands.sync_once(counter0)
    assert outbox_states(counter0) == {"rejected": 1, "pending": 2}  # both moves held by the server
    (report,) = waiting.reports(server_db).values()
    assert report["events"] == 2 and report["oldest_age_s"] is not None
