"""Issue 17's memory rows: the counter window's and the district server's peak RSS must not grow with
the number of dossiers. Both run in fresh processes, so what is measured is theirs alone.

    .venv/bin/python bench/bench_memory.py --data-dir DIR     (DIR: a store made by make_dataset.py)

- the window: bench_ui.py's in-window run (list opens under every filter, a search typed key by key,
  scans to the return view, slip previews, the attention list) with DIR's store open, against the
  same run on a small store of SMALL_STORE dossiers made beside it by make_dataset.py. The peak is
  the process's high-water mark (VmHWM), so a burst between two samples is not missed;
- the server: one counter pushing SERVER_EVENTS intakes to a `counter-server serve` process
  (bench_sync.bench_memory, on SQLite), its RSS sampled every 0.1 s: the peak against the highest
  value in the first tenth of the push, when it held a tenth of the dossiers it ends with.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

SMALL_STORE = 100_000
SERVER_EVENTS = 50_000
PEAK_LINE = "peak RSS of the window:"


def peak_rss_mib() -> float:
    """This process's high-water mark of resident memory (Linux /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def window_run(data_dir: Path, scans: int = 20) -> dict[str, float]:
    """bench_ui's in-window run on the store in a process of its own: its peak RSS in MiB and the
    keystroke-to-results median and worst, in ms."""
    from bench_ui import KEYSTROKE_LINE

    done = subprocess.run([sys.executable, str(BENCH / "bench_ui.py"), "--data-dir", str(data_dir), "--starts", "0",
                           "--scans", str(scans), "--peak-rss"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
    if done.returncode != 0:
        raise RuntimeError(f"bench_ui.py failed on {data_dir}:\n{done.stderr[-2000:]}")
    found: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if line.startswith(PEAK_LINE):
            found["peak_mib"] = float(line.split(":", 1)[1].split()[0])
        elif line.startswith(KEYSTROKE_LINE):
            found["key_median_ms"], found["key_worst_ms"] = map(float, line.split(":", 1)[1].split())
    if len(found) != 3:
        raise RuntimeError(f"bench_ui.py did not print its peak RSS and keystroke times:\n{done.stdout[-2000:]}")
    return found


def make_small_store(folder: Path, count: int = SMALL_STORE) -> Path:
    subprocess.run([sys.executable, str(BENCH / "make_dataset.py"), "--data-dir", str(folder), "--count", str(count),
                    "--passphrase", "bench small store phrase"], cwd=ROOT, capture_output=True, text=True, check=True)
    return folder


def window_rows(data_dir: Path, dossiers: int) -> tuple[tuple[str, float, float], dict[str, float]]:
    """((name, peak MiB on DIR's store, peak MiB on the small one), DIR's whole run)."""
    with tempfile.TemporaryDirectory(prefix="qmc-bench-small-") as folder:
        small = window_run(make_small_store(Path(folder) / "store"))
    run = window_run(data_dir)
    return (f"window peak RSS, {dossiers:,} vs {SMALL_STORE:,} dossiers", run["peak_mib"], small["peak_mib"]), run


def server_row(n: int = SERVER_EVENTS) -> tuple[str, float, float]:
    """(name, the server's peak MiB through the push, its highest in the push's first tenth)."""
    import shutil

    import bench_sync

    work = Path(tempfile.mkdtemp(prefix="qmc-bench-memory-"))
    try:
        with bench_sync.sync_folders(work):
            template = bench_sync.template_payload(work)
            shape = bench_sync.bench_memory(f"sqlite:///{work / 'memory'}.sqlite3", template, work, n)["server"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return f"server peak RSS through a {n:,}-event push vs its first tenth", shape["peak_mib"], \
        shape["after_10pct_mib"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--events", type=int, default=SERVER_EVENTS)
    args = ap.parse_args()
    from summary import bare_connect

    con = bare_connect(Path(args.data_dir) / "counter.sqlite3", readonly=True)
    dossiers = con.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    con.close()
    rows = [window_rows(Path(args.data_dir), dossiers)[0], server_row(args.events)]
    print(json.dumps([{"name": n, "now_mib": round(a, 1), "baseline_mib": round(b, 1), "ratio": round(a / b, 3)}
                      for n, a, b in rows], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
