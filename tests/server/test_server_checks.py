"""The server checks what it stores with the counter's own rules: status moves (the rule table of
counter_app/domain/statuses.py, at each event's place in the dossier's history), each counter's
code slice, text no database can store, the review table's daily room — and it publishes its schema."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from counter_app import clock
from counter_app.domain.ids import new_id
from district_server import review
from district_server.dossiers import get_dossier
from district_server.review import list_reviews
from tests.server.helpers import auth, batch_body, intake_many, move, outbox_payloads, refused, server_dossiers
from tests.server.test_server_cli import server_cli


@pytest.fixture
def http(live) -> Iterator[httpx.Client]:  # noqa: ANN001
    with httpx.Client(base_url=live.url, verify=live.verify, timeout=30.0, trust_env=False) as client:
        yield client


def _push(http: httpx.Client, token: str, events: list[Any]) -> list[tuple[str, str]]:
    answer = http.post("/v1/push", content=batch_body(events), headers=auth(token))
    assert answer.status_code == 200, answer.text
    return [(r["result"], r["code"]) for r in answer.json()["results"]]


def _results(http: httpx.Client, token: str, events: list[Any]) -> list[dict[str, Any]]:
    answer = http.post("/v1/push", content=batch_body(events), headers=auth(token))
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def _later(payload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Another event on the same dossier, made now (so it comes after the ones before it)."""
    out = copy.deepcopy(payload)
    out.update({"event_id": new_id(), "at": clock.iso(clock.now()), **changes})
    out["dossier"]["status"] = out["to_status"]
    return out


def _processing_dossier(counter0, http: httpx.Client, token: str) -> tuple[str, dict[str, Any]]:  # noqa: ANN001
    (did,) = intake_many(counter0, 1)
    move(counter0, did, 4)
    payloads = outbox_payloads(counter0)
    assert _push(http, token, payloads) == [("stored", ""), ("stored", "")]
    return payloads[0]["dossier"]["code"], payloads[-1]


def test_a_pushed_jump_from_processing_to_returned_is_refused_and_changes_nothing(http, tokens, counter0,
                                                                                  server_db) -> None:
    code, at_4 = _processing_dossier(counter0, http, tokens["c0"])
    jump = _later(at_4, kind="return", from_status=4, to_status=10)
    as_move = _later(at_4, kind="move", from_status=4, to_status=10)
    results = _results(http, tokens["c0"], [jump, as_move])
    assert [(r["result"], r["code"]) for r in results] == [("invalid", "bad_move"), ("invalid", "bad_move")]
    assert "không được chuyển từ 'Đang xử lý' sang 'Đã trả kết quả'" in results[0]["reason"]
    held = get_dossier(server_db, code)
    assert held["status"] == 4 and [h["status"] for h in held["history"]] == [2, 4]
    kept = list_reviews(server_db)
    assert [(r["event_id"], r["code"]) for r in kept] == [(jump["event_id"], "bad_move"),
                                                         (as_move["event_id"], "bad_move")]
    assert kept[0]["dossier_id"] == at_4["dossier_id"]


def test_the_result_ready_then_returned_by_a_move_without_a_recipient_is_refused(http, tokens, counter0,
                                                                                 server_db) -> None:
    code, at_4 = _processing_dossier(counter0, http, tokens["c0"])
    ready = _later(at_4, kind="move", from_status=4, to_status=9)
    handed = _later(ready, kind="move", from_status=9, to_status=10)  # 9→10 is only a return of the result
    assert _push(http, tokens["c0"], [ready, handed]) == [("stored", ""), ("invalid", "bad_move")]
    assert get_dossier(server_db, code)["status"] == 9


def test_a_move_from_a_status_the_dossier_is_not_in_waits_in_review(http, tokens, counter0, server_db) -> None:
    code, at_4 = _processing_dossier(counter0, http, tokens["c0"])
    returned = _later(at_4, kind="return", from_status=9, to_status=10)  # no 4→9 before it
    (result,) = _results(http, tokens["c0"], [returned])
    assert (result["result"], result["code"]) == ("invalid", "waiting")
    assert "đang ở trạng thái 'Đang xử lý'" in result["reason"] and "'Đã có kết quả'" in result["reason"]
    assert get_dossier(server_db, code)["status"] == 4
    (kept,) = list_reviews(server_db)
    assert kept["code"] == "waiting" and kept["reason"] == result["reason"]
    # An intake of a dossier already received is a second intake, not a new dossier.
    again = _later(outbox_payloads(counter0)[0], from_status=None, to_status=2)
    assert _push(http, tokens["c0"], [again]) == [("conflict", "history_conflict")]
    # A move whose dossier the server has never received waits too: it creates nothing.
    stray = _later(at_4, dossier_id=new_id(), from_status=4, to_status=9)
    stray["dossier"].update(id=stray["dossier_id"], code=code[:-4] + "0999")
    assert _push(http, tokens["c0"], [stray]) == [("invalid", "waiting")]
    assert len(server_dossiers(server_db)) == 1


def _held_aware(events: list[Any]) -> bytes:
    """A push of this version of the counter: it lists the outcomes it understands."""
    return json.dumps({"protocol": "qmc-sync/1", "batch_id": new_id(), "events": events,
                       "features": ["held", "something_later"]}).encode()


def test_a_counter_that_understands_held_is_told_its_early_event_is_held_an_older_one_invalid(http, tokens,
                                                                                             counter0,
                                                                                             server_db) -> None:
    code, at_4 = _processing_dossier(counter0, http, tokens["c0"])
    returned = _later(at_4, kind="return", from_status=9, to_status=10)  # its 4→9 has not arrived
    answer = http.post("/v1/push", content=_held_aware([returned]), headers=auth(tokens["c0"]))
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    assert (result["result"], result["code"]) == ("held", "waiting") and "tự được áp dụng" in result["reason"]
    # A counter of the previous version (no features) is answered as it always was.
    assert _push(http, tokens["c0"], [returned]) == [("invalid", "waiting")]
    bad = json.dumps({"protocol": "qmc-sync/1", "batch_id": new_id(), "events": [], "features": "held"}).encode()
    assert "features" in refused(http.post("/v1/push", content=bad, headers=auth(tokens["c0"])), 400, "bad_request")
    # Once district staff close the waiting case without applying it, the server no longer holds
    # it: the resend is refused, so the counter stops sending it.
    (case,) = list_reviews(server_db)
    assert review.resolve_review(server_db, case["id"])
    (again,) = http.post("/v1/push", content=_held_aware([returned]), headers=auth(tokens["c0"])).json()["results"]
    assert (again["result"], again["code"]) == ("invalid", "dismissed") and "đóng lại" in again["reason"]
    assert get_dossier(server_db, code)["status"] == 4


def test_events_that_arrive_before_their_predecessor_are_applied_when_it_arrives(http, tokens, counter0,
                                                                                 server_db) -> None:
    from district_server.dossiers import get_dossier as held

    first, second = intake_many(counter0, 2)
    for did in (first, second):
        move(counter0, did, 4)
        move(counter0, did, 9)
        move(counter0, did, 10)
    events = outbox_payloads(counter0)
    one = [p for p in events if p["dossier_id"] == first]
    two = [p for p in events if p["dossier_id"] == second]
    # The first dossier's events in one batch, newest first: ordered by their time, all fit.
    assert _push(http, tokens["c0"], list(reversed(one))) == [("stored", "")] * 4
    assert [h["status"] for h in held(server_db, one[0]["dossier"]["code"])["history"]] == [2, 4, 9, 10]
    # The second one's across batches: the return and the result before the move to processing.
    assert _push(http, tokens["c0"], [two[0]]) == [("stored", "")]
    assert _push(http, tokens["c0"], [two[3]]) == [("invalid", "waiting")]
    assert _push(http, tokens["c0"], [two[2]]) == [("invalid", "waiting")]
    code = two[0]["dossier"]["code"]
    assert held(server_db, code)["status"] == 2
    assert _push(http, tokens["c0"], [two[1]]) == [("stored", "")]  # the predecessor arrives
    dossier = held(server_db, code)
    assert dossier["status"] == 10 and [h["status"] for h in dossier["history"]] == [2, 4, 9, 10]
    assert list_reviews(server_db) == []  # their cases closed themselves
    applied = list_reviews(server_db, include_resolved=True)
    assert sorted(r["event_id"] for r in applied) == sorted([two[2]["event_id"], two[3]["event_id"]])
    assert {r["result"] for r in applied} == {"applied"}
    # The counter sends them again (its officer retried them): the server holds each once.
    assert _push(http, tokens["c0"], [two[2], two[3]]) == [("duplicate", "")] * 2
    # …and counter 1 pulls the whole history, applied ones included.
    pulled = http.get("/v1/pull", headers=auth(tokens["c1"])).json()["events"]
    assert sorted(e["payload"]["event_id"] for e in pulled) == sorted(p["event_id"] for p in events)


def test_an_event_stamped_before_the_latest_but_arriving_after_it_leaves_the_dossier_where_it_was(
        http, tokens, counter0, server_db) -> None:  # noqa: ANN001
    """A hand-over made between the intake and the move to processing, sent later (a retried one):
    it takes its place in the history, and the dossier stays where its latest event put it."""
    (did,) = intake_many(counter0, 1)
    move(counter0, did, 4)
    intake, at_4 = outbox_payloads(counter0)
    now = clock.now()
    intake["at"], at_4["at"] = clock.iso(now - timedelta(hours=2)), clock.iso(now - timedelta(hours=1))
    assert _push(http, tokens["c0"], [intake, at_4]) == [("stored", ""), ("stored", "")]
    between = _later(intake, kind="handover", from_status=2, to_status=2,
                     at=clock.iso(now - timedelta(minutes=90)))
    assert _push(http, tokens["c0"], [between]) == [("stored", "")]
    held = get_dossier(server_db, intake["dossier"]["code"])
    assert [h["status"] for h in held["history"]] == [2, 2, 4]
    assert held["status"] == 4


def test_a_counter_cannot_issue_codes_of_another_counters_slice(http, tokens, counter0, counter1,
                                                                server_db) -> None:
    intake_many(counter0, 1)
    intake_many(counter1, 1)
    (own,) = outbox_payloads(counter0)
    (theirs,) = outbox_payloads(counter1)
    assert theirs["dossier"]["code"].endswith("-1001")
    results = _results(http, tokens["c0"], [theirs, own])  # counter 0's token, counter 1's code
    assert [(r["result"], r["code"]) for r in results] == [("invalid", "other_counter"), ("stored", "")]
    assert "dải số của quầy 1 (1001–1999)" in results[0]["reason"] and "từ 0001 đến 0999" in results[0]["reason"]
    # Counter 1's own dossier is not "code taken" afterwards, and it may still move counter 0's.
    assert _push(http, tokens["c1"], [theirs]) == [("stored", "")]
    at_4 = _later(own, kind="move", from_status=2, to_status=4)
    assert _push(http, tokens["c1"], [at_4]) == [("stored", "")]
    assert sorted(d["code"][-4:] for d in server_dossiers(server_db)) == ["0001", "1001"]


def test_pull_cursors_past_64_bits_or_not_numbers_are_a_400(http, tokens) -> None:
    for name in ("events_after", "publications_after"):
        for value in ("9223372036854775808", "-1", "abc", "1e3", ""):
            message = refused(http.get("/v1/pull", params={name: value}, headers=auth(tokens["c0"])), 400,
                              "bad_request")
            assert name in message
    largest = http.get("/v1/pull", params={"events_after": 2**63 - 1}, headers=auth(tokens["c0"]))
    assert largest.status_code == 200 and largest.json()["events"] == []


def test_a_misspelt_query_parameter_is_named_in_a_400_not_ignored(http, tokens) -> None:
    # 'event_after' for 'events_after': ignoring it would pull from the start, silently.
    message = refused(http.get("/v1/pull", params={"event_after": "5"}, headers=auth(tokens["c0"])), 400,
                      "bad_request")
    assert "'event_after'" in message
    refused(http.get("/v1/device", params={"x": "1"}, headers=auth(tokens["c0"])), 400, "bad_request")
    known = http.get("/v1/pull", params={"events_after": "0", "limit": "5"}, headers=auth(tokens["c0"]))
    assert known.status_code == 200


def _raw_batch(events: list[Any]) -> bytes:
    """JSON with \\u escapes only: a lone surrogate travels as the six characters \\ud800."""
    return json.dumps({"protocol": "qmc-sync/1", "batch_id": new_id(), "events": events}).encode()


def test_one_event_with_a_lone_surrogate_or_a_nul_does_not_sink_its_batch(http, tokens, counter0, server_db,
                                                                          db_url) -> None:
    intake_many(counter0, 4)
    good, surrogate, nul_procedure, nul_code = outbox_payloads(counter0)
    surrogate["note"] = "ghi chú \ud800 hỏng"
    nul_procedure["dossier"]["procedure_code"] = "9.000003\x00"
    nul_code["dossier"]["code"] = "\x00\ud800"
    odd_id = {"event_id": "\ud800\x00", "kind": "note"}
    answer = http.post("/v1/push", content=_raw_batch([good, surrogate, nul_procedure, nul_code, odd_id]),
                       headers=auth(tokens["c0"]))
    assert answer.status_code == 200, answer.text
    got = [(r["result"], r["code"]) for r in answer.json()["results"]]
    assert got == [("stored", ""), ("invalid", "bad_text"), ("invalid", "bad_field"), ("invalid", "bad_text"),
                   ("invalid", "bad_text")]
    assert "nửa cặp UTF-16" in answer.json()["results"][1]["reason"]
    assert [d["id"] for d in server_dossiers(server_db)] == [good["dossier_id"]]
    assert len(list_reviews(server_db)) == 4
    listed = server_cli("--db", db_url, "review", "list")  # the admin can read them, escaped
    assert listed.returncode == 0, listed.stderr
    assert "\\ud800" in listed.stdout and len(json.loads(listed.stdout)) == 4
    # The batch envelope itself: a 400 that quotes what arrived without choking on it.
    message = refused(http.post("/v1/push", content=b'{"protocol": "\\ud800\\u0000", "events": []}',
                                headers=auth(tokens["c0"])), 400, "bad_protocol")
    assert "qmc-sync/1" in message


def test_one_device_cannot_flood_review_and_the_admin_sees_it(http, tokens, counter0, server_db, db_url,
                                                              monkeypatch) -> None:
    monkeypatch.setattr(review, "MAX_PER_DEVICE_PER_DAY", 3)
    intake_many(counter0, 5)
    bad = [{**p, "kind": "drop_table"} for p in outbox_payloads(counter0)]
    results = _results(http, tokens["c0"], bad)
    assert [r["code"] for r in results] == ["unknown_kind"] * 3 + ["review_full"] * 2
    assert "tối đa 3 sự kiện mỗi ngày" in results[3]["reason"] and "drop_table" in results[3]["reason"]
    assert len(list_reviews(server_db)) == 3
    # The same refused events sent again take no more room, and keep their own reason.
    assert [r["code"] for r in _results(http, tokens["c0"], bad[:3])] == ["unknown_kind"] * 3
    # Another counter of the office still has its own room.
    assert [r["code"] for r in _results(http, tokens["c1"], [{**bad[0], "event_id": new_id()}])] == ["unknown_kind"]
    # The admin sees who used how much, and how many found no room (the CLI reads the database).
    shown = server_cli("--db", db_url, "review", "room")
    assert shown.returncode == 0, shown.stderr
    room = {(r["counter"], r["kept"], r["refused_for_lack_of_room"]) for r in json.loads(shown.stdout)}
    assert room == {(0, 3, 2), (1, 1, 0)}
    listed = server_cli("--db", db_url, "review", "list")
    assert listed.returncode == 0, listed.stderr
    assert [r["code"] for r in json.loads(listed.stdout)] == ["unknown_kind"] * 4
    first = json.loads(listed.stdout)[0]["id"]
    assert server_cli("--db", db_url, "review", "resolve", str(first)).returncode == 0
    assert len(json.loads(server_cli("--db", db_url, "review", "list").stdout)) == 3
    assert len(json.loads(server_cli("--db", db_url, "review", "list", "--all").stdout)) == 4
    wrong_day = server_cli("--db", db_url, "review", "room", "--day", "2026-13-01")
    assert wrong_day.returncode == 2 and "YYYY-MM-DD" in wrong_day.stderr


def test_a_405_says_which_methods_the_address_takes(http, tokens) -> None:
    for method, path, allowed in (("GET", "/v1/push", "POST"), ("POST", "/v1/pull", "GET"),
                                  ("DELETE", "/v1/device", "GET"), ("PUT", "/health", "GET")):
        answer = http.request(method, path, headers=auth(tokens["c0"]))
        refused(answer, 405, "method_not_allowed")
        assert answer.headers["allow"] == allowed


def test_the_openapi_schema_describes_v1_with_the_protocol_models(http) -> None:
    answer = http.get("/openapi.json")
    assert answer.status_code == 200
    schema = answer.json()
    assert {"/v1/push", "/v1/pull", "/v1/device", "/health"} <= set(schema["paths"])
    models = schema["components"]["schemas"]
    assert {"PushResponse", "EventResult", "PullResponse", "FeedEvent", "Publication", "Cursor", "DeviceInfo",
            "ErrorBody", "Health"} <= set(models)
    push = schema["paths"]["/v1/push"]["post"]
    assert push["requestBody"]["content"]["application/json"]["schema"]["title"] == "PushRequest"
    assert push["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PushResponse"}
    assert "413" in push["responses"]
    pull = schema["paths"]["/v1/pull"]["get"]
    cursor = next(p for p in pull["parameters"] if p["name"] == "events_after")
    assert cursor["schema"]["maximum"] == 2**63 - 1
    assert schema["components"]["securitySchemes"]["device_token"]["scheme"] == "bearer"
    assert pull["security"] == push["security"] == [{"device_token": []}]


def test_a_return_waiting_for_the_districts_result_is_applied_when_the_district_records_it(http, tokens, counter0,
                                                                                           server_db) -> None:
    from datetime import timedelta

    from district_server.admin import set_status

    code, at_4 = _processing_dossier(counter0, http, tokens["c0"])
    soon = clock.iso(clock.now() + timedelta(minutes=5))  # within the clock skew the server tolerates
    returned = _later(at_4, kind="return", from_status=9, to_status=10, at=soon)
    assert _push(http, tokens["c0"], [returned]) == [("invalid", "waiting")]
    set_status(server_db, code, 9, note="Kết quả từ phòng Tư pháp")
    dossier = get_dossier(server_db, code)
    assert dossier["status"] == 10 and [h["status"] for h in dossier["history"]] == [2, 4, 9, 10]
    assert list_reviews(server_db) == []


def test_a_move_that_arrives_before_its_dossiers_intake_is_applied_with_it(http, tokens, counter0,
                                                                           server_db) -> None:
    (did,) = intake_many(counter0, 1)
    move(counter0, did, 4)
    intake, at_4 = outbox_payloads(counter0)
    assert _push(http, tokens["c0"], [at_4]) == [("invalid", "waiting")]
    assert server_dossiers(server_db) == []
    assert _push(http, tokens["c0"], [intake]) == [("stored", "")]
    (held,) = server_dossiers(server_db)
    assert held["status"] == 4 and [h["status"] for h in held["history"]] == [2, 4]
    assert list_reviews(server_db) == []


def test_a_district_move_comes_after_a_counter_event_stamped_by_a_fast_clock(http, tokens, counter0,
                                                                              server_db) -> None:
    from datetime import timedelta

    from district_server.admin import set_status

    intake_many(counter0, 1)
    (intake,) = outbox_payloads(counter0)
    ahead = clock.iso(clock.now() + timedelta(minutes=5))  # the counter's clock runs 5 minutes fast
    intake.update(at=ahead)
    intake["dossier"]["received_at"] = ahead
    assert _push(http, tokens["c0"], [intake]) == [("stored", "")]
    code = intake["dossier"]["code"]
    moved = set_status(server_db, code, 4, note="Chuyển phòng Tư pháp")
    assert clock.parse_iso(moved["at"]) > clock.parse_iso(ahead)
    later = _later(intake, kind="move", from_status=4, to_status=9,
                   at=clock.iso(clock.now() + timedelta(minutes=7)))
    assert _push(http, tokens["c0"], [later]) == [("stored", "")]
    assert [h["status"] for h in get_dossier(server_db, code)["history"]] == [2, 4, 9]


def test_a_digitised_paper_is_stored_as_an_event_and_leaves_the_status_alone(http, tokens, counter0,  # noqa: ANN001
                                                                              server_db) -> None:
    import io

    from PIL import Image

    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach
    from tests.conftest import clerk

    (did,) = intake_many(counter0, 1)
    code = outbox_payloads(counter0)[0]["dossier"]["code"]
    page = io.BytesIO()
    Image.new("L", (200, 280), "white").save(page, "JPEG")
    done = attach(Desk(counter0, clerk()), code, [page.getvalue()], component=1)
    payloads = outbox_payloads(counter0)
    assert [p["kind"] for p in payloads] == ["intake", "digitised"]
    assert _push(http, tokens["c0"], payloads) == [("stored", ""), ("stored", "")]
    held = get_dossier(server_db, code)
    assert held["status"] == 2 and [e["kind"] for e in held["history"]] == ["intake", "digitised"]
    assert _push(http, tokens["c0"], payloads[1:]) == [("duplicate", "")]
    assert done.file.sha256 == payloads[1]["details"]["sha256"]
