"""Sync figures against a real `counter-server serve` process on loopback:

    .venv/bin/python bench/bench_sync.py            # everything; PostgreSQL parts need its binaries
    .venv/bin/python bench/bench_sync.py --quick    # smaller numbers, for a smoke run

1. 10,000 waiting events of one counter pushed by `sync_once` (target < 10 s), on SQLite and PostgreSQL;
2. server ingest in events/s with 20 counters (10 offices × 2) pushing batches at once, on both;
3. memory (RSS of the counter process and of the server process) sampled through a 100,000-event
   push: it must stay flat (batches, never the whole outbox, are in memory on either side);
4. a bare PostgreSQL COPY of the same event rows into the same table (same unique constraint and
   indexes), and the ratio of our ingest to it: the distance to the database's own limit.

Durability is on everywhere: SQLite with synchronous=FULL, PostgreSQL with fsync and synchronous_commit.
The events have the real outbox shape (one real intake is the template; ids, codes and times vary).
The throw-away PostgreSQL cluster comes from tests/server/pgcluster.py.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from counter_app import clock  # noqa: E402
from counter_app.db.store import Store  # noqa: E402
from counter_app.domain.codes import MAX_PER_COUNTER_PER_DAY, format_dossier_code, sequence_number  # noqa: E402
from counter_app.domain.ids import new_id  # noqa: E402
from counter_app.sync import commands  # noqa: E402
from counter_app.sync.client import SyncClient  # noqa: E402
from counter_app.sync.protocol import CLIENT_BATCH_EVENTS, canonical_json, event_key, payload_hash  # noqa: E402
from tests.server.helpers import intake_many, make_counter, outbox_payloads  # noqa: E402
from tests.server.pgcluster import PgCluster, find_pg_bin, free_port  # noqa: E402

AGENCY = "000.00.20.H12"


# --- realistic events -----------------------------------------------------------------------------


def template_payload(work: Path) -> dict[str, Any]:
    store = make_counter(work / "template", 0)
    intake_many(store, 1)
    payload = outbox_payloads(store)[0]
    store.close()
    return payload


def make_events(template: dict[str, Any], agency: str, counter: int, n: int, start_index: int = 0):  # noqa: ANN201
    """n intake payloads (dicts) for one counter, codes spread over earlier days (999 a day)."""
    base = clock.now().replace(hour=8, minute=0, second=0)
    for j in range(start_index, start_index + n):
        day = base - timedelta(days=1 + j // MAX_PER_COUNTER_PER_DAY)
        at = day + timedelta(seconds=j % MAX_PER_COUNTER_PER_DAY)
        code = format_dossier_code(agency, day.date(), sequence_number(counter, 1 + j % MAX_PER_COUNTER_PER_DAY))
        did, eid = new_id(), new_id()
        yield {**template, "event_id": eid, "dossier_id": did, "at": clock.iso(at),
               "dossier": {**template["dossier"], "id": did, "code": code, "agency_code": agency,
                           "received_at": clock.iso(at), "start_at": clock.iso(at),
                           "due_at": clock.iso(at + timedelta(days=3))}}


def fill_outbox(store: Store, template: dict[str, Any], n: int, chunk: int = 5000) -> None:
    """n waiting events straight into the outbox, a chunk at a time (memory stays small)."""
    from sqlalchemy import text

    with store.read() as session:
        from counter_app.services.office import require_office

        office = require_office(session)
    events = make_events(template, office.agency_code, office.counter, n)
    stamp = clock.iso(clock.now())
    done = 0
    while done < n:
        rows = []
        for payload in events:
            rows.append({"e": payload["event_id"], "d": payload["dossier_id"],
                         "p": json.dumps(payload, ensure_ascii=False, sort_keys=True), "c": stamp})
            if len(rows) == chunk:
                break
        with store.write() as session:
            session.execute(text("INSERT INTO outbox (event_id, dossier_id, kind, payload_json, created_at, attempts, "
                                 "last_error, state) VALUES (:e, :d, 'intake', :p, :c, 0, '', 'pending')"), rows)
        done += len(rows)


# --- the server process ---------------------------------------------------------------------------


class ServeProcess:
    """`python -m district_server --db URL serve --port P`, ready when uvicorn says so: HTTPS with its
    own certificate, as a district runs it (the counters pin its fingerprint, printed at start)."""

    def __init__(self, db_url: str, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.fingerprint: str | None = None
        command = [sys.executable, "-m", "district_server", "--db", db_url, "serve", "--port", str(self.port),
                   "--workers", str(workers)]
        self.proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in self.proc.stderr], daemon=True).start()
        deadline = time.monotonic() + 60
        said: list[str] = []
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if "(SHA-256): " in line:
                self.fingerprint = line.rsplit(" ", 1)[1].strip()
            said.append(line)
            # One process listens once it says "running"; several: once a worker's app started too.
            if any("Uvicorn running on" in x for x in said) and any("startup complete" in x for x in said):
                return
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)


def add_device(db_url: str, agency: str, counter: int) -> str:
    done = subprocess.run([sys.executable, "-m", "district_server", "--db", db_url, "add-device", "--agency-code",
                           agency, "--counter", str(counter)], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["token"]


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    def __init__(self, pids: dict[str, int | str], every: float = 0.1) -> None:
        self.pids = pids
        self.every = every
        self.samples: dict[str, list[float]] = {name: [] for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                self.samples[name].append(rss_mib(pid))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- the measurements ------------------------------------------------------------------------------


def bench_counter_push(db_url: str, template: dict[str, Any], work: Path, n: int, label: str) -> dict[str, Any]:
    token = add_device(db_url, AGENCY, 0)
    server = ServeProcess(db_url)
    try:
        store = make_counter(work / f"push-{label}", 0)
        fill_outbox(store, template, n)
        commands.link(store, server.url, token, fingerprint=server.fingerprint)
        t0 = time.perf_counter()
        summary = commands.sync_once(store)
        seconds = time.perf_counter() - t0
        store.close()
    finally:
        server.stop()
    assert summary["pushed"] == n and summary["pending"] == 0, summary
    return {"events": n, "seconds": round(seconds, 2), "events_per_s": round(n / seconds)}


def bench_ingest(db_url: str, template: dict[str, Any], counters: int, per_counter: int,
                 workers: int = 1) -> dict[str, Any]:
    """`counters` devices (two per office) each push `per_counter` events in batches, all at once."""
    devices = [(f"000.00.{20 + i // 2:02d}.H12", i % 2) for i in range(counters)]
    tokens = [add_device(db_url, agency, k) for agency, k in devices]
    bodies = []
    for agency, k in devices:
        events = [(p["event_id"], json.dumps(p, ensure_ascii=False, sort_keys=True))
                  for p in make_events(template, agency, k, per_counter)]
        bodies.append([(new_id(), [e[0] for e in events[i:i + CLIENT_BATCH_EVENTS]],
                        [e[1] for e in events[i:i + CLIENT_BATCH_EVENTS]])
                       for i in range(0, len(events), CLIENT_BATCH_EVENTS)])
    server = ServeProcess(db_url, workers)
    errors: list[BaseException] = []
    start = threading.Barrier(counters + 1)

    def push(token: str, batches: list) -> None:  # noqa: ANN001
        try:
            with SyncClient(server.url, token, fingerprint=server.fingerprint, timeout=httpx.Timeout(300.0)) as client:
                start.wait()
                for batch_id, ids, payloads in batches:
                    ack = client.push(batch_id, ids, payloads)
                    assert {r.result for r in ack.results} == {"stored"}
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=push, args=(t, b)) for t, b in zip(tokens, bodies, strict=True)]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
    finally:
        server.stop()
    if errors:
        raise errors[0]
    total = counters * per_counter
    return {"counters": counters, "workers": workers, "events": total, "seconds": round(seconds, 2),
            "events_per_s": round(total / seconds)}


def bench_memory(db_url: str, template: dict[str, Any], work: Path, n: int) -> dict[str, Any]:
    """The push runs in a fresh process (so its RSS is the push's, not this bench's), sampling its
    own RSS and the server's every 0.1 s."""
    token = add_device(db_url, AGENCY, 0)
    store = make_counter(work / "memory", 0)
    fill_outbox(store, template, n)
    server = ServeProcess(db_url)
    try:
        commands.link(store, server.url, token, fingerprint=server.fingerprint)
        store.close()
        done = subprocess.run([sys.executable, __file__, "--push-child", str(work / "memory"), "--server-pid",
                               str(server.proc.pid)], cwd=REPO, capture_output=True, text=True, check=True)
    finally:
        server.stop()
    result = json.loads(done.stdout)
    assert result["summary"]["pushed"] == n, result
    return {"events": n, "seconds": result["seconds"], "counter": result["counter"], "server": result["server"]}


def push_child(data_dir: str, server_pid: int) -> None:
    store = Store.open(Path(data_dir))
    gc.collect()
    with RssSampler({"counter": "self", "server": server_pid}) as sampler:
        t0 = time.perf_counter()
        summary = commands.sync_once(store)
        seconds = time.perf_counter() - t0

    def shape(samples: list[float]) -> dict[str, float]:
        tenth = max(1, len(samples) // 10)
        return {"start_mib": round(samples[0], 1), "after_10pct_mib": round(max(samples[:tenth]), 1),
                "peak_mib": round(max(samples), 1), "end_mib": round(samples[-1], 1)}

    print(json.dumps({"summary": summary, "seconds": round(seconds, 1), "counter": shape(sampler.samples["counter"]),
                      "server": shape(sampler.samples["server"])}))


def bench_copy(cluster: PgCluster, template: dict[str, Any], counters: int, per_counter: int) -> dict[str, Any]:
    """The same event rows, COPYed straight into the server's own `event` table (fresh database)."""
    import psycopg

    from district_server.database import open_database

    url = cluster.create_database(f"copy_{new_id()[:8]}")
    open_database(url).close()  # the same schema: unique event_id, the same indexes
    now = clock.iso(clock.now())
    rows = []
    for i in range(counters):
        agency, k = f"000.00.{20 + i // 2:02d}.H12", i % 2
        for p in make_events(template, agency, k, per_counter):
            rows.append((p["event_id"], p["dossier_id"], agency, new_id(), k, "counter", p["kind"], p["from_status"],
                         p["to_status"], p["at"], event_key(p["at"], p["event_id"]), payload_hash(p), canonical_json(p),
                         now))
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(
            "COPY event (event_id, dossier_id, agency_code, device_id, counter, origin, kind, from_status, to_status, "
            "at, sort_key, payload_hash, payload_json, received_at) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        seconds = time.perf_counter() - t0
    return {"events": len(rows), "seconds": round(seconds, 2), "events_per_s": round(len(rows) / seconds)}


@contextmanager
def sync_folders(work: Path) -> Iterator[None]:
    """The counters' default data folder and the servers' certificate inside `work` while it lasts,
    as main() sets them (and as they were after)."""
    saved = {k: os.environ.get(k) for k in ("COUNTER_APP_DATA", "COUNTER_SERVER_TLS_DIR")}
    os.environ["COUNTER_APP_DATA"] = str(work / "default")
    os.environ["COUNTER_SERVER_TLS_DIR"] = str(work / "server-tls")  # the servers' own certificate
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def summary_rows(push_n: int = 10_000, counters: int = 20, per_counter: int = 2_500) -> list[Any]:
    """Issue 17's sync rows for bench/summary.py: the push (goal < 0.7 s) on SQLite, the server's RSS
    through a longer push, and the district's ingest on PostgreSQL against a bare COPY of the same
    rows (goals ≥ ×0.5 of COPY, ≥ 25k events/s), the latter only where PostgreSQL's binaries are."""
    import bench_memory
    from figures import Figure, Goal

    work = Path(tempfile.mkdtemp(prefix="qmc-bench-sync-"))
    try:
        with sync_folders(work):
            template = template_payload(work)
            push = bench_counter_push(f"sqlite:///{work / 'push'}.sqlite3", template, work, push_n, "sqlite")
        figures = [Figure(f"push of {push_n:,} waiting events (SQLite server)", push["seconds"] * 1000, None,
                          Goal("ms", 700))]
        name, peak, first_tenth = bench_memory.server_row()
        figures.append(Figure(name, peak, first_tenth, Goal("ratio", 1.2, strict=False), unit="MiB"))
        bindir = find_pg_bin()
        if bindir is None:
            print("PostgreSQL binaries not found: the district ingest rows are skipped.", file=sys.stderr)
            return figures
        cluster = PgCluster(bindir, fsync=True).start()
        try:
            with sync_folders(work):
                ingest = bench_ingest(cluster.create_database(f"ingest_{new_id()[:8]}"), template, counters,
                                      per_counter)
            copy = bench_copy(cluster, template, counters, per_counter)
        finally:
            cluster.stop()
        events = counters * per_counter
        return figures + [
            Figure(f"district ingest, {counters} counters, PostgreSQL vs bare COPY ({ingest['events_per_s']:,}/s vs "
                   f"{copy['events_per_s']:,}/s)", ingest["seconds"] * 1000, copy["seconds"] * 1000,
                   Goal("ratio", 2, strict=False)),
            Figure(f"the same {events:,} events within 25k events/s", ingest["seconds"] * 1000, None,
                   Goal("ms", events / 25_000 * 1000, strict=False)),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small numbers (a smoke run)")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--push-child", help=argparse.SUPPRESS)
    ap.add_argument("--server-pid", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.push_child:
        push_child(args.push_child, args.server_pid)
        return
    push_n, counters, per_counter, memory_n = (1000, 4, 500, 5000) if args.quick else (10_000, 20, 2_500, 100_000)
    work = Path(tempfile.mkdtemp(prefix="qmc-bench-sync-"))
    os.environ.setdefault("COUNTER_APP_DATA", str(work / "default"))
    os.environ.setdefault("COUNTER_SERVER_TLS_DIR", str(work / "server-tls"))  # the servers' own certificate
    template = template_payload(work)
    bindir = None if args.skip_pg else find_pg_bin()
    cluster = PgCluster(bindir, fsync=True).start() if bindir else None
    results: dict[str, Any] = {}
    try:
        databases = {"sqlite": lambda name: f"sqlite:///{work / name}.sqlite3"}
        if cluster is not None:
            databases["postgresql"] = lambda name: cluster.create_database(f"{name}_{new_id()[:8]}".replace("-", "_"))
        else:
            print("PostgreSQL binaries not found: the PostgreSQL figures are skipped.", file=sys.stderr)
        for name, make_db in databases.items():
            print(f"[{name}] {push_n:,} waiting events pushed by one counter …", file=sys.stderr)
            results[f"push_{push_n}_{name}"] = bench_counter_push(make_db("push"), template, work, push_n, name)
            print(f"[{name}] ingest, {counters} counters at once …", file=sys.stderr)
            results[f"ingest_{counters}_counters_{name}"] = bench_ingest(make_db("ingest"), template, counters,
                                                                         per_counter)
        if cluster is not None:
            print(f"[postgresql] ingest, {counters} counters at once, 2 server processes …", file=sys.stderr)
            results[f"ingest_{counters}_counters_postgresql_2_workers"] = bench_ingest(
                databases["postgresql"]("ingest2"), template, counters, per_counter, workers=2)
        mem_db = "postgresql" if cluster is not None else "sqlite"
        print(f"[{mem_db}] memory through a {memory_n:,}-event push …", file=sys.stderr)
        results[f"memory_{memory_n}_{mem_db}"] = bench_memory(databases[mem_db]("memory"), template, work, memory_n)
        if cluster is not None:
            copy = bench_copy(cluster, template, counters, per_counter)
            results["postgresql_copy_same_rows"] = copy
            ingest = results[f"ingest_{counters}_counters_postgresql"]
            results["ingest_vs_copy_ratio"] = round(ingest["events_per_s"] / copy["events_per_s"], 3)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
