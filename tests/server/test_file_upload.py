"""Digitised files going up to the district and back down to the office's other counters, against a
real server (uvicorn on loopback, one per module) and its blob folder. SQLite only: files live on
disk, not in the database."""

from __future__ import annotations

import hashlib
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import httpx
import pytest
import sqlalchemy as sa

from counter_app.db.models import Dossier
from counter_app.sync import commands, uploads
from counter_app.sync.client import SyncClient
from counter_app.sync.errors import SyncRefused
from counter_app.sync.protocol_files import MAX_CHUNK_BYTES, MAX_FILE_BYTES
from district_server.auth import add_device
from district_server.database import Database, open_database
from tests.conftest import AGENCY
from tests.server.helpers import LiveServer, intake_many, make_counter, outbox_states, refused

OTHER = "000.00.21.H12"
CHUNK = 64 * 1024  # small chunks: several per file, so "cut midway" has a middle


class Office:
    def __init__(self, server: LiveServer, db: Database, blobs: Path, tokens: dict[str, str]) -> None:
        self.url, self.db, self.blobs, self.tokens = server.url, db, blobs, tokens
        self.fingerprint, self.ca_file = server.fingerprint, server.ca_file  # HTTPS, its certificate pinned
        self.http = httpx.Client(verify=server.verify)  # a bare client for the raw requests

    def client(self, who: str = "c0") -> SyncClient:
        return SyncClient(self.url, self.tokens[who], fingerprint=self.fingerprint)

    def kept(self) -> list[str]:
        """Everything in the blob folder (a lock file left behind would show here)."""
        return sorted(p.name for p in self.blobs.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    root = tmp_path_factory.mktemp("files")
    db = open_database(f"sqlite:///{root / 'district.sqlite3'}")
    tokens = {"c0": add_device(db, AGENCY, 0)[1], "c1": add_device(db, AGENCY, 1)[1],
              "other": add_device(db, OTHER, 0)[1]}
    with LiveServer(db, blob_dir=root / "blobs") as server:
        yield Office(server, db, root / "blobs", tokens)
    db.close()


def a_scan(tmp_path: Path, name: str = "scan.pdf", size: int = 5 * CHUNK + 123, *,
           named_in: Database | None = None, agency: str = AGENCY) -> tuple[Path, str, bytes]:
    """A scanned file on the counter; `named_in`: that server holds a "digitised" event of `agency`
    naming it (what lets the office's devices send and read it)."""
    data = os.urandom(size)  # every test its own content: the module's server is shared
    path = tmp_path / name
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    if named_in is not None:
        named(named_in, sha, agency)
    return path, sha, data


def named(db: Database, sha: str, agency: str = AGENCY) -> None:
    """What ingest writes when it stores a "digitised" event of `agency` naming the file."""
    from counter_app.domain.ids import new_id
    from district_server.schema import file_ref

    with db.write() as conn:
        conn.execute(sa.insert(file_ref).values(event_id=new_id(), sha256=sha, agency_code=agency,
                                                dossier_id=new_id(), seen_at="2026-01-01T00:00:00+00:00"))


def headers(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


class Queue:
    """A file store's queue, as the engine sees it (uploads.FileQueue)."""

    def __init__(self, *files: tuple[str, int, Path]) -> None:
        self.files = list(files)
        self.sent: list[str] = []

    def pending_files(self) -> list[tuple[str, int, Callable[[], BinaryIO]]]:
        return [(sha, size, lambda p=path: open(p, "rb")) for sha, size, path in self.files if sha not in self.sent]

    def mark_sent(self, sha256: str) -> None:
        self.sent.append(sha256)


# --- up -------------------------------------------------------------------------------------------


def test_a_file_sent_twice_is_stored_once(office: Office, tmp_path: Path) -> None:
    path, sha, data = a_scan(tmp_path, named_in=office.db)
    with office.client("c0") as client:
        first = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK)
    assert first.outcome == "sent" and first.bytes_sent == len(data)
    with office.client("c1") as client:  # the same paper digitised again at the other counter
        again = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK)
    assert again.outcome == "already_there" and again.bytes_sent == 0 and again.complete
    assert [n for n in office.kept() if n.startswith(sha[:8])] == [sha]
    assert (office.blobs / sha[:2] / sha).read_bytes() == data


def test_a_transfer_cut_midway_resumes_at_the_servers_offset(office: Office, tmp_path: Path) -> None:
    path, sha, data = a_scan(tmp_path, named_in=office.db)
    chunks = iter(range(100))
    with office.client() as client:
        # The counter switched off after two chunks: `stop` says so before the third.
        cut = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK,
                             stop=lambda: next(chunks) >= 2)
        assert cut.outcome == "paused" and cut.bytes_sent == 2 * CHUNK
        assert uploads.held(client, sha) == (2 * CHUNK, False)
        assert (office.blobs / sha[:2] / f"{sha}.part").stat().st_size == 2 * CHUNK
        resumed = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK)
    assert resumed.outcome == "sent" and resumed.resumed_from == 2 * CHUNK
    assert resumed.bytes_sent == len(data) - 2 * CHUNK  # nothing sent twice
    assert (office.blobs / sha[:2] / sha).read_bytes() == data
    assert not (office.blobs / sha[:2] / f"{sha}.part").exists()


def test_a_chunk_cut_off_mid_body_leaves_the_partial_as_it_was(office: Office, tmp_path: Path) -> None:
    from urllib.parse import urlsplit

    from district_server import blobs

    mb = 1024 * 1024
    path, sha, data = a_scan(tmp_path, size=4 * mb, named_in=office.db)
    with office.client() as client:
        uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=mb,
                       stop=iter([False, True]).__next__)
        assert uploads.held(client, sha) == (mb, False)
    where = urlsplit(office.url)
    tls = ssl.create_default_context(cafile=office.ca_file)
    with socket.create_connection((where.hostname, where.port)) as plain, \
            tls.wrap_socket(plain, server_hostname=where.hostname) as raw:  # switched off 2.5 MB into a 3 MB chunk
        raw.sendall((f"PUT /v1/files/{sha} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {office.tokens['c0']}\r\n"
                     f"Content-Range: bytes {mb}-{4 * mb - 1}/{4 * mb}\r\nContent-Length: {3 * mb}\r\n\r\n").encode())
        raw.sendall(data[mb:mb + 5 * mb // 2])
    blobs._RUNNING.clear()  # and the server restarted: the hash so far is read from the partial again
    deadline = time.monotonic() + 60
    with office.client() as client:
        # The server writes what arrived as it arrives, and cuts it back once it sees the line drop.
        while uploads.held(client, sha) != (mb, False) and time.monotonic() < deadline:
            pass
        while (resumed := uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=mb)).outcome \
                == "busy" and time.monotonic() < deadline:
            pass  # its lock is let go just after
    assert resumed.outcome == "sent" and resumed.resumed_from == mb and resumed.bytes_sent == 3 * mb
    assert (office.blobs / sha[:2] / sha).read_bytes() == data


def test_a_file_cut_after_its_last_byte_is_checked_on_the_next_try(office: Office, tmp_path: Path) -> None:
    # The server went down between writing the last chunk and checking it: every byte is there.
    path, sha, data = a_scan(tmp_path, size=1000, named_in=office.db)
    (office.blobs / sha[:2]).mkdir(parents=True, exist_ok=True)
    (office.blobs / sha[:2] / f"{sha}.part").write_bytes(data)
    with office.client() as client:
        result = uploads.upload(client, sha, len(data), lambda: path.open("rb"))
    assert result.outcome == "sent" and result.bytes_sent == 0 and result.resumed_from == len(data)
    assert (office.blobs / sha[:2] / sha).read_bytes() == data


def test_a_corrupted_file_is_refused_and_nothing_is_kept(office: Office, tmp_path: Path) -> None:
    _path, sha, data = a_scan(tmp_path, size=2 * CHUNK, named_in=office.db)
    damaged = bytearray(data)
    damaged[-1] ^= 0xFF  # one bit changed on the way
    token = office.tokens["c0"]
    first = office.http.put(f"{office.url}/v1/files/{sha}", content=bytes(damaged[:CHUNK]),
                      headers=headers(token, **{"Content-Range": f"bytes 0-{CHUNK - 1}/{2 * CHUNK}"}))
    assert first.status_code == 200 and first.json()["received"] == CHUNK
    last = office.http.put(f"{office.url}/v1/files/{sha}", content=bytes(damaged[CHUNK:]),
                     headers=headers(token, **{"Content-Range": f"bytes {CHUNK}-{2 * CHUNK - 1}/{2 * CHUNK}"}))
    assert "mã băm" in refused(last, 422, "hash_mismatch")
    assert not [n for n in office.kept() if n.startswith(sha)]
    with office.client() as client:
        assert uploads.held(client, sha) == (0, False)


def test_a_file_changed_on_the_counter_is_not_sent(office: Office, tmp_path: Path) -> None:
    path, sha, data = a_scan(tmp_path, named_in=office.db)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # altered after it was recorded
    with office.client() as client:
        result = uploads.upload(client, sha, len(data), lambda: path.open("rb"))
        assert result.outcome == "damaged" and "files verify" in result.message and result.bytes_sent == 0
        assert uploads.held(client, sha) == (0, False)
        path.unlink()
        gone = uploads.upload(client, sha, len(data), lambda: path.open("rb"))
    assert gone.outcome == "damaged" and "không còn" in gone.message


def test_a_chunk_at_the_wrong_offset_gets_409_naming_the_offset(office: Office, tmp_path: Path) -> None:
    _path, sha, data = a_scan(tmp_path, size=3 * CHUNK, named_in=office.db)
    url, token, total = f"{office.url}/v1/files/{sha}", office.tokens["c0"], len(data)
    assert office.http.put(url, content=data[:CHUNK], headers=headers(
        token, **{"Content-Range": f"bytes 0-{CHUNK - 1}/{total}"})).status_code == 200
    for first in (0, 2 * CHUNK):  # sent again, and one skipped
        answer = office.http.put(url, content=data[first:first + CHUNK], headers=headers(
            token, **{"Content-Range": f"bytes {first}-{first + CHUNK - 1}/{total}"}))
        assert f"từ byte {CHUNK}" in refused(answer, 409, "wrong_offset")
        assert answer.json()["offset"] == CHUNK and answer.headers["Upload-Offset"] == str(CHUNK)
    assert (office.blobs / sha[:2] / f"{sha}.part").read_bytes() == data[:CHUNK]


def test_two_counters_sending_the_same_file_at_once_store_it_once(office: Office, tmp_path: Path) -> None:
    path, sha, data = a_scan(tmp_path, size=40 * CHUNK, named_in=office.db)
    results: dict[str, uploads.UploadResult] = {}
    start = threading.Barrier(2)

    def send(who: str) -> None:
        with office.client(who) as client:
            start.wait()
            results[who] = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK)

    threads = [threading.Thread(target=send, args=(who,)) for who in ("c0", "c1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # One sends it; the other finds it there, or is told the server is receiving it right now.
    assert sorted(r.outcome for r in results.values()) in (["already_there", "sent"], ["busy", "sent"],
                                                           ["sent", "sent"]), results
    assert sum(r.bytes_sent for r in results.values()) <= len(data)  # no chunk taken twice
    with office.client("c1") as client:
        assert uploads.upload(client, sha, len(data), lambda: path.open("rb")).outcome == "already_there"
    assert (office.blobs / sha[:2] / sha).read_bytes() == data
    assert [n for n in office.kept() if n.startswith(sha)] == [sha]


def test_a_partial_upload_abandoned_for_a_month_is_dropped_when_the_server_starts(tmp_path: Path) -> None:
    from district_server.app import create_app
    from district_server.blobs import PARTIAL_MAX_AGE_S

    shard = tmp_path / "blobs" / "ab"
    shard.mkdir(parents=True)
    old, recent = shard / f"{'ab' * 32}.part", shard / f"{'ab' * 31}cd.part"
    for part in (old, recent):
        part.write_bytes(b"x" * 10)
    month_ago = time.time() - PARTIAL_MAX_AGE_S - 60
    os.utime(old, (month_ago, month_ago))
    db = open_database(f"sqlite:///{tmp_path / 'district.sqlite3'}")
    try:
        create_app(db, blob_dir=tmp_path / "blobs")
    finally:
        db.close()
    assert not old.exists() and recent.exists()


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sha", "extra", "body", "status", "code"), [
    ("nothex", {"Content-Range": "bytes 0-0/1"}, b"x", 400, "bad_request"),
    ("ab" * 32, {}, b"x", 400, "bad_range"),
    ("ab" * 32, {"Content-Range": "bytes 5-2/10"}, b"x", 400, "bad_range"),
    ("ab" * 32, {"Content-Range": "bytes 0-9/10"}, b"short", 400, "bad_length"),
    ("ab" * 32, {"Content-Range": f"bytes 0-0/{MAX_FILE_BYTES + 1}"}, b"x", 413, "too_large"),
    ("ab" * 32, {"Content-Range": f"bytes 0-{MAX_CHUNK_BYTES}/{MAX_FILE_BYTES}"}, b"x", 413, "too_large"),
    ("ab" * 32, {"Content-Range": "bytes 0-0/1", "Content-Encoding": "gzip"}, b"x", 400, "bad_encoding"),
])
def test_a_chunk_the_server_cannot_take_is_refused_in_vietnamese(office: Office, sha: str, extra: dict[str, str],
                                                                 body: bytes, status: int, code: str) -> None:
    answer = office.http.put(f"{office.url}/v1/files/{sha}", content=body,
                             headers=headers(office.tokens["c0"], **extra))
    refused(answer, status, code)
    assert not (office.blobs / "ab" / f"{'ab' * 32}.part").exists()


def test_files_need_a_device_token(office: Office) -> None:
    for method in ("PUT", "GET"):
        refused(office.http.request(method, f"{office.url}/v1/files/{'cd' * 32}", headers=headers("qmc_wrong")), 401,
                "bad_token")
    assert office.http.head(f"{office.url}/v1/files/{'cd' * 32}").status_code == 401


# --- down -----------------------------------------------------------------------------------------


class Sent:
    def __init__(self, sha: str, data: bytes, code: str) -> None:
        self.sha, self.data, self.code = sha, data, code


@pytest.fixture(scope="module")
def sent(office: Office, tmp_path_factory: pytest.TempPathFactory) -> Sent:
    """A dossier taken in at counter 0 with a paper digitised, synced: its events, then the scan."""
    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach
    from counter_app.digitise.vault import FileVault
    from tests.conftest import clerk
    from tests.unit.test_digitise import scan

    folder = tmp_path_factory.mktemp("sent")
    counter0 = make_counter(folder / "counter0", 0)
    try:
        (dossier_id,) = intake_many(counter0, 1)
        with counter0.read() as session:
            code = session.get(Dossier, dossier_id).code
        kept = attach(Desk(counter0, clerk()), code, [scan(3)], component=1)
        commands.link(counter0, office.url, office.tokens["c0"], fingerprint=office.fingerprint)
        summary = commands.sync_once(counter0)
        data = FileVault.of(counter0).read(kept.file.sha256)
    finally:
        counter0.close()
    assert summary["pushed"] == 2 and summary["files_sent"] == 1 and summary["files_waiting"] == 0
    return Sent(kept.file.sha256, data, code)


def test_another_counter_of_the_office_downloads_it_and_another_office_cannot(office: Office, sent: Sent,
                                                                              tmp_path: Path) -> None:
    with office.client("c1") as client:
        assert uploads.download(client, sent.sha) == sent.data
    with office.client("other") as client, pytest.raises(SyncRefused) as no:
        uploads.download(client, sent.sha)
    assert no.value.code == "no_file"
    # A file the server holds but none of the office's events names is not served either.
    _p, loose, loose_data = a_scan(tmp_path, "loose.pdf", 100, named_in=office.db, agency=OTHER)
    with office.client("other") as client:
        assert uploads.upload(client, loose, len(loose_data), lambda: _p.open("rb")).outcome == "sent"
    with office.client("c1") as client, pytest.raises(SyncRefused) as no:
        uploads.download(client, loose)
    assert no.value.code == "no_file"


def test_another_office_cannot_tell_whether_the_server_holds_a_file(office: Office, tmp_path: Path) -> None:
    path, sha, data = a_scan(tmp_path, named_in=office.db)  # a paper of this office only
    _p, nobodys, _d = a_scan(tmp_path, "nobody.pdf", 100)  # a file no office sent
    chunks = iter(range(100))
    with office.client("c0") as client:
        cut = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK,
                             stop=lambda: next(chunks) >= 2)
    assert cut.outcome == "paused"
    other = office.tokens["other"]

    def asked_by_the_other_office(target: str) -> None:
        url = f"{office.url}/v1/files/{target}"
        head = office.http.head(url, headers=headers(other))
        assert head.status_code == 404 and "Upload-Offset" not in head.headers and "Upload-Complete" not in head.headers
        refused(office.http.put(url, content=data[:CHUNK], headers=headers(
            other, **{"Content-Range": f"bytes 0-{CHUNK - 1}/{len(data)}"})), 404, "no_file")
        refused(office.http.get(url, headers=headers(other)), 404, "no_file")

    for target in (sha, nobodys):  # half sent, and never sent: the same answers
        asked_by_the_other_office(target)
    assert (office.blobs / sha[:2] / f"{sha}.part").stat().st_size == 2 * CHUNK  # its PUT wrote nothing
    assert not (office.blobs / nobodys[:2] / f"{nobodys}.part").exists()
    with office.client("c0") as client:  # the counter that sends it resumes where the server is
        assert uploads.held(client, sha) == (2 * CHUNK, False)
        resumed = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK)
    assert resumed.outcome == "sent" and resumed.resumed_from == 2 * CHUNK
    asked_by_the_other_office(sha)  # whole now: still nothing to see
    with office.client("c1") as client:  # the office's other counters see it
        assert uploads.held(client, sha) == (len(data), True)
    # Once the other office digitised the same paper, its counter finds the file there: stored once.
    named(office.db, sha, OTHER)
    with office.client("other") as client:
        again = uploads.upload(client, sha, len(data), lambda: path.open("rb"), chunk_bytes=CHUNK)
    assert again.outcome == "already_there" and again.bytes_sent == 0


def test_the_district_staff_see_a_dossiers_files_and_download_them(office: Office, sent: Sent) -> None:
    from fastapi.testclient import TestClient

    from district_server import staff
    from district_server.app import create_app
    from tests.server.web_helpers import PASSWORD, log_in, quick_hashes, text_of

    with quick_hashes():
        staff.add_staff(office.db, "lanhdao", "Cán bộ lãnh đạo", "leader", PASSWORD)
        with TestClient(create_app(office.db, blob_dir=office.blobs), follow_redirects=False) as web:
            assert log_in(web, "lanhdao").status_code == 303
            home = text_of(web.get("/quan-tri/").text)
            page = web.get(f"/quan-tri/ho-so/{sent.code}")
            assert page.status_code == 200 and "Giấy tờ số hoá" in page.text and sent.sha[:12] in page.text
            got = web.get(f"/quan-tri/tep/{sent.sha}")
            assert got.status_code == 200 and got.content == sent.data
            missing = web.get(f"/quan-tri/tep/{'0' * 64}")
            assert missing.status_code == 404 and "chưa có tệp này" in missing.text
            assert web.get("/quan-tri/tep/..%2F..%2Fetc%2Fpasswd").status_code == 404
    held = len([n for n in office.kept() if not n.endswith(".part")])
    assert f"Tệp số hoá đã nhận {held} " in home
    with office.db.engine.connect() as conn:
        from district_server.schema import staff_audit

        audited = conn.execute(sa.select(staff_audit.c.target).where(staff_audit.c.action == "file.download")).all()
    assert (sent.sha,) in audited


# --- the engine -----------------------------------------------------------------------------------


def test_the_events_are_synced_even_when_the_file_upload_fails(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'district.sqlite3'}")
    token = add_device(db, AGENCY, 0)[1]
    (tmp_path / "not-a-folder").write_text("x")  # a blob folder the server cannot use
    counter0 = make_counter(tmp_path / "counter0", 0)
    try:
        with LiveServer(db, blob_dir=tmp_path / "not-a-folder") as server:
            path, sha, data = a_scan(tmp_path, named_in=db)
            intake_many(counter0, 2)
            commands.link(counter0, server.url, token, fingerprint=server.fingerprint)
            queue = Queue((sha, len(data), path))
            summary = commands.sync_once(counter0, files=queue)
            status = commands.sync_status(counter0)
    finally:
        counter0.close()
        db.close()
    assert summary["pushed"] == 2 and summary["pending"] == 0
    assert summary["files_sent"] == 0 and summary["files_waiting"] == 1 and "HTTP 503" in summary["files_error"]
    assert queue.sent == [] and status["last_error"] is None and status["last_success"]


def test_a_new_event_pauses_the_file_so_it_goes_up_next_pass(office: Office, tmp_path: Path) -> None:
    counter0 = make_counter(tmp_path / "counter2", 2)  # its own codes: the module's server is shared
    try:
        commands.link(counter0, office.url, add_device(office.db, AGENCY, 2)[1], fingerprint=office.fingerprint)
        path, sha, data = a_scan(tmp_path, size=4 * 1024 * 1024 + 7, named_in=office.db)  # two default chunks

        class Busy(Queue):
            def pending_files(self) -> list[tuple[str, int, Callable[[], BinaryIO]]]:
                intake_many(counter0, 1)  # an intake while the file waits its turn
                return super().pending_files()

        queue = Busy((sha, len(data), path))
        summary = commands.sync_once(counter0, files=queue)
        assert summary["files_sent"] == 0 and summary["files_waiting"] == 1 and outbox_states(counter0) == {
            "pending": 1}
        queue.__class__ = Queue
        again = commands.sync_once(counter0, files=queue)
    finally:
        counter0.close()
    assert again["pushed"] == 1 and again["files_sent"] == 1 and queue.sent == [sha]


def test_a_token_revoked_before_the_files_leaves_them_waiting_and_the_events_synced(office: Office,
                                                                                    tmp_path: Path) -> None:
    from district_server.auth import revoke_device

    dev, token = add_device(office.db, AGENCY, 4)
    counter4 = make_counter(tmp_path / "counter4", 4)
    try:
        commands.link(counter4, office.url, token, fingerprint=office.fingerprint)
        intake_many(counter4, 1)
        path, sha, data = a_scan(tmp_path, named_in=office.db)

        class Revoked(Queue):
            def pending_files(self) -> list[tuple[str, int, Callable[[], BinaryIO]]]:
                revoke_device(office.db, dev.id)  # the district revokes the counter just after its events
                return super().pending_files()

        queue = Revoked((sha, len(data), path))
        summary = commands.sync_once(counter4, files=queue)
    finally:
        counter4.close()
    assert summary["pushed"] == 1 and summary["pending"] == 0
    assert summary["files_waiting"] == 1 and "thu hồi" in summary["files_error"] and queue.sent == []


def test_a_paper_digitised_at_the_counter_goes_up_after_its_event_once_and_the_office_reads_it(
        office: Office, tmp_path: Path) -> None:
    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach
    from counter_app.digitise.upload_queue import StoreFiles
    from tests.conftest import clerk
    from tests.unit.test_digitise import scan  # a scanner's JPEG page

    counter5 = make_counter(tmp_path / "counter5", 5)
    try:
        (dossier_id,) = intake_many(counter5, 1)
        with counter5.read() as session:
            code = session.get(Dossier, dossier_id).code
        kept = attach(Desk(counter5, clerk("cb.an")), code, [scan(1)], component=0, name="Bản sao giấy khai sinh")
        assert StoreFiles(counter5).pending_files() == []  # before any sync: the file waits for its event
        commands.link(counter5, office.url, add_device(office.db, AGENCY, 5)[1], fingerprint=office.fingerprint)
        first = commands.sync_once(counter5)  # the events go up, then the file the acknowledged event names
        second = commands.sync_once(counter5)
    finally:
        counter5.close()
    assert first["pushed"] == 2 and first["files_sent"] == 1 and first["files_waiting"] == 0
    assert "files_sent" not in second  # sent once: nothing waits, so the summary says nothing of files
    with office.client("c1") as client:
        assert len(uploads.download(client, kept.file.sha256)) == kept.file.size


def test_a_paper_another_counter_digitised_is_listed_here_and_fetched_when_the_dossier_is_opened(
        office: Office, tmp_path: Path) -> None:
    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach, fetch_missing, file_bytes, files, not_here, verify_files
    from counter_app.services import backup
    from tests.conftest import clerk
    from tests.unit.test_digitise import scan  # a scanner's JPEG page

    maker, reader = make_counter(tmp_path / "counter7", 7), make_counter(tmp_path / "counter8", 8)
    try:
        (dossier_id,) = intake_many(maker, 1)
        with maker.read() as session:
            code = session.get(Dossier, dossier_id).code
        kept = attach(Desk(maker, clerk("cb.an")), code, [scan(3)], component=1)
        pdf = file_bytes(Desk(maker, clerk("cb.an")), code, kept.file.sha256)
        commands.link(maker, office.url, add_device(office.db, AGENCY, 7)[1], fingerprint=office.fingerprint)
        assert commands.sync_once(maker)["files_sent"] == 1

        desk = Desk(reader, clerk("cb.binh"))
        commands.link(reader, office.url, add_device(office.db, AGENCY, 8)[1], fingerprint=office.fingerprint)
        commands.sync_once(reader)
        [listed] = files(desk, code)  # the other counter's paper, as its event came down
        assert (listed.sha256, listed.component_index, listed.pages) == (kept.file.sha256, 1, kept.file.pages)
        assert not_here(desk, code) == [listed]
        assert verify_files(desk).ok  # at the district, not lost: files verify does not miss it
        assert backup.make_backup(reader, tmp_path / "b.qmcbak").files_missing == 0
        fetched = fetch_missing(desk, code)
        assert fetched.files == 1 and "Đã tải 1" in fetched.message
        assert file_bytes(desk, code, kept.file.sha256) == pdf and not_here(desk, code) == []
        raw = next(p for p in (reader.path.parent / "files").rglob("*.qmcf")).read_bytes()
        assert not raw.startswith(b"%PDF")  # sealed here too, under this counter's own key
        assert verify_files(desk).ok and fetch_missing(desk, code) == fetch_missing(desk, code)
    finally:
        maker.close()
        reader.close()


def test_fetching_a_paper_with_the_server_down_says_so_and_keeps_nothing(office: Office, tmp_path: Path) -> None:
    from counter_app.desk import Desk
    from counter_app.desk_digitise import fetch_missing, files
    from counter_app.services import settings
    from counter_app.sync import engine
    from tests.conftest import clerk

    reader = make_counter(tmp_path / "counter9", 9)
    try:
        commands.link(reader, office.url, add_device(office.db, AGENCY, 9)[1], fingerprint=office.fingerprint)
        commands.sync_once(reader)  # the earlier tests' dossiers and their papers come down
        code = _a_dossier_with_papers(reader)
        with reader.write() as session:
            settings.put(session, engine.KEY_SERVER, f"https://127.0.0.1:{_free_port()}")
        desk = Desk(reader, clerk("cb.binh"))
        before = len(files(desk, code))
        fetched = fetch_missing(desk, code)
        assert fetched.files == 0 and "Chưa tải được" in fetched.message
        assert not (reader.path.parent / "files").exists() or not any((reader.path.parent / "files").rglob("*.qmcf"))
        assert len(files(desk, code)) == before
    finally:
        reader.close()


def _a_dossier_with_papers(store) -> str:  # noqa: ANN001 - Store
    with store.read() as session:
        return session.connection().exec_driver_sql(
            "SELECT d.code FROM dossier_file f JOIN dossier d ON d.id = f.dossier_id").first()[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
