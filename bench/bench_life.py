"""Figures for the dossier's life and the reports on a big store (bench/make_dataset.py):

    .venv/bin/python bench/bench_life.py --data-dir /tmp/qmc-1m-v2

- scan to return view: open_by_code + history of a random dossier (what the return screen shows);
- the attention list;
- a year's statistics; a month's register as XLSX.
"""

from __future__ import annotations

import argparse
import random
import statistics as stats_module
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from timing import samples  # noqa: E402

from counter_app.clock import parse_iso  # noqa: E402
from counter_app.db.store import Store  # noqa: E402
from counter_app.services import reports, statistics, workflow  # noqa: E402
from counter_app.services.attention import attention  # noqa: E402
from counter_app.services.lookup import open_by_code  # noqa: E402


def timed(fn, n: int) -> str:  # noqa: ANN001
    taken = sorted(samples(fn, n))
    return (f"median {stats_module.median(taken) * 1000:8.1f} ms   max {taken[-1] * 1000:8.1f} ms   "
            f"(n={n})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    args = ap.parse_args()
    store = Store.open(Path(args.data_dir))
    rng = random.Random(3)
    with store.read() as session:
        total = session.execute(text("SELECT COUNT(*) FROM dossier")).scalar()
        codes = [r[0] for r in session.execute(text(
            "SELECT code FROM dossier WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM dossier) "
            "FROM dossier LIMIT 500)"))]
        print(f"store: {total:,} dossiers")

        def return_view() -> None:
            code = rng.choice(codes)
            open_by_code(session, code)
            workflow.history(session, code)

        print("scan to return view (dossier + history):", timed(return_view, 300))
        now = parse_iso("2026-11-20T10:00:00+07:00")
        result = attention(session, now=now)
        print(f"attention list ({len(result.overdue)} overdue, {len(result.due_today)} today, "
              f"{len(result.due_24h)} within 24 h, {len(result.awaiting_pickup)} awaiting pick-up):",
              timed(lambda: attention(session, now=now), 10))
        print("statistics, year 2025:                  ",
              timed(lambda: statistics.compute(session, date(2025, 1, 1), date(2025, 12, 31)), 5))
        print("statistics, month 2026-10:              ",
              timed(lambda: statistics.compute(session, date(2026, 10, 1), date(2026, 10, 31)), 5))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "thang.xlsx"
            rows = reports.write_xlsx(session, date(2026, 10, 1), date(2026, 10, 31), out)
            print(f"register + statistics XLSX, month 2026-10 ({rows} rows):",
                  timed(lambda: reports.write_xlsx(session, date(2026, 10, 1), date(2026, 10, 31), out), 3))


if __name__ == "__main__":
    main()
