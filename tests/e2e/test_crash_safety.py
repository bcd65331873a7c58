"""A killed process loses nothing that was confirmed and leaves no gap or duplicate in the codes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import raw_store
from tests.e2e.test_cli import init

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(data: Path, rng: random.Random) -> list[str]:
    proc = subprocess.Popen([sys.executable, str(CHILD), str(data)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    acknowledged: list[str] = []
    target = rng.randrange(5, 40)
    deadline = time.monotonic() + 60
    while len(acknowledged) < target and time.monotonic() < deadline:
        line = proc.stdout.readline().strip()
        if line:
            acknowledged.append(line)
    time.sleep(rng.random() * 0.01)  # land the kill at a random point of the next transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    acknowledged += [x.strip() for x in proc.stdout.read().splitlines() if x.strip()]
    return acknowledged


def test_sigkill_during_intakes_loses_nothing_confirmed(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert init(data).returncode == 0
    rng = random.Random(20261121)
    confirmed: list[str] = []
    for _ in range(4):
        confirmed += _run_and_kill(data, rng)
    conn = raw_store(data / "counter.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        codes = [r[0] for r in conn.execute("SELECT code FROM dossier ORDER BY code")]
        assert len(codes) == len(set(codes))
        assert set(confirmed) <= set(codes)  # every acknowledged dossier is there
        numbers = [int(c[-4:]) for c in codes]
        assert numbers == list(range(1, len(numbers) + 1))  # no gap, no duplicate
        # each dossier has its first event and its outbox entry: written in the same transaction
        assert conn.execute("SELECT COUNT(*) FROM status_event").fetchone()[0] == len(codes)
        assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == len(codes)
        assert conn.execute("SELECT COUNT(*) FROM dossier_search").fetchone()[0] == len(codes)
    finally:
        conn.close()
    from counter_app.db.store import Store
    from counter_app.services import audit

    store = Store.open(data)
    with store.read() as session:
        assert audit.verify(session).ok
