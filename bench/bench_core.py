"""Core figures on a big store (make one first with bench/make_dataset.py):

    .venv/bin/python bench/bench_core.py --data-dir /tmp/qmc-1m

- look-up by code (what a scan does), median and p95 over random existing codes;
- folded name search, first page, for common and rare queries;
- one intake committed through the service (dossier + documents + event + outbox + search row,
  synchronous FULL), median over N, against a bare sqlite3 insert of the same rows with the same
  durability, and the ratio (our distance to the limit);
- the store's size on disk per 1M dossiers.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import samples as timed  # noqa: E402

from counter_app.db import keys  # noqa: E402
from counter_app.db.store import Store, raw_connection  # noqa: E402
from counter_app.domain.actor import Actor
from counter_app.services import intake  # noqa: E402
from counter_app.services.lookup import open_by_code  # noqa: E402
from counter_app.services.search import find_by_code, search  # noqa: E402


def ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1] if len(samples) >= 20 else samples[-1]
    return f"median {statistics.median(samples) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   (n={len(samples)})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--intakes", type=int, default=200)
    args = ap.parse_args()
    source = Path(args.data_dir)
    store = Store.open(source)
    with store.read() as session:
        total = session.execute(__import__("sqlalchemy").text("SELECT COUNT(*) FROM dossier")).scalar()
        codes = [r[0] for r in session.execute(__import__("sqlalchemy").text(
            "SELECT code FROM dossier WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM dossier) "
            "FROM dossier LIMIT 1000)")).all()]
    print(f"store: {total:,} dossiers, {(source / 'counter.sqlite3').stat().st_size / 2**20:.0f} MiB "
          f"({(source / 'counter.sqlite3').stat().st_size / max(total, 1) * 1e6 / 2**30:.2f} GiB per 1M)")

    rng = random.Random(1)
    with store.read() as session:
        print("look-up by code (find_by_code, the indexed row):",
              ms(timed(lambda: find_by_code(session, rng.choice(codes)), 1000)))
        print("look-up by code (open_by_code, full dossier):  ",
              ms(timed(lambda: open_by_code(session, rng.choice(codes)), 1000)))
        for query in ("nguyen", "nguyen van", "nguyen thi h", "tran duc", "duc", "ly thi oanh", "xyz"):
            t = timed(lambda q=query: search(session, q), 30)
            print(f"name search first page {query!r:18}", ms(t))
        print("ID number search:                           ",
              ms(timed(lambda: search(session, "001090123456"), 100)))
    store.close()

    # Intake on a copy, so the dataset stays as made.
    work = Path(tempfile.mkdtemp(prefix="qmc-bench-"))
    try:
        for name in ("counter.sqlite3", keys.KEYS_FILE, keys.LOCAL_KEY_FILE):  # the store and its key
            if (source / name).exists():
                shutil.copy(source / name, work / name)
        copy = Store.open(work)
        request = intake.parse_intake({
            "procedure_code": "2.000815",
            "applicant": {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "phone": "0912345678",
                          "address": "Thôn Đông, phường Bình Mỹ"}})
        samples = []
        for _ in range(args.intakes):
            t = time.perf_counter()
            with copy.write() as session:
                intake.create_dossier(session, request, actor=Actor("bench", "scripted"))
            samples.append(time.perf_counter() - t)
        print("intake committed (service, synchronous FULL):", ms(samples))
        copy.close()

        bare = sqlite3.connect(work / "bare.sqlite3", isolation_level=None)
        bare.execute("PRAGMA journal_mode=WAL")
        bare.execute("PRAGMA synchronous=FULL")
        src = raw_connection(work / "counter.sqlite3")
        for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name IN "
                                  "('applicant','dossier','dossier_document','status_event','outbox')"):
            bare.execute(sql)
        row = {name: src.execute(f"SELECT * FROM {name} ORDER BY rowid DESC LIMIT 1").fetchone()
               for name in ("applicant", "dossier", "status_event", "outbox")}
        docs = src.execute("SELECT dossier_id, position, name, form, count FROM dossier_document "
                           "ORDER BY rowid DESC LIMIT 2").fetchall()
        src.close()
        bare_samples = []
        for i in range(args.intakes):
            t = time.perf_counter()
            bare.execute("BEGIN IMMEDIATE")
            bare.execute("INSERT INTO applicant VALUES (" + ",".join("?" * len(row["applicant"])) + ")",
                         (f"a{i}",) + row["applicant"][1:])
            d = list(row["dossier"])
            d[0], d[1], d[2], d[8] = f"d{i}", f"code{i}", i, f"a{i}"
            bare.execute("INSERT INTO dossier VALUES (" + ",".join("?" * len(d)) + ")", d)
            bare.executemany("INSERT INTO dossier_document (dossier_id, position, name, form, count) "
                             "VALUES (?,?,?,?,?)", [(f"d{i}",) + tuple(x[1:]) for x in docs])
            e = list(row["status_event"])
            e[0], e[1] = f"e{i}", f"d{i}"
            bare.execute("INSERT INTO status_event VALUES (" + ",".join("?" * len(e)) + ")", e)
            o = list(row["outbox"])
            o[0], o[1] = None, f"e{i}"
            bare.execute("INSERT INTO outbox VALUES (" + ",".join("?" * len(o)) + ")", o)
            bare.execute("COMMIT")
            bare_samples.append(time.perf_counter() - t)
        bare.close()
        print("bare sqlite3 insert of the same rows:        ", ms(bare_samples))
        print(f"ratio service / bare (median): {statistics.median(samples) / statistics.median(bare_samples):.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
