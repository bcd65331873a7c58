"""Who may read a digitised file on the district server (district_server/file_refs.py, docs/sync.md
"Files"): the office whose stored "digitised" event names it, for the events stored before the
table existed (migration 0007) as for those stored since. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from counter_app.digitise.vault import FileVault
from counter_app.domain.ids import new_id
from counter_app.sync.protocol import canonical_json, event_key
from district_server.app import create_app
from district_server.auth import add_device
from district_server.blobs import BlobStore
from district_server.database import Database
from district_server.schema import file_ref
from tests.conftest import AGENCY
from tests.server.helpers import auth, batch_body, intake_many, outbox_payloads

OTHER = "000.00.21.H12"


def digitised(counter, component: int = 1) -> dict[str, Any]:  # noqa: ANN001 - Store
    """The counter digitises a page of its latest dossier: the "digitised" event it then sends."""
    from PIL import Image

    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach
    from tests.conftest import clerk

    code = outbox_payloads(counter)[-1]["dossier"]["code"]
    page = io.BytesIO()
    Image.new("L", (200, 280), "white").save(page, "JPEG")
    attach(Desk(counter, clerk()), code, [page.getvalue()], component=component)
    payload = outbox_payloads(counter)[-1]
    assert payload["kind"] == "digitised"
    return payload


def held_file(blobs: Path, data: bytes) -> str:
    """The file's bytes in the district's blob store (as if sent); its hash."""
    sha = hashlib.sha256(data).hexdigest()
    assert BlobStore(blobs).append(sha, 0, len(data), data).complete
    return sha


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Any]:
    def make(db: Database) -> TestClient:
        return TestClient(create_app(db, blob_dir=tmp_path / "blobs"))
    yield make


def test_the_offices_counters_read_the_file_its_digitised_event_names_and_another_office_cannot(
        server_db: Database, counter0, tmp_path: Path, web) -> None:  # noqa: ANN001
    mine, other = add_device(server_db, AGENCY, 1)[1], add_device(server_db, OTHER, 0)[1]
    pusher = add_device(server_db, AGENCY, 0)[1]
    intake_many(counter0, 1)
    paper = digitised(counter0)
    sha = paper["details"]["sha256"]
    with web(server_db) as client:
        answer = client.post("/v1/push", content=batch_body(outbox_payloads(counter0)), headers=auth(pusher))
        assert [r["result"] for r in answer.json()["results"]] == ["stored", "stored"]
        pdf = FileVault.of(counter0).read(sha)
        assert held_file(tmp_path / "blobs", pdf) == sha
        got = client.get(f"/v1/files/{sha}", headers=auth(mine))
        assert got.status_code == 200 and got.content == pdf
        assert client.get(f"/v1/files/{sha}", headers=auth(other)).status_code == 404
    with server_db.engine.connect() as conn:
        (ref,) = conn.execute(sa.select(file_ref)).mappings().all()
    assert (ref["sha256"], ref["agency_code"], ref["dossier_id"], ref["event_id"]) == (
        sha, AGENCY, paper["dossier_id"], paper["event_id"])


def test_a_hash_in_another_kind_of_event_gives_no_right_to_read_the_file(server_db: Database, counter0,  # noqa: ANN001
                                                                         tmp_path: Path, web) -> None:
    pusher = add_device(server_db, AGENCY, 0)[1]
    (did,) = intake_many(counter0, 1)
    intake = outbox_payloads(counter0)[0]
    sha = held_file(tmp_path / "blobs", os.urandom(300))
    note = {**intake, "event_id": new_id(), "kind": "note", "from_status": 2, "to_status": 2,
            "details": {"sha256": sha, "files": [{"sha256": sha}]}}
    with web(server_db) as client:
        answer = client.post("/v1/push", content=batch_body([intake, note]), headers=auth(pusher))
        assert [r["result"] for r in answer.json()["results"]] == ["stored", "stored"]
        assert client.get(f"/v1/files/{sha}", headers=auth(pusher)).status_code == 404
    with server_db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(file_ref)).scalar() == 0


def test_the_digitised_events_held_before_the_upgrade_let_their_office_read_the_files(
        db_url: str, counter0, tmp_path: Path, web) -> None:  # noqa: ANN001
    (did,) = intake_many(counter0, 1)
    paper = digitised(counter0)
    intake = outbox_payloads(counter0)[0]
    sha = paper["details"]["sha256"]
    broken = {**paper, "event_id": new_id(), "details": {**paper["details"], "sha256": "not-a-hash"}}
    elsewhere = {**paper, "event_id": new_id(), "dossier_id": new_id()}  # another office's dossier, another file
    other_sha = held_file(tmp_path / "blobs", os.urandom(500))
    elsewhere["details"] = {**paper["details"], "sha256": other_sha, "code": f"{OTHER}-260101-0001"}
    old = Database(db_url)
    try:
        old.migrate("0005")
        dev, token = add_device(old, AGENCY, 0)
        other_dev, other_token = add_device(old, OTHER, 0)
        with old.write(AGENCY) as conn:  # what the previous build held
            for p, agency, device_id in ((intake, AGENCY, dev.id), (paper, AGENCY, dev.id), (broken, AGENCY, dev.id),
                                         (elsewhere, OTHER, other_dev.id)):
                conn.execute(sa.text(
                    "INSERT INTO event (event_id, dossier_id, agency_code, device_id, counter, origin, kind, "
                    "from_status, to_status, at, sort_key, payload_hash, payload_json, received_at, batch_id) "
                    "VALUES (:e, :d, :a, :dev, 0, 'counter', :k, :f, :t, :at, :key, 'h', :j, :at, NULL)"),
                    {"e": p["event_id"], "d": p["dossier_id"], "a": agency, "dev": device_id, "k": p["kind"],
                     "f": p["from_status"], "t": p["to_status"], "at": p["at"],
                     "key": event_key(p["at"], p["event_id"]),
                     "j": canonical_json(p)})
            conn.execute(sa.text(
                "INSERT INTO dossier (id, agency_code, code, counter, status, procedure_code, received_at, due_at, "
                "returned_at, last_key, last_event_id, created_at, updated_at) VALUES (:d, :a, :c, 0, 2, :p, :r, "
                ":due, NULL, :key, :e, :r, :r)"),
                {"d": did, "a": AGENCY, "c": intake["dossier"]["code"], "p": intake["dossier"]["procedure_code"],
                 "r": intake["dossier"]["received_at"], "due": intake["dossier"]["due_at"],
                 "key": event_key(paper["at"], paper["event_id"]), "e": paper["event_id"]})
    finally:
        old.close()
    pdf = FileVault.of(counter0).read(sha)
    assert held_file(tmp_path / "blobs", pdf) == sha

    db = Database(db_url)
    try:
        db.migrate()
        with db.engine.connect() as conn:
            refs = sorted(conn.execute(sa.select(file_ref.c.sha256, file_ref.c.agency_code, file_ref.c.event_id))
                          .all())
        assert refs == sorted([(sha, AGENCY, paper["event_id"]), (other_sha, OTHER, elsewhere["event_id"])])
        with db.engine.connect() as conn:  # what the digitisation indicators count (migration 0008)
            kind, component = conn.execute(sa.select(file_ref.c.file_kind, file_ref.c.component)
                                           .where(file_ref.c.event_id == paper["event_id"])).one()
            papers = conn.execute(sa.text("SELECT papers FROM dossier WHERE id = :d"), {"d": did}).scalar()
        assert (kind, component) == ("component", 1)
        assert papers == len(intake["dossier"]["documents"]) > 0
        with web(db) as client:
            got = client.get(f"/v1/files/{sha}", headers=auth(token))
            assert got.status_code == 200 and got.content == pdf
            assert client.get(f"/v1/files/{sha}", headers=auth(other_token)).status_code == 404
            assert client.get(f"/v1/files/{other_sha}", headers=auth(other_token)).status_code == 200
            assert client.get(f"/v1/files/{other_sha}", headers=auth(token)).status_code == 404
            # A digitised event received after the upgrade adds its file for its office.
            digitised(counter0, component=0)
            answer = client.post("/v1/push", content=batch_body(outbox_payloads(counter0)[-1:]),
                                 headers=auth(token))
            assert [r["result"] for r in answer.json()["results"]] == ["stored"], answer.json()
        with db.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(file_ref)
                                .where(file_ref.c.agency_code == AGENCY)).scalar() == 2
    finally:
        db.close()


def test_a_digitised_event_that_waited_for_its_intake_lets_the_office_read_the_file_once_applied(
        server_db: Database, counter0, web) -> None:  # noqa: ANN001
    from district_server.file_refs import office_refers

    pusher = add_device(server_db, AGENCY, 0)[1]
    intake_many(counter0, 1)
    intake, paper = outbox_payloads(counter0)[0], digitised(counter0)
    sha = paper["details"]["sha256"]
    with web(server_db) as client:
        early = client.post("/v1/push", content=batch_body([paper]), headers=auth(pusher)).json()
        assert [r["code"] for r in early["results"]] == ["waiting"]  # kept until its intake arrives
        assert not office_refers(server_db, AGENCY, sha)
        late = client.post("/v1/push", content=batch_body([intake]), headers=auth(pusher)).json()
        assert [r["result"] for r in late["results"]] == ["stored"]
    assert office_refers(server_db, AGENCY, sha)
