"""A counter restored from an older backup gets its own later events back from the server (the
pull leaves a device's own events out, except when it asks after a restore): the later dossiers
are back, nothing is doubled, and the code counter does not issue again a code already used."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import func, select

from counter_app.cli import main as counter_app
from counter_app.db.models import Dossier, Outbox, StatusEvent
from counter_app.db.store import Store
from counter_app.services import settings
from counter_app.services.backup import make_backup
from counter_app.services.lookup import open_by_code
from counter_app.sync import commands, engine
from district_server import audit_heads
from district_server.review import list_reviews
from tests.conftest import OFFICE_PASSPHRASE
from tests.server.helpers import intake_many, link_to, move, server_dossiers

pytestmark = pytest.mark.usefixtures("cli_in_process")


def test_a_counter_restored_from_an_older_backup_gets_its_later_dossiers_back_without_doubles(
        live, tokens, counter0, counter1, server_db, tmp_path: Path, capsys, monkeypatch) -> None:
    link_to(counter0, live, tokens["c0"])
    link_to(counter1, live, tokens["c1"])
    early = intake_many(counter0, 2)
    commands.sync_once(counter0)
    backup = tmp_path / "truoc.qmcbak"
    make_backup(counter0, backup)
    later = intake_many(counter0, 2)
    move(counter0, early[0], 4)
    intake_many(counter1, 1)  # the other counter works too: its dossier comes down as always
    commands.sync_once(counter1)
    commands.sync_once(counter0)
    held = {d["id"]: d for d in server_dossiers(server_db)}
    assert len(held) == 5
    directory = counter0.path.parent
    counter0.close()

    monkeypatch.setattr("sys.stdin", io.StringIO(OFFICE_PASSPHRASE + "\n"))  # the office's passphrase, as typed
    assert counter_app(["--data-dir", str(directory), "restore", str(backup), "--passphrase-stdin"]) == 0
    assert "trước khi tiếp nhận hồ sơ mới" in capsys.readouterr().err
    store = Store.open(directory)
    try:
        with store.read() as session:
            assert session.exec(select(func.count()).select_from(Dossier)).one() == 2
            assert settings.get(session, engine.KEY_RECOVER_OWN) is True
        summary = commands.sync_once(store)
        assert summary["pending"] == 0 and summary["rejected"] == 0
        with store.read() as session:
            local = {d.id: d for d in session.exec(select(Dossier)).all()}
            assert set(local) == set(held)  # its own later dossiers are back, and counter 1's
            for did, d in held.items():
                assert local[did].code == d["code"] and local[did].status == d["status"]
            shown = open_by_code(session, held[later[1]]["code"])
            assert shown["sync"] == "synced"
            events = session.exec(select(StatusEvent.id)).all()
            assert len(events) == len(set(events)) == sum(len(d["history"]) for d in held.values())
            assert session.exec(select(func.count()).select_from(Outbox)).one() == 2  # nothing re-queued
            assert settings.get(session, engine.KEY_RECOVER_OWN) is False
        # The next intake takes the code after the last one used, not one the server holds already.
        (fresh,) = intake_many(store, 1)
        with store.read() as session:
            code = session.get(Dossier, fresh).code
        used = sorted(held[i]["code"] for i in early + later)
        assert code not in {d["code"] for d in held.values()} and code[-4:] == f"{int(used[-1][-4:]) + 1:04d}"
        assert commands.sync_once(store)["pushed"] == 1
        assert commands.sync_once(store)["pulled"] == 0  # back to pulling only the others' events
    finally:
        store.close()
    assert len(server_dossiers(server_db)) == 6 and list_reviews(server_db) == []
    # The restore rolled the audit trail back: the district sees it, as a break it can explain.
    (flagged,) = audit_heads.breaks(server_db)
    assert flagged["kind"] == "older" and flagged["counter"] == 0
