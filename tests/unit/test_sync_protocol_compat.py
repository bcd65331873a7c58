"""The sync protocol's additions are backward compatible (docs/sync.md): a counter of this version
reads the answers of a server of the previous one, and the server of this version reads the
pushes of a counter of the previous one, with the same meaning."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from counter_app.sync.client import SyncClient
from counter_app.sync.protocol import CLIENT_FEATURES, AuditHead, PullResponse, PushOptions, PushResponse

# What the previous server answered (no audit_head in a push answer, no own in a pull answer).
OLD_PUSH_ANSWER = {"protocol": "qmc-sync/1", "batch_id": "b", "results": [
    {"event_id": "e", "result": "invalid", "code": "waiting", "reason": "…"}], "replayed": False,
    "server_time": "2026-12-02T08:00:00+07:00"}
OLD_PULL_ANSWER = {"protocol": "qmc-sync/1", "events": [], "publications": [],
                   "cursor": {"events": 5, "publications": 0}, "more": False}


def test_a_new_counter_reads_the_previous_servers_answers_as_they_were_meant() -> None:
    push = PushResponse.model_validate(OLD_PUSH_ANSWER)
    assert push.audit_head is None and push.results[0].result == "invalid"
    pull = PullResponse.model_validate(OLD_PULL_ANSWER)
    assert pull.own is False  # a restored counter keeps asking for its own events until the server can


def test_the_previous_counters_push_carries_no_options_and_means_what_it_always_did() -> None:
    options = PushOptions.model_validate({})
    assert options.features == [] and options.audit_head is None  # answered "invalid"/"waiting", no head kept


def test_the_new_counters_push_lists_what_it_understands_and_its_audit_head() -> None:
    head = AuditHead(seq=12, hash="a" * 64, anchor_seq=10, anchor_hash="")
    body = json.loads(SyncClient._batch_body("b", ['{"event_id":"e"}'], head))
    assert body["protocol"] == "qmc-sync/1" and body["events"] == [{"event_id": "e"}]
    assert body["features"] == list(CLIENT_FEATURES) == ["held", "audit_head"]
    assert body["audit_head"] == {"seq": 12, "hash": "a" * 64, "anchor_seq": 10, "anchor_hash": ""}
    assert "audit_head" not in json.loads(SyncClient._batch_body("b", [], None))


@pytest.mark.parametrize("bad", [{"seq": -1, "hash": "a" * 64}, {"seq": 1, "hash": "A" * 64},
                                 {"seq": 1, "hash": "a" * 64, "anchor_hash": "short"}])
def test_an_audit_head_out_of_shape_is_refused_by_the_published_schema(bad: dict) -> None:
    with pytest.raises(ValidationError):
        AuditHead.model_validate(bad)
