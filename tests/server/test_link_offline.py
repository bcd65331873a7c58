"""`link` on a commune's flaky line: transient failures are retried a few times with a growing
wait; a server that cannot be reached at all leaves the link kept but unverified (exit 3, said in
Vietnamese), and the first sync that reaches the server verifies it — or undoes it when the server
refuses the token. A refused token at link time is refused at once, with nothing kept."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from counter_app.db.models import AuditEntry
from counter_app.services import settings
from counter_app.sync import commands, engine
from counter_app.sync.errors import ServerUnreachable, SyncRefused
from tests.server.faultproxy import FaultProxy
from tests.server.helpers import assert_exactly_once, intake_many, link_to, server_dossiers
from tests.server.pgcluster import free_port

pytestmark = pytest.mark.usefixtures("cli_in_process")


def _link_state(store) -> tuple:  # noqa: ANN001
    with store.read() as session:
        return (settings.get(session, engine.KEY_SERVER), settings.get(session, engine.KEY_TOKEN),
                settings.get(session, engine.KEY_DEVICE))


def test_link_retries_a_flaky_line_with_a_growing_wait_then_links(live, tokens, counter0) -> None:
    waits: list[float] = []
    with FaultProxy(live.url) as proxy:
        proxy.then("fail_500", "portal", "drop_after")  # three bad answers, then the server's own
        linked = link_to(counter0, proxy, tokens["c0"], sleep=waits.append)
    assert linked["verified"] is True and linked["counter"] == 0
    assert waits == [1.0, 2.0, 4.0]  # bounded: four tries in all
    assert proxy.seen[:4] == ["fail_500", "portal", "drop_after", "forward"]
    assert _link_state(counter0)[2]["device_id"] == linked["device_id"]


def test_a_counter_set_up_while_the_line_is_down_is_verified_on_its_first_sync(live, tokens, counter0,
                                                                             server_db) -> None:
    waits: list[float] = []
    down = f"https://127.0.0.1:{free_port()}"
    with pytest.raises(ServerUnreachable) as caught:
        commands.link(counter0, down, tokens["c0"], sleep=waits.append, timeout=2.0, fingerprint=live.fingerprint)
    assert waits == [1.0, 2.0, 4.0]
    assert "CHƯA xác minh" in caught.value.message and "lần đồng bộ đầu tiên" in caught.value.message
    assert caught.value.summary == {"server": down, "fingerprint": live.fingerprint, "linked": True,
                                    "verified": False}
    assert _link_state(counter0) == (down, tokens["c0"], None)
    status = commands.sync_status(counter0)
    assert status["linked"] is True and status["verified"] is False
    intake_many(counter0, 2)  # the counter works meanwhile
    with counter0.write() as session:  # the line comes back (the server is where the proxy was)
        settings.put(session, engine.KEY_SERVER, live.url)
    assert commands.sync_once(counter0)["pushed"] == 2
    assert commands.sync_status(counter0)["verified"] is True
    assert _link_state(counter0)[2]["counter"] == 0
    assert_exactly_once(server_db, counter0)
    with counter0.read() as session:
        actions = [e.action for e in session.exec(select(AuditEntry)).all()]
    assert "sync_link" in actions and "sync_link_verified" in actions


def test_an_unverified_link_whose_token_is_refused_is_undone_at_the_first_sync(live, tokens, counter0,
                                                                              server_db) -> None:
    down = f"https://127.0.0.1:{free_port()}"
    with pytest.raises(ServerUnreachable):
        commands.link(counter0, down, "qmc_typed-wrong", sleep=lambda _s: None, timeout=2.0,
                      fingerprint=live.fingerprint)
    intake_many(counter0, 1)
    with counter0.write() as session:
        settings.put(session, engine.KEY_SERVER, live.url)
    with pytest.raises(SyncRefused, match="kết nối đã bị hủy"):
        commands.sync_once(counter0)
    assert _link_state(counter0) == (None, None, None)
    assert commands.sync_status(counter0)["pending"] == 1  # the work stays for the right token
    assert server_dossiers(server_db) == []
    # The same with a token of another counter number: refused, undone.
    with pytest.raises(ServerUnreachable):
        commands.link(counter0, down, tokens["c1"], sleep=lambda _s: None, timeout=2.0,
                      fingerprint=live.fingerprint)
    with counter0.write() as session:
        settings.put(session, engine.KEY_SERVER, live.url)
    with pytest.raises(SyncRefused, match="quầy số 1"):
        commands.sync_once(counter0)
    assert _link_state(counter0) == (None, None, None)


def test_a_refused_token_is_refused_at_once_and_nothing_is_kept(live, tokens, counter0) -> None:
    waits: list[float] = []
    with pytest.raises(SyncRefused, match="token"):
        link_to(counter0, live, "qmc_not-a-real-token", sleep=waits.append)
    assert waits == []  # no retry of a refusal
    assert _link_state(counter0) == (None, None, None)


def test_link_from_the_command_line_exits_3_in_vietnamese_when_the_server_is_down(counter0, live, tokens, capsys,
                                                                                 monkeypatch) -> None:
    from counter_app.cli import main as counter_app

    monkeypatch.setattr(commands, "LINK_BACKOFF", (0.0,))  # the waits are tested above; here what the officer reads
    directory = str(counter0.path.parent)
    down = f"https://127.0.0.1:{free_port()}"
    capsys.readouterr()
    assert counter_app(["--data-dir", directory, "link", "--server", down, "--token", tokens["c0"],
                        "--fingerprint", live.fingerprint]) == 3
    out, err = capsys.readouterr()
    assert json.loads(out) == {"server": down, "fingerprint": live.fingerprint, "linked": True, "verified": False}
    assert "CHƯA xác minh" in err and "Connection refused" in err and "gửi lại" not in err
    assert counter_app(["--data-dir", directory, "link", "--server", live.url, "--token", "qmc_wrong",
                        "--fingerprint", live.fingerprint]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "token" in err and len(err.strip().splitlines()) == 1
    assert _link_state(counter0) == (down, tokens["c0"], None)  # the refused one changed nothing
