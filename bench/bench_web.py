"""Page times of the web face (docs/server-web.md) on a district of a few thousand dossiers:

    .venv/bin/python bench/bench_web.py               # 5,000 dossiers, SQLite and PostgreSQL
    .venv/bin/python bench/bench_web.py --rows 20000

Each page is asked 5 times in-process (FastAPI's TestClient: no network) after one warm-up; the
median is printed in ms. The dossiers are real intake events (one real intake is the template;
ids, codes, days vary) pushed through the server's own ingest. The status page is padded to
status_page.ANSWER_FLOOR_S on purpose (a code held or not answers in the same time).
The 10M-dossier bench of issue 14 is not this one.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402

from district_server.app import create_app  # noqa: E402
from district_server.auth import add_device  # noqa: E402
from district_server.database import open_database  # noqa: E402
from tests.conftest import AGENCY  # noqa: E402
from tests.server.helpers import fake_backlog, make_counter  # noqa: E402
from tests.server.pgcluster import PgCluster, find_pg_bin  # noqa: E402
from tests.server.web_helpers import ACCOUNTS, build_site, log_in, push_all, quick_hashes  # noqa: E402


def run(url: str, rows: int, work: Path) -> dict[str, float]:
    db = open_database(url)
    try:
        with quick_hashes():
            site = build_site(db, work)
            bulk = make_counter(work / "bulk", 1)
            fake_backlog(bulk, rows)
            push_all(db, bulk, add_device(db, AGENCY, 1)[0])
            bulk.close()
            app = create_app(db)
            client = TestClient(app, follow_redirects=False)
            log_in(client, ACCOUNTS["leader"])
        code = site.code["ready"]
        pages = {
            "status page (held)": f"/tra-cuu/{code}",
            "status page (not held)": f"/tra-cuu/{code[:-4]}0999",
            "search by code": f"/quan-tri/ho-so?q={code}",
            "search by name (50 of many)": "/quan-tri/ho-so?q=nguyen%20van",
            "search by ID number": "/quan-tri/ho-so?q=001090123456",
            "one dossier": f"/quan-tri/ho-so/{code}",
            "offices": "/quan-tri/don-vi",
            "review": "/quan-tri/kiem-tra",
            "statistics, month": "/quan-tri/thong-ke",
            "statistics, year": "/quan-tri/thong-ke?ky=nam",
            "statistics XLSX, year": "/quan-tri/thong-ke.xlsx?ky=nam",
        }
        out = {}
        for name, path in pages.items():
            times = []
            for i in range(6):
                app.state.web_limits.lookups.reset()
                start = time.perf_counter()
                answer = client.get(path)
                if i:
                    times.append(1000 * (time.perf_counter() - start))
                assert answer.status_code == 200, (name, answer.status_code, re.sub(r"<[^>]+>", " ", answer.text)[:300])
            out[name] = statistics.median(times)
        client.close()
        site.close()
        return out
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = run(f"sqlite:///{tmp}/district.sqlite3", args.rows, Path(tmp) / "sqlite")
        bindir = find_pg_bin()
        if bindir is not None:
            cluster = PgCluster(bindir).start()
            try:
                results["PostgreSQL"] = run(cluster.create_database("bench_web"), args.rows, Path(tmp) / "pg")
            finally:
                cluster.stop()
    print(f"web face, {args.rows + 5:,} dossiers; median of 5, ms")
    print(f"{'page':32}" + "".join(f"{k:>12}" for k in results))
    for page in next(iter(results.values())):
        print(f"{page:32}" + "".join(f"{r[page]:12.1f}" for r in results.values()))


if __name__ == "__main__":
    main()
