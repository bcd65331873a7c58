"""What encryption costs (docs/protection.md), clear vs encrypted in the same run, on copies of a clear
store made by `make_dataset.py --clear`:

    .venv/bin/python bench/make_dataset.py --data-dir /tmp/qmc-50k-clear --count 50000 --clear
    .venv/bin/python bench/bench_protection.py --data-dir /tmp/qmc-50k-clear

At 1M dossiers the copies take minutes and gigabytes each run; instead make the encrypted twin once
(the app's own upgrade of a copy: the same rows, encrypted) and let summary.py compare the two:

    .venv/bin/python bench/bench_protection.py --data-dir /tmp/qmc-1m-clear --make-encrypted /tmp/qmc-1m-enc
    .venv/bin/python bench/summary.py --data-dir /tmp/qmc-1m-enc --clear-dir /tmp/qmc-1m-clear

Measures: the upgrade (clear → encrypted in place), opening the store (the key unwrapped included),
an intake commit through the service (synchronous FULL), a code look-up and a name search, and a
backup (the sealed .qmcbak against the clear backup-API copy the previous version made).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter_app.db import cipher  # noqa: E402
from counter_app.db.store import Store  # noqa: E402
from counter_app.domain.actor import Actor  # noqa: E402
from counter_app.services import backup, intake  # noqa: E402
from counter_app.services.lookup import open_by_code  # noqa: E402
from counter_app.services.search import search  # noqa: E402

PASSPHRASE = "cụm mật khẩu của phường Bình Mỹ"


def med(samples: list[float]) -> str:
    s = sorted(samples)
    return f"median {statistics.median(s) * 1000:7.2f} ms  p95 {s[int(len(s) * 0.95) - 1] * 1000:7.2f} ms"


def workload(stores: dict[str, Store], n: int, *, only_intake: bool = False) -> dict[str, dict[str, list[float]]]:
    """Each step on the clear store then on the encrypted one, in turn: a load that comes and goes
    on the machine falls on both alike, so the ratio holds even where the times do not."""
    request = intake.parse_intake({
        "procedure_code": "2.000815",
        "applicant": {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "phone": "0912345678",
                      "address": "Thôn Đông, phường Bình Mỹ"}})
    out = {name: {"intake": [], "look-up": [], "search": []} for name in stores}
    first = next(iter(stores.values()))
    with first.read() as session:
        codes = [r[0] for r in session.connection().exec_driver_sql(
            "SELECT code FROM dossier WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM dossier) "
            "FROM dossier LIMIT 2000)").all()]
    for _ in range(n):
        for name, store in stores.items():
            t = time.perf_counter()
            with store.write() as session:
                intake.create_dossier(session, request, actor=Actor("bench", "scripted"))
            out[name]["intake"].append(time.perf_counter() - t)
    if only_intake:
        return out
    sessions = {name: store.read() for name, store in stores.items()}
    opened = {name: cm.__enter__() for name, cm in sessions.items()}
    rng = random.Random(1)
    for _ in range(n * 10):
        code = rng.choice(codes)
        for name, session in opened.items():
            t = time.perf_counter()
            open_by_code(session, code)
            out[name]["look-up"].append(time.perf_counter() - t)
    for q in ("nguyen van", "tran thi h", "duc", "ly thi oanh") * max(1, n // 10):
        for name, session in opened.items():
            t = time.perf_counter()
            search(session, q)
            out[name]["search"].append(time.perf_counter() - t)
    for cm in sessions.values():
        cm.__exit__(None, None, None)
    return out


def opening(make, n: int) -> list[float]:  # noqa: ANN001
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        store = make()
        with store.read() as session:
            session.connection().exec_driver_sql("SELECT count(*) FROM office").scalar()
        samples.append(time.perf_counter() - t)
        store.close()
    return samples


def make_encrypted(source: Path, target: Path) -> None:
    """A copy of the clear store, encrypted in place by the app's own upgrade (Store.open), without
    the copy of it the upgrade keeps (a bench does not need it; it is as big as the store)."""
    target.mkdir(parents=True)
    t = time.perf_counter()
    shutil.copy(source / "counter.sqlite3", target / "counter.sqlite3")
    copied = time.perf_counter() - t
    t = time.perf_counter()
    store = Store.open(target, passphrase=PASSPHRASE)
    print(f"copied in {copied:.0f} s; upgrade clear → encrypted in place (checked, copy kept): "
          f"{time.perf_counter() - t:.0f} s; {(target / 'counter.sqlite3').stat().st_size / 2**20:.0f} MiB")
    store.keyring = None
    store.close()
    shutil.rmtree(target / "backups")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True, help="a clear store (make_dataset.py --clear)")
    ap.add_argument("--make-encrypted", metavar="DIR", help="only make the encrypted twin of the store in DIR")
    ap.add_argument("--intakes", type=int, default=100)
    ap.add_argument("--opens", type=int, default=20)
    args = ap.parse_args()
    source = Path(args.data_dir) / "counter.sqlite3"
    if not cipher.is_clear(source):
        sys.exit("give a clear store: make_dataset.py --clear")
    if args.make_encrypted:
        make_encrypted(source.parent, Path(args.make_encrypted))
        return
    work = Path(tempfile.mkdtemp(prefix="qmc-protect-"))
    try:
        clear_dir, enc_dir = work / "clear", work / "enc"
        for d in (clear_dir, enc_dir):
            d.mkdir()
            shutil.copy(source, d / "counter.sqlite3")
        size = source.stat().st_size
        print(f"store {size / 2**20:.0f} MiB")

        t = time.perf_counter()
        store = Store.open(enc_dir, passphrase=PASSPHRASE)
        print(f"upgrade clear → encrypted in place (checked, copy kept): {time.perf_counter() - t:.1f} s")
        store.keyring = None
        store.close()
        shutil.rmtree(enc_dir / "backups")

        clear_open = opening(lambda: Store(clear_dir / "counter.sqlite3", key=None), args.opens)
        enc_open = opening(lambda: Store.open(enc_dir), args.opens)
        print(f"open, clear:                      {med(clear_open)}")
        print(f"open, encrypted (key unwrapped):  {med(enc_open)}")

        clear = Store(clear_dir / "counter.sqlite3", key=None)
        enc = Store.open(enc_dir)
        results = workload({"clear": clear, "encrypted": enc}, args.intakes)
        for what in ("intake", "look-up", "search"):
            c, e = (statistics.median(results[k][what]) for k in ("clear", "encrypted"))
            print(f"{what:8} clear {med(results['clear'][what])} | encrypted {med(results['encrypted'][what])}"
                  f" | ratio {e / c:.2f}")

        t = time.perf_counter()
        clear.backup_to(work / "clear-backup.sqlite3")
        copied = time.perf_counter() - t
        backup.inspect(work / "clear-backup.sqlite3")
        clear_backup = time.perf_counter() - t
        t = time.perf_counter()
        info = backup.make_backup(enc, work / "sao-luu.qmcbak")
        sealed = time.perf_counter() - t
        t = time.perf_counter()
        backup.inspect(info.path, PASSPHRASE)
        check = time.perf_counter() - t
        print(f"backup as the previous version made it (clear copy + check): {clear_backup:.1f} s "
              f"(copy {copied:.1f} s); sealed .qmcbak (encrypted copy + check + seal): {sealed:.1f} s, "
              f"{info.size / 2**20:.0f} MiB; opening it again with the passphrase: {check:.1f} s")
        t = time.perf_counter()
        backup.restore(work / "new-pc", info.path, PASSPHRASE)
        print(f"restore on a new PC (passphrase, check, re-key): {time.perf_counter() - t:.1f} s")
        clear.close()
        enc.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()


# --- summary.py's rows: the encrypted store against its clear twin ------------------------------


WARM = 2000  # look-ups before the timed ones (summary_rows)


def summary_rows(enc_dir: Path, clear_dir: Path, intakes: int) -> list[Any]:
    """Issue 19's speed rows: each figure on the encrypted store (`now`) against the same on the clear
    twin (`baseline`, made by make_encrypted: the same rows), taking turns; opening the store with the
    key unwrapped against opening the clear one. Intake runs on copies of both."""
    import summary
    from figures import Figure, Goal
    from summary import paired_ms

    from counter_app.services import statistics as stats_service

    within = Goal("ratio", 1.25, strict=False)
    clear_path = clear_dir / "counter.sqlite3"
    figures = []

    def open_and_read(make: Any) -> None:
        store = make()
        with store.read() as session:
            session.connection().exec_driver_sql("SELECT count(*) FROM office").scalar()
        store.close()

    now, base = paired_ms(lambda _i: open_and_read(lambda: Store.open(enc_dir)),
                          lambda _i: open_and_read(lambda: Store(clear_path, key=None)), 20)
    figures.append(Figure("open the store, key unwrapped (vs clear)", now, base, Goal("ms", 200)))

    enc, clear = Store.open(enc_dir), Store(clear_path, key=None)
    try:
        # The look-ups are timed on codes not read before (their leaf pages are read from the disk,
        # so the encrypted store decrypts them), after WARM others: a counter in use has the upper
        # levels of each index in its page cache (store.PAGE_CACHE_KIB) after its first look-ups.
        sample = bench_ui_codes(clear_dir, WARM + summary.RUNS_FAST)
        warm, codes = sample[:WARM], sample[WARM:]
        year = summary.year_with_most(clear_path)
        first, last = date(year, 1, 1), date(year, 12, 31)
        with enc.read() as es, clear.read() as cs:
            for session in (es, cs):  # warm both alike
                for code in warm:
                    open_by_code(session, code)
                search(session, "nguyen")
                stats_service.compute(session, first, last)
            now, base = paired_ms(lambda i: open_by_code(es, codes[i]), lambda i: open_by_code(cs, codes[i]),
                                  summary.RUNS_FAST)
            figures.append(Figure("encrypted ÷ clear: open a dossier by code", now, base, within))
            now, base = paired_ms(lambda _i: search(es, "nguyen"), lambda _i: search(cs, "nguyen"), 30)
            figures.append(Figure("encrypted ÷ clear: name search 'nguyen'", now, base, within))
            now, base = paired_ms(lambda _i: stats_service.compute(es, first, last),
                                  lambda _i: stats_service.compute(cs, first, last), summary.RUNS_SLOW)
            figures.append(Figure(f"encrypted ÷ clear: statistics for a year ({year})", now, base, within))
    finally:
        enc.close()
        clear.close()
    figures.append(_intake_ratio(enc_dir, clear_dir, intakes, within))
    return figures


def bench_ui_codes(directory: Path, n: int) -> list[str]:
    import bench_ui

    return bench_ui.sample_codes(str(directory), n)


def _intake_ratio(enc_dir: Path, clear_dir: Path, intakes: int, goal: Any) -> Any:
    import summary
    from figures import Figure

    work = Path(tempfile.mkdtemp(prefix="qmc-summary-protect-"))
    try:
        summary.copy_store(enc_dir, work / "enc")
        summary.copy_store(clear_dir, work / "clear")
        stores = {"encrypted": Store.open(work / "enc"), "clear": Store(work / "clear" / "counter.sqlite3", key=None)}
        try:
            times = workload(stores, intakes, only_intake=True)
        finally:
            for store in stores.values():
                store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    now, base = (statistics.median(times[k]["intake"]) * 1000 for k in ("encrypted", "clear"))
    return Figure("encrypted ÷ clear: intake committed", now, base, goal)
