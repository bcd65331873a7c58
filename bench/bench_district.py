"""Issue 14's speed targets on PostgreSQL with a district of 10M dossiers (docs/server-web.md):

    .venv/bin/python bench/bench_district.py                          # 100 offices × 100,000 dossiers
    .venv/bin/python bench/bench_district.py --offices 20 --per-office 50000 --rounds 3
    .venv/bin/python bench/bench_district.py --per-office 10000 --sqlite  # 1M on a SQLite server

A throw-away cluster (tests/server/pgcluster.py) is filled by PostgreSQL itself (bench/district_data.py).
At 10M dossiers that is ~19.5M events, ~45 GB on disk at its peak (the events' table alone ~30 GB),
and over an hour on 2 busy cores: on 2026-12-02 the load took 36 min to the last row (draws 33 s,
columns 295 s, codes 217 s, dossiers 191 s, intake events 925 s, latest moves 507 s) and the index
rebuild was still on the events' primary key 15 min later; 100 × 10,000 takes minutes. Then each page is asked through
FastAPI's TestClient (in-process, no network) by a logged-in leader, taking turns with a bare baseline
measured in the same minute, and the table summary.py prints is printed: `name now baseline ratio goal met?`.
Goals are the issue's: dashboard pages < 300 ms, the district's statistics for a year < 1 s, the status
page < 50 ms, a dossier search < 100 ms. Baselines:
- the status page and the searches: the page's own query through bare psycopg (no app, no template);
- the other dashboard pages: the log-in page, the same app and template layer with no data at all;
- the statistics: a bare COUNT(*) of the period's dossiers;
- ingest of a push batch (1,000 new intake events of a counter, the protocol's batch): bare COPY of the
  same event rows into the same 20M-row table (then deleted again).
The cluster runs with fsync off (the bench measures reads and index work, not the disk's flush) and
PostgreSQL's default memory settings. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import district_data  # noqa: E402
import summary  # noqa: E402
from figures import Figure, Goal, ms_text  # noqa: E402
from summary import paired_ms  # noqa: E402

from counter_app import clock  # noqa: E402
from counter_app.domain.ids import new_id  # noqa: E402
from counter_app.sync.protocol import CLIENT_BATCH_EVENTS, canonical_json, event_key, payload_hash  # noqa: E402

PAGE = Goal("ms", 300)
SEARCH = Goal("ms", 100)
STATUS = Goal("ms", 50)
YEAR = Goal("ms", 1000)


def bare(url: str) -> Any:
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def samples(con: Any) -> dict[str, Any]:
    """Codes, an ID number and a year from the data (a sample of pages, not the whole table)."""
    random_id = "lower(hex(randomblob(16)))" if getattr(con, "sqlite", False) else "gen_random_uuid()::text"
    codes = [r[0] for r in con.execute(  # ids are random UUIDs: the next id after a random one is a uniform draw
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
        f"SELECT (SELECT code FROM dossier WHERE id >= u ORDER BY id LIMIT 1) FROM (SELECT {random_id} AS u "
        "FROM n) AS s").fetchall() if r[0]]
    idn = con.execute("SELECT id_number FROM dossier WHERE code = %s", (codes[0],)).fetchone()[0]
    last = con.execute("SELECT max(received_at) FROM dossier").fetchone()[0]
    return {"codes": codes, "id_number": idn, "year": int(last[:4]) - 1}


def page_rows(client: Any, app: Any, con: Any, runs: int, slow: int) -> list[Figure]:
    s = samples(con)
    codes, year = s["codes"], s["year"]

    def get(path: str) -> None:
        app.state.web_limits.lookups.reset()
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])

    join = ("SELECT d.status, d.procedure_name, d.received_at, d.due_at, d.returned_at, e.payload_json FROM dossier d "
            "JOIN event e ON e.event_id = d.last_event_id ")
    search_sql = ("SELECT d.code, d.agency_code, d.status, d.procedure_name, d.received_at, d.due_at, e.payload_json "
                  "FROM dossier d JOIN event e ON e.event_id = d.last_event_id WHERE {} ORDER BY {}, d.code LIMIT 51")

    def q(sql: str, *params: object) -> Any:
        return lambda _i: con.execute(sql, params).fetchall()

    login = lambda _i: get("/quan-tri/dang-nhap")  # noqa: E731
    figures: list[Figure] = []

    def row(name: str, path: Any, baseline: Any, goal: Goal, n: int = runs) -> None:
        pick = path if callable(path) else (lambda _i: path)
        if n == runs:
            get(pick(0))  # warm: the plan, the template (the slow rows are their own warm-up)
        now, base = paired_ms(lambda i: get(pick(i)), baseline, n)
        figures.append(Figure(name, now, base, goal))
        print(f"  {name}: {ms_text(now)} (baseline {ms_text(base)})", flush=True)

    row("status page, code held", lambda i: f"/tra-cuu/{codes[i]}",
        lambda i: con.execute(join + "WHERE d.code = %s", (codes[i],)).fetchall(), STATUS)
    row("status page, code not held", lambda i: f"/tra-cuu/{codes[i][:-4]}0999",
        lambda i: con.execute(join + "WHERE d.code = %s", (codes[i][:-4] + "0999",)).fetchall(), STATUS)
    row("search by code", lambda i: f"/quan-tri/ho-so?q={codes[i]}",
        lambda i: con.execute(search_sql.format("d.code LIKE %s", "d.code"), (codes[i] + "%",)).fetchall(), SEARCH)
    row("search by a code's beginning (office, day)", lambda i: f"/quan-tri/ho-so?q={codes[i][:-5]}",
        lambda i: con.execute(search_sql.format("d.code LIKE %s", "d.code"), (codes[i][:-5] + "%",)).fetchall(),
        SEARCH)
    row("search by name 'nguyen van' (50 of many)", "/quan-tri/ho-so?q=nguyen%20van",
        q(search_sql.format("d.name_folded LIKE %s", "d.name_folded"), "nguyen van%"), SEARCH)
    row("search by full name 'tran thi lan'", "/quan-tri/ho-so?q=tr%E1%BA%A7n%20th%E1%BB%8B%20lan",
        q(search_sql.format("d.name_folded LIKE %s", "d.name_folded"), "tran thi lan%"), SEARCH)
    row("search by ID number", f"/quan-tri/ho-so?q={s['id_number']}",
        q(search_sql.format("d.id_number = %s", "d.id_number"), s["id_number"]), SEARCH)
    row("one dossier with its history", lambda i: f"/quan-tri/ho-so/{codes[i]}", login, PAGE)
    for name, path in (("overview", "/quan-tri/"), ("offices and counters", "/quan-tri/don-vi"),
                       ("review", "/quan-tri/kiem-tra"), ("publications", "/quan-tri/phat-hanh"),
                       ("staff actions", "/quan-tri/nhat-ky")):
        row(f"dashboard: {name}", path, login, PAGE)
    count = lambda a, b: q("SELECT count(*) FROM dossier WHERE received_at >= %s AND received_at < %s", a, b)  # noqa: E731
    row(f"statistics, month 10/{year} (district + each office)", f"/quan-tri/thong-ke?ky=thang&so=10&nam={year}",
        count(f"{year}-10-01", f"{year}-11-01"), PAGE, slow)
    row(f"statistics, year {year} (district + each office)", f"/quan-tri/thong-ke?ky=nam&nam={year}",
        count(f"{year}-01-01", f"{year + 1}-01-01"), YEAR, slow)
    office = codes[0].split("-")[0]
    row(f"statistics, year {year}, one office", f"/quan-tri/thong-ke?ky=nam&nam={year}&don_vi={office}",
        count(f"{year}-01-01", f"{year + 1}-01-01"), YEAR, slow)
    row(f"statistics XLSX, year {year}", f"/quan-tri/thong-ke.xlsx?ky=nam&nam={year}",
        count(f"{year}-01-01", f"{year + 1}-01-01"), YEAR, slow)
    return figures


def ingest_row(db: Any, url: str, runs: int) -> list[Figure]:
    """A counter's push batch into the full district, against bare COPY of the same rows."""
    from bench_sync import make_events

    from district_server import ingest
    from district_server.auth import add_device

    template = district_data.payload_templates(db)[0]
    agency = district_data.agency_of(0)
    dev = add_device(db, agency, 3, "Quầy bench")[0]  # counter 3: codes no generated dossier holds
    con = bare(url)
    ours, base = [], []
    start = 0
    for _ in range(runs):
        batch = [{**p, "dossier": {**p["dossier"], "agency_code": agency}}
                 for p in make_events(template, agency, 3, CLIENT_BATCH_EVENTS, start)]
        again = list(make_events(template, agency, 3, CLIENT_BATCH_EVENTS, start))
        start += CLIENT_BATCH_EVENTS
        t = time.perf_counter()
        answer = ingest.ingest(db, dev, new_id(), batch)
        ours.append(time.perf_counter() - t)
        assert {r.result for r in answer.results} == {"stored"}, {r.result for r in answer.results}
        now = clock.iso(clock.now())
        rows = [(p["event_id"], p["dossier_id"], agency, dev.id, 3, "counter", p["kind"], p["from_status"],
                 p["to_status"], p["at"], event_key(p["at"], p["event_id"]), payload_hash(p), canonical_json(p), now)
                for p in again]
        t = time.perf_counter()
        with con.transaction(), con.cursor() as cur, cur.copy(
            "COPY event (event_id, dossier_id, agency_code, device_id, counter, origin, kind, from_status, to_status, "
            "at, sort_key, payload_hash, payload_json, received_at) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        base.append(time.perf_counter() - t)
        con.execute("DELETE FROM event WHERE event_id = ANY(%s)", ([r[0] for r in rows],))
    con.close()
    now_ms, base_ms = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return [Figure(f"ingest of a push batch ({CLIENT_BATCH_EVENTS:,} events; {CLIENT_BATCH_EVENTS / now_ms:.1f}k/s)",
                   now_ms, base_ms, Goal("ratio", 2, strict=False))]


def main() -> int:
    from fastapi.testclient import TestClient

    from district_server.app import create_app
    from district_server.database import open_database
    from tests.server.pgcluster import PgCluster, find_pg_bin
    from tests.server.web_helpers import ACCOUNTS, build_site, log_in, quick_hashes

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--offices", type=int, default=100)
    ap.add_argument("--per-office", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=8)
    ap.add_argument("--runs", type=int, default=7, help="each page, taking turns with its baseline (medians)")
    ap.add_argument("--slow-runs", type=int, default=3, help="the statistics pages and the ingest")
    ap.add_argument("--rounds", type=int, default=1, help="the whole table again, to see the noise")
    ap.add_argument("--sqlite", action="store_true",
                    help="the pages of the same district copied into a SQLite server (bench/district_sqlite.py)")
    args = ap.parse_args()
    bindir = find_pg_bin()
    if bindir is None:
        print("Không tìm thấy PostgreSQL (initdb, pg_ctl).", file=sys.stderr)
        return 2
    free = shutil.disk_usage(tempfile.gettempdir()).free
    need = args.offices * args.per_office * 4500  # bytes a dossier at 10M: row, ~1.9 events, staging, indexes
    print(f"{args.offices * args.per_office:,} dossiers need ~{need / 2**30:.0f} GiB; "
          f"{free / 2**30:.0f} GiB free in {tempfile.gettempdir()}")
    if need > free * 0.8:
        print("Không đủ chỗ trên đĩa cho bộ dữ liệu này; hãy giảm --per-office.", file=sys.stderr)
        return 2
    cluster = PgCluster(bindir).start()
    work = Path(tempfile.mkdtemp(prefix="qmc-district-"))
    figures: list[Figure] = []
    try:
        url = cluster.create_database("district")
        db = open_database(url)
        with quick_hashes():
            site = build_site(db, work)
            t = time.perf_counter()
            made = district_data.generate(db, site.store, offices=args.offices, per_office=args.per_office,
                                          years=args.years)
            con = bare(url)
            events, size = con.execute("SELECT (SELECT count(*) FROM event), pg_database_size(current_database())"
                                       ).fetchone()
            print(f"made {made:,} dossiers, {events:,} events in {time.perf_counter() - t:.0f} s; "
                  f"database {size / 2**30:.1f} GiB; load {os.getloadavg()[0]:.2f}")
            served = db
            if args.sqlite:
                import district_sqlite

                from tests.conftest import AGENCY
                from tests.server.web_helpers import OTHER_AGENCY

                path = work / "district.sqlite3"
                served = open_database(f"sqlite:///{path}")
                build_site(served, work / "sqlite-site").close()
                district_sqlite.copy(url, path, (AGENCY, OTHER_AGENCY))
                con.close()
                con = district_sqlite.SqliteBare(path)
                print(f"SQLite database {path.stat().st_size / 2**30:.1f} GiB", flush=True)
            app = create_app(served)
            client = TestClient(app, follow_redirects=False)
            log_in(client, ACCOUNTS["leader"])
        for r in range(args.rounds):
            started = time.perf_counter()
            # The ingest row's baseline is PostgreSQL's COPY: measured on PostgreSQL only.
            figures = (page_rows(client, app, con, args.runs, args.slow_runs)
                       + ([] if args.sqlite else ingest_row(db, url, max(3, args.slow_runs))))
            print(f"\nround {r + 1}: {made:,} dossiers, {args.offices} offices"
                  f"{' on SQLite' if args.sqlite else ''}; medians of {args.runs} (statistics, ingest: "
                  f"{args.slow_runs})")
            summary.print_table(figures, not_measured=())
            print(f"({time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.2f})")
        if served is not db:
            served.close()
        client.close()
        con.close()
        site.close()
        db.close()
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0 if figures and all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
