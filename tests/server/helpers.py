"""Real servers and real counters for the sync tests, and the one invariant every fault test ends
with: the server holds every dossier exactly once, with its latest status and its whole history."""

from __future__ import annotations

import atexit
import functools
import json
import queue
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn
from sqlmodel import select

from counter_app import clock
from counter_app.db.models import Dossier, Outbox
from counter_app.db.store import Store
from counter_app.domain.codes import MAX_PER_COUNTER_PER_DAY, format_dossier_code, sequence_number
from counter_app.domain.ids import new_id
from counter_app.services import catalogue, intake
from counter_app.services.office import init_office, require_office
from counter_app.sync.protocol import event_key
from district_server.app import Hooks, create_app
from district_server.database import Database
from district_server.dossiers import iter_dossiers
from district_server.schema import event
from district_server.tls import CA_CERT, ServerCertificate, names_for, server_certificate
from tests.conftest import AGENCY, OFFICE_PASSPHRASE, TEST_PROCEDURES, applicant, clerk

REPO = Path(__file__).resolve().parents[2]
WAIT = 60.0  # upper bound for anything awaited; reaching it is a failure, not a pass


# --- servers --------------------------------------------------------------------------------------


def _listening_socket(port: int = 0) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a server started again on its port
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    return sock


def certificate(which: str = "district") -> ServerCertificate:
    """A server certificate of our own (its own CA, as `counter-server serve` makes one), made once
    per test process: "district" is every test server's; any other name is another CA's (a
    server whose certificate was swapped)."""
    return _made(which)


@functools.cache
def _made(which: str) -> ServerCertificate:
    directory = Path(tempfile.mkdtemp(prefix=f"qmc-tls-{which}-"))
    atexit.register(shutil.rmtree, directory, True)
    return server_certificate(directory=directory, names=names_for())


def trusting(cert: ServerCertificate) -> ssl.SSLContext:
    """A TLS context for a test's own httpx client that trusts `cert`'s CA (names checked)."""
    return ssl.create_default_context(cafile=str(cert.cert_file.parent / CA_CERT))


def link_to(store: Store, server: LiveServer | ServerProcess | Any, token: str, **options: Any) -> dict[str, Any]:
    """`commands.link` to a test server (or a proxy in front of it), pinning its certificate."""
    from counter_app.sync import commands

    return commands.link(store, server.url, token, fingerprint=server.fingerprint, **options)


class LiveServer:
    """uvicorn in a thread of the test process, on its own loopback port, HTTPS with `cert` (the
    test servers' own certificate unless told; None: plain HTTP)."""

    def __init__(self, db: Database, hooks: Hooks | None = None, *, port: int = 0,
                 cert: ServerCertificate | None | str = "district", blob_dir: Path | None = None,
                 public_url: str | None = None) -> None:
        self.cert = certificate(cert) if isinstance(cert, str) else cert
        self.sock = _listening_socket(port)
        self.port = self.sock.getsockname()[1]
        tls: dict[str, Any] = {}
        if self.cert is not None:
            tls = {"ssl_certfile": str(self.cert.cert_file), "ssl_keyfile": str(self.cert.key_file)}
        self.url = f"{'https' if self.cert else 'http'}://127.0.0.1:{self.port}"
        self.fingerprint = self.cert.fingerprint if self.cert else None
        self.verify: ssl.SSLContext | bool = trusting(self.cert) if self.cert else True
        self.ca_file = str(self.cert.cert_file.parent / CA_CERT) if self.cert else None
        app = create_app(db, hooks=hooks, blob_dir=blob_dir, public_url=public_url)
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", **tls))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()  # the socket already listens: no need to wait for start-up
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT)
        self.sock.close()


class ServerProcess:
    """The server in a child process (tests/server/serve_for_tests.py) that a test can kill -9 and
    start again on the same port: the listening socket belongs to the test and is inherited."""

    def __init__(self, db_url: str, log_dir: Path) -> None:
        self.db_url = db_url
        self.log_dir = log_dir
        self.sock = _listening_socket()
        self.sock.set_inheritable(True)
        self.cert = certificate()
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        self.fingerprint = self.cert.fingerprint
        self.verify = trusting(self.cert)
        self.proc: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str] = queue.Queue()
        self.starts = 0

    def start(self, *flags: str) -> ServerProcess:
        self.starts += 1
        fd = self.sock.fileno()
        stderr = (self.log_dir / f"server-{self.starts}.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.server.serve_for_tests", "--db", self.db_url, "--fd", str(fd),
             "--cert", str(self.cert.cert_file), "--key", str(self.cert.key_file), *flags],
            cwd=REPO, pass_fds=[fd], stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
        stderr.close()
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc, self.lines), daemon=True).start()
        self.expect("READY")
        return self

    @staticmethod
    def _read(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))

    def expect(self, prefix: str, timeout: float = WAIT) -> str:
        """The next stdout line, which must start with `prefix` (awaited, never polled)."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the server never printed {prefix!r}; see {self.log_dir}") from None
        assert line.startswith(prefix), line
        return line

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: no clean-up, like a power cut of the server process
            self.proc.wait(WAIT)

    def close(self) -> None:
        self.kill()
        self.sock.close()


# --- counters -------------------------------------------------------------------------------------


def make_counter(directory: Path, counter: int, agency: str = AGENCY) -> Store:
    store = Store.open(directory, passphrase=OFFICE_PASSPHRASE)  # the office's passphrase: its backups restore
    specs = catalogue.parse_procedures([(f"#{i}", p) for i, p in enumerate(TEST_PROCEDURES, 1)])
    with store.write() as session:
        init_office(session, agency_code=agency, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=counter)
        catalogue.import_procedures(session, specs)
    return store


def intake_many(store: Store, n: int, *, name: str = "Nguyễn Văn Đức", one_transaction: bool = True) -> list[str]:
    """n dossiers through the real intake service (each with its outbox entry); their ids. Past 900,
    they are spread over earlier days (a counter issues at most 999 codes a day)."""
    ids: list[str] = []
    today = clock.now().replace(hour=9, minute=0, second=0)

    def request(i: int) -> intake.IntakeRequest:
        data: dict[str, Any] = {"procedure_code": "9.000003", "applicant": applicant(full_name=name)}
        if i >= 900:
            data["received_at"] = clock.iso(today - timedelta(days=i // 900))
        return intake.parse_intake(data)

    if one_transaction:
        with store.write() as session:
            for i in range(n):
                ids.append(intake.create_dossier(session, request(i), actor=clerk("Cán bộ thử")).dossier["id"])
        return ids
    for i in range(n):
        with store.write() as session:
            ids.append(intake.create_dossier(session, request(i), actor=clerk("Cán bộ thử")).dossier["id"])
    return ids


def fake_backlog(store: Store, n: int) -> list[str]:
    """n waiting intake events shaped exactly like the real ones (one real intake is the template),
    written straight into the outbox: big push and pull tests and the bench need thousands in
    seconds, and only the outbox is read by a push. Codes use earlier days, 999 a day."""
    intake_many(store, 1)
    template = outbox_payloads(store)[-1]
    with store.read() as session:
        office = require_office(session)
    start = clock.now().replace(hour=8, minute=0, second=0)
    rows = []
    ids = []
    for i in range(n):
        day = start - timedelta(days=1 + i // MAX_PER_COUNTER_PER_DAY)
        received = day + timedelta(seconds=i % MAX_PER_COUNTER_PER_DAY)
        code = format_dossier_code(office.agency_code, day.date(),
                                   sequence_number(office.counter, 1 + i % MAX_PER_COUNTER_PER_DAY))
        did, eid = new_id(), new_id()
        payload = {**template, "event_id": eid, "dossier_id": did, "at": clock.iso(received),
                   "dossier": {**template["dossier"], "id": did, "code": code, "received_at": clock.iso(received),
                               "start_at": clock.iso(received),
                               "due_at": clock.iso(received + timedelta(days=3))}}
        rows.append({"event_id": eid, "dossier_id": did, "kind": "intake",
                     "payload_json": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                     "created_at": clock.iso(clock.now()), "attempts": 0, "last_error": "", "state": "pending"})
        ids.append(did)
    with store.write() as session:
        session.execute(sa.text("INSERT INTO outbox (event_id, dossier_id, kind, payload_json, created_at, attempts, "
                                "last_error, state) VALUES (:event_id, :dossier_id, :kind, :payload_json, "
                                ":created_at, :attempts, :last_error, :state)"), rows)
    return ids


def move(store: Store, dossier_id: str, new_status: int, note: str = "") -> str:
    """A status move through the workflow service (10 is the return of the result); its event id."""
    from counter_app.services import workflow

    actor = clerk("Cán bộ thử")
    with store.write() as session:
        code = session.get(Dossier, dossier_id).code
        if new_status == 10:
            workflow.return_result(session, code, workflow.Recipient("Nguyễn Văn Đức"), actor=actor)
        else:
            workflow.move(session, code, new_status, actor=actor,
                          note=note or ("Lý do thử" if new_status in (5, 7, 8) else ""))
        return session.exec(select(Outbox.event_id).where(Outbox.dossier_id == dossier_id)
                            .order_by(Outbox.seq.desc())).first()


def outbox_states(store: Store) -> Counter[str]:
    with store.read() as session:
        return Counter(session.exec(select(Outbox.state)).all())


def unsent(store: Store) -> int:
    with store.read() as session:
        return len(session.exec(select(Outbox.seq).where(Outbox.sent_at == None)).all())  # noqa: E711


# --- the invariant --------------------------------------------------------------------------------


def local_truth(*stores: Store, rejected: frozenset[str] | set[str] = frozenset()) -> dict[str, dict[str, Any]]:
    """What the counters recorded themselves (their outboxes): per dossier, its code, its events and
    the status of its latest event (protocol.event_key: time, then id), across all counters."""
    out: dict[str, dict[str, Any]] = {}
    for store in stores:
        for p in outbox_payloads(store):
            if p["event_id"] in rejected:
                continue
            entry = out.setdefault(p["dossier_id"], {"code": p["dossier"]["code"], "events": set(), "latest": ""})
            entry["events"].add(p["event_id"])
            key = event_key(p["at"], p["event_id"])
            if key > entry["latest"]:
                entry["latest"], entry["status"] = key, p["to_status"]
    return out


def server_dossiers(db: Database) -> list[dict[str, Any]]:
    return list(iter_dossiers(db))


def assert_exactly_once(
    db: Database, *stores: Store, rejected: frozenset[str] | set[str] = frozenset()
) -> list[dict[str, Any]]:
    """Every dossier of every counter is on the server once, with its latest status, and its history
    is exactly the events the counters recorded (each once, oldest first). `rejected` event ids were
    refused for review and are expected to be missing."""
    held = server_dossiers(db)
    ids = [d["id"] for d in held]
    assert len(ids) == len(set(ids)), "a dossier is held twice"
    codes = [d["code"] for d in held]
    assert len(codes) == len(set(codes)), "a dossier code is held twice"
    with db.engine.connect() as conn:
        doubled = conn.execute(sa.select(event.c.event_id).group_by(event.c.event_id)
                               .having(sa.func.count() > 1)).all()
    assert not doubled, f"events held twice: {doubled[:3]}"
    by_id = {d["id"]: d for d in held}
    expected = local_truth(*stores, rejected=rejected)
    assert set(by_id) == set(expected), (
        f"missing on server: {len(set(expected) - set(by_id))}, unknown on server: {len(set(by_id) - set(expected))}")
    for did, truth in expected.items():
        d = by_id[did]
        history = [h["event_id"] for h in d["history"]]
        assert len(history) == len(set(history))
        assert set(history) == truth["events"], f"history of {d['code']} differs"
        assert d["code"] == truth["code"]
        assert d["status"] == truth["status"], f"{d['code']}: server {d['status']}, counter {truth['status']}"
        assert d["history"][-1]["status"] == d["status"]
        times = [h["at"] for h in d["history"]]
        assert [clock.parse_iso(t) for t in times] == sorted(clock.parse_iso(t) for t in times)
    return held


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def refused(response: httpx.Response, status: int, code: str) -> str:
    """The server's error body, checked (status, marker, code, a message); the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["protocol"] == "qmc-sync/1" and body["error"] == code
    assert body["message"] and "Traceback" not in body["message"]
    return body["message"]


def batch_body(events: list[dict[str, Any]], batch_id: str | None = None) -> bytes:
    return json.dumps({"protocol": "qmc-sync/1", "batch_id": batch_id or new_id(), "events": events},
                      ensure_ascii=False).encode()


def outbox_payloads(store: Store) -> list[dict[str, Any]]:
    with store.read() as session:
        return [json.loads(p) for p in session.exec(select(Outbox.payload_json).order_by(Outbox.seq)).all()]
