"""The link to the district server is HTTPS with a pinned certificate (docs/protection.md): a
server that presents another certificate — swapped, or a stranger's in the middle — gets nothing
(not the token, not one event), sync stops with a Vietnamese message until the admin links again;
a self-made certificate is not trusted without its fingerprint; plain HTTP only when asked for."""

from __future__ import annotations

import pytest
from sqlmodel import select

from counter_app.db.models import Outbox
from counter_app.errors import UserError
from counter_app.services import settings
from counter_app.sync import commands, engine
from counter_app.sync.errors import CertificateRefused
from tests.server.helpers import LiveServer, assert_exactly_once, intake_many, link_to, server_dossiers


def _outbox(store) -> list[tuple]:  # noqa: ANN001 - Store
    with store.read() as session:
        return [(r.event_id, r.state, r.attempts, r.last_error, r.sent_at)
                for r in session.exec(select(Outbox).order_by(Outbox.seq)).all()]


def _link(store) -> tuple:  # noqa: ANN001 - Store
    with store.read() as session:
        return tuple(settings.get(session, key) for key in (engine.KEY_SERVER, engine.KEY_TOKEN,
                                                            engine.KEY_FINGERPRINT, engine.KEY_DEVICE))


def test_a_swapped_server_certificate_stops_sync_and_nothing_is_sent(server_db, tokens, counter0) -> None:
    with LiveServer(server_db) as first:
        link_to(counter0, first, tokens["c0"])
        port = first.port
    intake_many(counter0, 3)
    waiting, linked = _outbox(counter0), _link(counter0)
    # The same address, another server certificate (of another CA): swapped, or someone in the middle.
    with LiveServer(server_db, port=port, cert="stranger") as swapped:
        assert swapped.fingerprint != linked[2]
        for _ in range(2):  # and it stays stopped: no retry gets through either
            with pytest.raises(CertificateRefused) as caught:
                commands.sync_once(counter0)
            assert caught.value.message.startswith("Chứng chỉ của máy chủ huyện đã thay đổi")
            assert "hãy liên kết lại" in caught.value.message and swapped.fingerprint in caught.value.message
        assert commands.probe(counter0) is False
    assert server_dossiers(server_db) == []  # nothing pushed to it
    assert _outbox(counter0) == waiting  # not even a failed attempt noted against the events
    assert _link(counter0) == linked  # the link is kept, stopped, for the admin to renew
    status = commands.sync_status(counter0)
    assert status["last_error"]["permanent"] is True  # the window shows it; automatic retries stop
    assert status["last_error"]["message"] == caught.value.message
    assert status["fingerprint"] == linked[2]

    # The admin links again with the new fingerprint (add-device prints it): sync goes on.
    with LiveServer(server_db, port=port, cert="stranger") as renewed:
        link_to(counter0, renewed, tokens["c0"])
        assert commands.sync_once(counter0)["pushed"] == 3
    assert commands.sync_status(counter0)["last_error"] is None
    assert_exactly_once(server_db, counter0)


def test_link_without_a_fingerprint_to_a_self_made_certificate_is_refused_and_keeps_nothing(
        live, tokens, counter0) -> None:
    with pytest.raises(CertificateRefused, match="không được hệ thống tin cậy") as caught:
        commands.link(counter0, live.url, tokens["c0"], sleep=lambda _s: None)
    assert "--fingerprint" in caught.value.message  # what to do about it
    assert _link(counter0) == (None, None, None, None)
    with pytest.raises(CertificateRefused, match="đã thay đổi"):  # a wrong pin: the same, at once
        commands.link(counter0, live.url, tokens["c0"], fingerprint="AB" * 32, sleep=lambda _s: None)
    assert _link(counter0) == (None, None, None, None)


def test_plain_http_only_when_asked_for(server_db, tokens, counter0) -> None:
    with LiveServer(server_db, cert=None) as plain:
        with pytest.raises(UserError, match="--plain-http"):
            commands.link(counter0, plain.url, tokens["c0"])
        with pytest.raises(UserError, match="https://"):  # a pin means nothing over plain HTTP
            commands.link(counter0, plain.url, tokens["c0"], fingerprint="AB" * 32, plain_http=True)
        assert _link(counter0) == (None, None, None, None)
        assert commands.link(counter0, plain.url, tokens["c0"], plain_http=True)["fingerprint"] is None
        intake_many(counter0, 1)
        assert commands.sync_once(counter0)["pushed"] == 1


@pytest.mark.parametrize("typed", ["ab" * 32, " ".join(["AB"] * 32), ":".join(["ab"] * 32)])
def test_a_fingerprint_is_taken_as_pasted(typed: str) -> None:
    from counter_app.sync.pinning import normalise_fingerprint

    assert normalise_fingerprint(typed) == ":".join(["AB"] * 32)


@pytest.mark.parametrize("typed", ["AB:CD", "ZZ" * 32, "AB" * 33])
def test_a_mistyped_fingerprint_is_refused_in_vietnamese(typed: str) -> None:
    from counter_app.sync.pinning import normalise_fingerprint

    with pytest.raises(UserError, match="không hợp lệ"):
        normalise_fingerprint(typed)


def test_own_certificate_keys_are_owner_only_and_kept_across_starts(tmp_path) -> None:  # noqa: ANN001
    import os
    import stat

    from district_server.tls import names_for, server_certificate

    made = server_certificate(directory=tmp_path, names=names_for("10.0.0.5", ["dongbo.huyen.vn"]))
    if os.name == "posix":
        for key in ("ca-key.pem", "server-key.pem"):
            assert stat.S_IMODE((tmp_path / key).stat().st_mode) == 0o600
    again = server_certificate(directory=tmp_path, names=names_for("10.0.0.5", ["dongbo.huyen.vn"]))
    assert again.fingerprint == made.fingerprint and again.missing_names == ()
    assert server_certificate(directory=tmp_path, names=names_for("10.0.0.9")).missing_names == ("10.0.0.9",)


