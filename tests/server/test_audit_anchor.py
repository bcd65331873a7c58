"""The audit trail's head is anchored on the district server: each push carries the counter's
newest audit entry, so deleting the newest entries on a counter — which the hash chain alone
cannot tell from a shorter, sound trail — is caught by `counter-app audit verify` (when linked) and
flagged on the server for the district (audit_heads.py, `counter-server audit …`)."""

from __future__ import annotations

import json

import pytest

from counter_app.cli import main as counter_app
from counter_app.services import settings
from counter_app.sync import commands, engine
from counter_app.sync.audit_anchor import local_head
from district_server import audit_heads
from district_server.cli import main as counter_server
from tests.conftest import raw_store
from tests.server.helpers import intake_many, link_to, server_dossiers
from tests.server.pgcluster import free_port

pytestmark = pytest.mark.usefixtures("cli_in_process")


def _verify(store, capsys) -> tuple[int, dict | None, str]:  # noqa: ANN001
    capsys.readouterr()
    code = counter_app(["--data-dir", str(store.path.parent), "audit", "verify"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def _server(capsys, db_url: str, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    """`counter-server …` in this process (its own database connection, as from a shell)."""
    capsys.readouterr()
    code = counter_server(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _head(store) -> tuple[int, str]:  # noqa: ANN001
    with store.read() as session:
        head = local_head(session)
    assert head is not None
    return head


def _delete_newest(store, n: int) -> None:  # noqa: ANN001
    """What someone with the file does: the triggers that refuse it dropped, the newest entries gone."""
    top = _head(store)[0]
    conn = raw_store(store.path)  # with the key: what someone holding the PC and its account can do
    conn.executescript("DROP TRIGGER audit_log_no_delete;")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (top - n,))
    conn.commit()
    conn.close()


def _held(db, store) -> dict:  # noqa: ANN001
    device_id = commands.sync_status(store)["device"]["device_id"]
    return next(h for h in audit_heads.heads(db) if h["device_id"] == device_id)


def test_deleting_the_newest_audit_entries_is_caught_by_verify_and_flagged_on_the_server(live, tokens, counter0,
                                                                                        server_db, db_url,
                                                                                        capsys) -> None:
    link_to(counter0, live, tokens["c0"])
    intake_many(counter0, 2)
    sent_head = _head(counter0)
    commands.sync_once(counter0)
    assert (_held(server_db, counter0)["seq"], _held(server_db, counter0)["hash"]) == sent_head
    code, summary, err = _verify(counter0, capsys)
    assert code == 0 and summary["upstream"] == "matched" and f"mục số {sent_head[0]}" in err

    _delete_newest(counter0, 2)
    code, summary, err = _verify(counter0, capsys)
    assert code == 2 and summary is None
    assert "đã nhận đến mục số" in err and "các mục mới nhất đã bị xóa" in err and "Traceback" not in err

    commands.sync_once(counter0)  # the next push reports the shorter trail: the server flags it
    (flagged,) = audit_heads.breaks(server_db)
    assert flagged["kind"] == "older" and flagged["counter"] == 0
    assert flagged["held_seq"] == sent_head[0] and flagged["reported_seq"] == sent_head[0] - 2
    assert "Quầy số 0" in flagged["message"] and "các mục mới nhất đã bị xóa" in flagged["message"]
    assert _held(server_db, counter0)["open_breaks"] == 1
    commands.sync_once(counter0)
    assert len(audit_heads.breaks(server_db)) == 1  # one break is flagged once, not on every push after it
    code, _, err = _verify(counter0, capsys)
    assert code == 2 and "Quầy số 0 báo nhật ký" in err  # the server's open break is told on the counter

    listed = _server(capsys, db_url, "audit", "breaks")
    assert listed[0] == 0 and [b["id"] for b in json.loads(listed[1])] == [flagged["id"]]
    assert _server(capsys, db_url, "audit", "resolve", str(flagged["id"]))[0] == 0
    again = _server(capsys, db_url, "audit", "resolve", str(flagged["id"]))
    assert again[0] == 2 and "đang chờ xử lý" in again[2]
    heads = _server(capsys, db_url, "audit", "heads")
    assert heads[0] == 0
    rows = {h["counter"]: h for h in json.loads(heads[1]) if h["agency_code"] == "000.00.20.H12"}
    assert rows[0]["open_breaks"] == 0 and rows[1]["seq"] is None  # counter 1 never reported
    assert _verify(counter0, capsys)[0] == 0


def test_entries_deleted_then_written_over_are_caught_even_when_the_head_moved_past(live, tokens, counter0,
                                                                                   server_db, capsys) -> None:
    link_to(counter0, live, tokens["c0"])
    intake_many(counter0, 1)
    commands.sync_once(counter0)
    held = _held(server_db, counter0)["seq"]
    _delete_newest(counter0, 2)
    intake_many(counter0, 4, one_transaction=False)  # new entries take the deleted numbers and more
    assert _head(counter0)[0] > held
    code, _, err = _verify(counter0, capsys)
    assert code == 2 and f"Mục nhật ký số {held} trên máy này khác" in err
    commands.sync_once(counter0)
    (flagged,) = audit_heads.breaks(server_db)
    assert flagged["kind"] == "rewritten" and flagged["held_seq"] == held
    assert len(server_dossiers(server_db)) == 5  # the events themselves are stored as always


def test_verify_offline_checks_the_local_trail_and_says_the_server_was_not_asked(live, tokens, counter0,
                                                                               capsys) -> None:
    code, summary, err = _verify(counter0, capsys)
    assert code == 0 and summary["upstream"] == "not_linked" and "chưa kết nối" in err
    link_to(counter0, live, tokens["c0"])
    commands.sync_once(counter0)
    with counter0.write() as session:
        settings.put(session, engine.KEY_SERVER, f"https://127.0.0.1:{free_port()}")
    code, summary, err = _verify(counter0, capsys)
    assert code == 3 and summary == {"ok": True, "entries": _head(counter0)[0], "files": 0, "upstream": "unreachable"}
    assert "Nhật ký nguyên vẹn" in err and "chưa đối chiếu được" in err
    conn = raw_store(counter0.path)  # an edited entry is still caught locally, offline
    conn.executescript("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'ai đó' WHERE seq = 1;")
    conn.close()
    code, _, err = _verify(counter0, capsys)
    assert code == 2 and "Mục nhật ký số 1 đã bị sửa" in err


@pytest.mark.parametrize("head", [{"seq": -1, "hash": "0" * 64}, {"seq": 1, "hash": "xyz"}, "not an object",
                                  {"seq": True, "hash": "0" * 64},  # a JSON true is not the number 1
                                  {"seq": 1, "hash": "0" * 64, "anchor_seq": False}])
def test_a_malformed_audit_head_is_a_400_and_stores_nothing(live, tokens, server_db, head) -> None:
    import httpx

    from counter_app.domain.ids import new_id

    body = json.dumps({"protocol": "qmc-sync/1", "batch_id": new_id(), "events": [], "audit_head": head})
    answer = httpx.post(f"{live.url}/v1/push", content=body, trust_env=False, verify=live.verify,
                        headers={"Authorization": f"Bearer {tokens['c0']}", "Content-Type": "application/json"})
    assert answer.status_code == 400 and "audit_head" in answer.json()["message"]
    assert all(h["seq"] is None for h in audit_heads.heads(server_db))
