"""File upload throughput to a real `counter-server serve` process on loopback (issue 15: ≥ 50 MB/s):

    .venv/bin/python bench/bench_files.py             # a 64 MB file, each chunk size, 3 runs each
    .venv/bin/python bench/bench_files.py --quick     # 16 MB, the default chunk size only

Ours: `uploads.upload` of a new file (its local hash check, the HEAD, the chunks with their token
check and offset check under the shard's lock, the server's hash check, fsync and rename). The
baseline: bare httpx PUTs of the same chunks to a bare ASGI app under the same uvicorn that appends
each body to a file: the transport's own cost, with nothing of ours on top. Both servers are child
processes, so the client never shares a GIL with them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import httpx  # noqa: E402
from bench_sync import ServeProcess, add_device  # noqa: E402

from counter_app.sync import uploads  # noqa: E402
from counter_app.sync.client import SyncClient  # noqa: E402
from counter_app.sync.protocol_files import CHUNK_BYTES  # noqa: E402
from district_server.config import ENV_BLOBS  # noqa: E402

AGENCY = "000.00.20.H12"
GOAL_MB_S = 50.0
MB = 1024 * 1024

BARE_APP = '''
import os, sys
OUT = sys.argv[1]

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    with open(os.path.join(OUT, "bare.bin"), "ab") as out:
        while True:
            message = await receive()
            out.write(message.get("body", b""))
            if not message.get("more_body"):
                break
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})

if __name__ == "__main__":
    import uvicorn
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", lifespan="off")
'''


class BareServer:
    """The baseline's server: uvicorn and an ASGI function that appends what it receives."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        script = folder / "bare_app.py"
        script.write_text(BARE_APP)
        self.proc = subprocess.Popen([sys.executable, str(script), str(folder), str(self.port)], cwd=REPO)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.put(self.url, content=b"")
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("the bare server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def make_file(folder: Path, size: int) -> tuple[Path, str]:
    data = os.urandom(size)  # a scan compresses badly too; random bytes leave no shortcut
    path = folder / f"scan-{time.monotonic_ns()}.pdf"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def refer(db_url: str, sha: str) -> None:
    """The file's reference for the office, as the stored "digitised" event naming it leaves one
    (district_server/file_refs.py): the server takes a file only from an office that refers to it.
    Written before the clock starts: the event goes up with the dossier's events, not with the file."""
    from counter_app import clock
    from counter_app.domain.ids import new_id
    from district_server.database import Database
    from district_server.schema import file_ref

    db = Database(db_url)
    try:
        with db.engine.begin() as conn:
            conn.execute(file_ref.insert().values(event_id=new_id(), sha256=sha, agency_code=AGENCY,
                                                  dossier_id=new_id(), seen_at=clock.iso(clock.now())))
    finally:
        db.close()


def ours_seconds(client: SyncClient, folder: Path, size: int, chunk: int, db_url: str) -> float:
    path, sha = make_file(folder, size)  # a new file each run: never "already there"
    refer(db_url, sha)
    start = time.perf_counter()
    result = uploads.upload(client, sha, size, lambda: path.open("rb"), chunk_bytes=chunk)
    elapsed = time.perf_counter() - start
    assert result.outcome == "sent" and result.bytes_sent == size, result
    path.unlink()
    return elapsed


def bare_seconds(http: httpx.Client, url: str, folder: Path, size: int, chunk: int) -> float:
    path, _sha = make_file(folder, size)
    start = time.perf_counter()
    with path.open("rb") as stream:
        while block := stream.read(chunk):
            http.put(url, content=block).raise_for_status()
    elapsed = time.perf_counter() - start
    path.unlink()
    return elapsed


def measure(size: int, chunks: list[int], runs: int) -> list[tuple[int, float, float]]:
    """(chunk, our seconds, bare seconds) per chunk size: medians of `runs` runs taking turns."""
    work = Path(tempfile.mkdtemp(prefix="qmc-bench-files-"))
    os.environ[ENV_BLOBS] = str(work / "blobs")
    db_url = f"sqlite:///{work / 'district.sqlite3'}"
    token = add_device(db_url, AGENCY, 0)
    server = ServeProcess(db_url)
    bare = BareServer(work)
    rows = []
    try:
        with SyncClient(server.url, token, fingerprint=server.fingerprint) as client, \
                httpx.Client(timeout=60, trust_env=False) as http:
            ours_seconds(client, work, MB, CHUNK_BYTES, db_url)  # warm both: connections, imports
            bare_seconds(http, bare.url, work, MB, CHUNK_BYTES)
            for chunk in chunks:
                a, b = [], []
                for _ in range(runs):
                    a.append(ours_seconds(client, work, size, chunk, db_url))
                    b.append(bare_seconds(http, bare.url, work, size, chunk))
                rows.append((chunk, statistics.median(a), statistics.median(b)))
    finally:
        server.stop()
        bare.stop()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--mb", type=int, default=0, help="file size in MB (default 64, 16 with --quick)")
    args = parser.parse_args()
    size = (args.mb or (16 if args.quick else 64)) * MB
    chunks = [CHUNK_BYTES] if args.quick else [1 * MB, 4 * MB, 8 * MB]
    print(f"upload of a {size // MB} MB file to a local server; load {os.getloadavg()[0]:.2f}")
    print(f"{'chunk':>8}{'ours':>12}{'bare':>12}{'ratio':>8}")
    ok = True
    for chunk, ours_s, bare_s in measure(size, chunks, 1 if args.quick else 3):
        ours, bare = size / MB / ours_s, size / MB / bare_s
        mark = " (default)" if chunk == CHUNK_BYTES else ""
        print(f"{chunk // MB:>6} MB{ours:>8.0f} MB/s{bare:>7.0f} MB/s{bare / ours:>7.2f}×{mark}")
        if chunk == CHUNK_BYTES:
            ok = ours >= GOAL_MB_S
    print(f"goal: ≥ {GOAL_MB_S:.0f} MB/s at the default chunk size: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
