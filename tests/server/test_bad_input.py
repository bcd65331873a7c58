"""Whatever arrives at the server — broken JSON, a huge batch, a gzip bomb, another office's token,
unknown event kinds, events from the future, an old batch replayed — the answer is a clear error
(Vietnamese, with the protocol marker), nothing is stored twice, and the server stays up."""

from __future__ import annotations

import copy
import gzip
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from counter_app import clock
from counter_app.domain.ids import new_id
from counter_app.sync.protocol import MAX_BATCH_EVENTS, MAX_BODY_BYTES
from district_server.review import list_reviews
from district_server.schema import event
from tests.server.helpers import auth as _auth
from tests.server.helpers import batch_body, intake_many, outbox_payloads, server_dossiers
from tests.server.helpers import refused as _refused


@pytest.fixture
def http(live) -> Iterator[httpx.Client]:  # noqa: ANN001
    with httpx.Client(base_url=live.url, verify=live.verify, timeout=30.0, trust_env=False) as client:
        yield client


@pytest.fixture
def payloads(counter0) -> list[dict[str, Any]]:  # noqa: ANN001
    intake_many(counter0, 3)
    return outbox_payloads(counter0)


def _still_up(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "ok", "service": "quay-mot-cua-district", "protocol": "qmc-sync/1"}


def _event_count(db) -> int:  # noqa: ANN001
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(event)).scalar_one()


def test_malformed_and_truncated_json(http, tokens, payloads, server_db) -> None:
    body = batch_body(payloads)
    for broken in (b"{not json", body[: len(body) // 2], b"\xff\xfe garbage", b"[" * 100_000):
        message = _refused(http.post("/v1/push", content=broken, headers=_auth(tokens["c0"])), 400, "bad_json")
        assert "JSON" in message
    _refused(http.post("/v1/push", content=b"[]", headers=_auth(tokens["c0"])), 400, "bad_request")
    _refused(http.post("/v1/push", content=b'{"protocol": "qmc-sync/9", "batch_id": "x", "events": []}',
                       headers=_auth(tokens["c0"])), 400, "bad_protocol")
    broken_gzip = gzip.compress(body)[:-20]
    _refused(http.post("/v1/push", content=broken_gzip, headers={**_auth(tokens["c0"]), "Content-Encoding": "gzip"}),
             400, "bad_gzip")
    assert _event_count(server_db) == 0
    _still_up(http)


def test_oversized_batches_get_413_with_a_clear_message(http, tokens, payloads, server_db) -> None:
    many = [copy.deepcopy(payloads[0]) for _ in range(MAX_BATCH_EVENTS + 1)]
    message = _refused(http.post("/v1/push", content=batch_body(many), headers=_auth(tokens["c0"])), 413, "too_large")
    assert f"{MAX_BATCH_EVENTS + 1} sự kiện" in message and "nhiều lô nhỏ hơn" in message
    huge = b'{"protocol":"qmc-sync/1","batch_id":"' + new_id().encode() + b'","events":[],"pad":"' + \
        b"x" * MAX_BODY_BYTES + b'"}'
    _refused(http.post("/v1/push", content=huge, headers=_auth(tokens["c0"])), 413, "too_large")
    bomb = gzip.compress(huge, compresslevel=9)  # ~16 KB that inflate to 16 MB
    assert len(bomb) < 100_000
    _refused(http.post("/v1/push", content=bomb, headers={**_auth(tokens["c0"]), "Content-Encoding": "gzip"}),
             413, "too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while streaming
        yield huge

    _refused(http.post("/v1/push", content=chunks(), headers=_auth(tokens["c0"])), 413, "too_large")
    assert _event_count(server_db) == 0
    _still_up(http)


def test_tokens_missing_wrong_or_of_another_office(http, tokens, payloads, server_db) -> None:
    body = batch_body(payloads)
    _refused(http.post("/v1/push", content=body, headers={"Content-Type": "application/json"}), 401, "bad_token")
    _refused(http.post("/v1/push", content=body, headers=_auth("qmc_guessed")), 401, "bad_token")
    _refused(http.get("/v1/pull", headers=_auth("qmc_guessed")), 401, "bad_token")
    # A valid token of office 000.00.21.H12 sending 000.00.20.H12's dossiers: each event refused.
    answer = http.post("/v1/push", content=body, headers=_auth(tokens["other"])).json()
    assert [r["result"] for r in answer["results"]] == ["invalid"] * 3
    assert {r["code"] for r in answer["results"]} == {"other_agency"}
    assert "000.00.21.H12" in answer["results"][0]["reason"]
    assert _event_count(server_db) == 0 and server_dossiers(server_db) == []
    # …and it does not see the other office's dossiers either.
    http.post("/v1/push", content=body, headers=_auth(tokens["c0"]))
    assert http.get("/v1/pull", headers=_auth(tokens["other"])).json()["events"] == []
    assert len(http.get("/v1/pull", headers=_auth(tokens["c1"])).json()["events"]) == 3
    _still_up(http)


def test_bad_events_are_refused_one_by_one_and_the_rest_is_stored(http, tokens, payloads, server_db) -> None:
    good = payloads[0]
    unknown = {**payloads[1], "kind": "drop_table"}
    future = {**payloads[2], "at": clock.iso(clock.now().replace(year=clock.now().year + 1))}
    missing = {k: v for k, v in payloads[0].items() if k != "to_status"} | {"event_id": new_id()}
    wrong_status = {**payloads[0], "event_id": new_id(), "to_status": 42}
    not_object = "just a string"
    foreign = copy.deepcopy(payloads[0]) | {"event_id": new_id()}
    foreign["dossier"]["code"] = "000.00.99.H12-260101-0001"
    answer = http.post("/v1/push", content=batch_body([good, unknown, future, missing, wrong_status, not_object,
                                                       foreign]), headers=_auth(tokens["c0"])).json()
    got = [(r["result"], r["code"]) for r in answer["results"]]
    assert got == [("stored", ""), ("invalid", "unknown_kind"), ("invalid", "future_time"), ("invalid", "bad_field"),
                   ("invalid", "bad_field"), ("invalid", "not_object"), ("invalid", "other_agency")]
    assert "drop_table" in answer["results"][1]["reason"] and "tương lai" in answer["results"][2]["reason"]
    assert "to_status" in answer["results"][3]["reason"]
    assert _event_count(server_db) == 1
    assert len(list_reviews(server_db)) == 6  # kept for a person to see, once each
    http.post("/v1/push", content=batch_body([unknown, future]), headers=_auth(tokens["c0"]))
    assert len(list_reviews(server_db)) == 6
    _still_up(http)


def test_a_dossier_whose_start_or_end_is_not_a_clock_time_is_refused_and_the_rest_of_its_batch_stored(
        http, tokens, payloads, server_db) -> None:  # noqa: ANN001
    """The statistics' running totals read the hour and minute of when the clock started and when
    processing ended: a snapshot whose start_at or finished_at has none is refused with its field
    named, not stored (on PostgreSQL it made the totals' trigger fail the whole batch)."""
    good, date_only, not_a_time = copy.deepcopy(payloads)
    date_only["dossier"]["finished_at"] = date_only["at"][:10]
    not_a_time["dossier"]["start_at"] = "sáng nay"
    answer = http.post("/v1/push", content=batch_body([good, date_only, not_a_time]),
                       headers=_auth(tokens["c0"]))
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["result"], r["code"]) for r in results] == [("stored", ""), ("invalid", "bad_field"),
                                                          ("invalid", "bad_field")]
    assert "finished_at" in results[1]["reason"] and "start_at" in results[2]["reason"]
    assert _event_count(server_db) == 1
    _still_up(http)


def test_a_replayed_old_batch_stores_nothing_twice(http, tokens, payloads, server_db) -> None:
    body = batch_body(payloads)
    first = http.post("/v1/push", content=body, headers=_auth(tokens["c0"])).json()
    assert [r["result"] for r in first["results"]] == ["stored"] * 3 and first["replayed"] is False
    for _ in range(3):
        again = http.post("/v1/push", content=body, headers=_auth(tokens["c0"])).json()
        assert [r["result"] for r in again["results"]] == ["duplicate"] * 3 and again["replayed"] is True
    # The same events in a new batch, and twice within one batch: still once each.
    mixed = http.post("/v1/push", content=batch_body(payloads + payloads), headers=_auth(tokens["c0"])).json()
    assert [r["result"] for r in mixed["results"]] == ["duplicate"] * 6
    assert _event_count(server_db) == 3 and len(server_dossiers(server_db)) == 3


def test_one_batch_carrying_the_same_id_twice(http, tokens, payloads, server_db) -> None:
    changed = {**payloads[0], "note": "khác"}
    answer = http.post("/v1/push", content=batch_body([payloads[0], payloads[0], changed]),
                       headers=_auth(tokens["c0"])).json()
    assert [r["result"] for r in answer["results"]] == ["stored", "duplicate", "conflict"]
    assert _event_count(server_db) == 1


def test_bad_pull_parameters_and_unknown_addresses(http, tokens) -> None:
    _refused(http.get("/v1/pull", params={"events_after": -1}, headers=_auth(tokens["c0"])), 400, "bad_request")
    _refused(http.get("/v1/pull", params={"limit": "lots"}, headers=_auth(tokens["c0"])), 400, "bad_request")
    _refused(http.get("/v1/nothing-here"), 404, "not_found")
    _refused(http.get("/v1/push", headers=_auth(tokens["c0"])), 405, "method_not_allowed")
    _refused(http.post("/v1/push", content=b"{}", headers={**_auth(tokens["c0"]), "Content-Encoding": "br"}),
             400, "bad_encoding")
    _still_up(http)
