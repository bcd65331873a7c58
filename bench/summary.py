"""Issue 17's table: each hot path against a bare baseline measured in the same run.

    .venv/bin/python bench/summary.py --data-dir DIR      (DIR: a store made by bench/make_dataset.py)

Prints one line per row, `name  now  baseline  ratio  goal  met?`, and exits 0 only when every
row it measured meets its goal (1 otherwise). The baselines do the same work with the bare
library and nothing of ours on top, in the same process and the same minute, so a machine busy
with something else slows both and the ratio holds:

- intake: through the service (Store.write + create_dossier: permission, code, deadline, outbox,
  audit chain, search row; synchronous FULL) against bare sqlite3 inserting the very rows that
  intake wrote, into the same store, same journal and synchronous mode, one transaction each;
- open by code: services.lookup.open_by_code against one bare SELECT of the dossier row;
- name search: the search command's and the dossier list's first page for `nguyen`, and the
  slowest single statement either ran, against a bare FTS5 query for the word's 50 newest rows;
- statistics for a year, the XLSX for a month: the service against a bare count over the same
  received_at range / a bare write-only openpyxl workbook with the same cells;
- Mẫu 01: render_slip against a bare reportlab canvas drawing the same strings, each in the face and
  at the size the slip prints it in, with no layout, barcode or QR code (bench_slip.py);
- digitisation: a 10-page 200 dpi grey JPEG scan into one component PDF against bare img2pdf
  wrapping the same JPEGs (bench_digitise.py);
- file upload: uploads.upload of a new 64 MB file to a `counter-server serve` process against bare
  httpx PUTs of the same chunks to a bare ASGI app appending them (bench_files.py); goal ≥ 50 MB/s;
- with --clear-dir (issue 19): intake, code look-up, name search and the year's statistics on the
  encrypted store against the same on its clear twin, and opening it with its key unwrapped against
  opening the clear one (bench_protection.summary_rows);
- online backup: services.backup.make_backup of the store, checked, against a bare copy of its file
  with fsync, both into a temporary folder beside the store;
- window (bench_ui.py, fresh processes): start-up from source to a usable window against a bare
  PySide6 window's (goal < 0.6 s), the keystroke to search results, median and worst (goals < 16 and
  < 40 ms), and the window's peak RSS with the store open against the same on a 100,000-dossier
  store (bench_memory.py; goal ≤ ×1.2: it must not grow with the dossiers);

- store size: the store's file per million dossiers (goal ≤ 1.2 GiB; no bare twin);
- sync (bench_sync.summary_rows): 10,000 waiting events pushed by sync_once to a `counter-server
  serve` process on SQLite (goal < 0.7 s; no bare twin), and 20 counters pushing 2,500 events each at
  once to one on PostgreSQL against a bare COPY of the same rows into the same table (goals ≥ ×0.5
  of COPY's rate and ≥ 25k events/s), skipped when no PostgreSQL binaries are found; and the server's
  RSS through a 50,000-event push against its first tenth (bench_memory.server_row; goal ≤ ×1.2).

Rows whose code others own (the district's pages on 10M dossiers, the store's growth per
digitised dossier) are listed as "not measured here": their benches are bench_district.py and
bench_digitise.py. The store is never changed (the backup row notes once in
its keys file that backups carry the store key):
intake runs on a copy in a temporary folder beside nothing else.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_digitise  # noqa: E402 - the scan pages and the digitisation rows live there, once
import bench_files  # noqa: E402 - the upload's bare server lives there, once
import bench_slip  # noqa: E402 - the slip's bare canvas lives there, once
import bench_sync  # noqa: E402 - the push and the district's ingest live there, once
import bench_ui  # noqa: E402
from figures import Figure, Goal, print_table  # noqa: E402

from counter_app.db import cipher  # noqa: E402
from counter_app.db.store import HEAD_REVISION, Store, raw_connection  # noqa: E402
from counter_app.domain.actor import Actor  # noqa: E402

GROUPS = ("code", "search", "stats", "xlsx", "slip", "digitise", "intake", "upload", "backup", "window", "size", "sync",
          "protect")
RUNS_FAST = 500  # sub-millisecond rows
RUNS_SLOW = 5  # rows of a second or so
INTAKE_BLOCK = 20


NOT_MEASURED = (
    ("store growth per digitised dossier", "reported", "bench_digitise.py"),
    ("district pages on PostgreSQL, 10M dossiers", "< 50/100/300 ms, < 1 s", "bench_district.py"),
)


def paired_ms(ours: Callable[[int], object], bare: Callable[[int], object], runs: int) -> tuple[float, float]:
    """Both medians, the two actions taking turns, so a burst of load hits both alike."""
    a, b = [], []
    for run in range(runs):
        for action, samples in ((ours, a), (bare, b)):
            start = time.perf_counter()
            action(run)
            samples.append(time.perf_counter() - start)
    return statistics.median(a) * 1000, statistics.median(b) * 1000


def bare_connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """The store's file through the bare driver: no pool, no ORM, no session. An encrypted store
    through SQLCipher's own driver and its key (the bare cost of reading it includes decrypting)."""
    if not cipher.is_clear(path):
        con = raw_connection(path, readonly=readonly)
        con.isolation_level = None
        return con  # type: ignore[return-value]
    if readonly:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    return sqlite3.connect(path, isolation_level=None)


def open_store(directory: Path) -> Store:
    """The store as the app opens it; a clear one (make_dataset.py --clear) as it is, never upgraded."""
    path = directory / "counter.sqlite3"
    return Store(path, key=None) if cipher.is_clear(path) else Store.open(directory)


def copy_store(source: Path, target: Path) -> None:
    """The store and its key files, not the backups beside them."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "*.log"), dirs_exist_ok=True)


@contextmanager
def statement_clock(store: Store) -> Iterator[list[float]]:
    """Each statement's time (execute, which in SQLite runs the query to its first row), in ms."""
    from sqlalchemy import event

    times: list[float] = []
    started: list[float] = []

    def before(*_args: object) -> None:
        started.append(time.perf_counter())

    def after(*_args: object) -> None:
        times.append((time.perf_counter() - started.pop()) * 1000)

    event.listen(store.engine, "before_cursor_execute", before)
    event.listen(store.engine, "after_cursor_execute", after)
    try:
        yield times
    finally:
        event.remove(store.engine, "before_cursor_execute", before)
        event.remove(store.engine, "after_cursor_execute", after)


# --- rows ---------------------------------------------------------------------------------------


def open_by_code_row(store: Store) -> list[Figure]:
    from counter_app.services.lookup import open_by_code

    codes = bench_ui.sample_codes(str(store.path.parent), RUNS_FAST)
    bare = bare_connect(store.path, readonly=True)
    try:
        with store.read() as session:
            open_by_code(session, codes[0])
            now, base = paired_ms(
                lambda i: open_by_code(session, codes[i]),
                lambda i: bare.execute("SELECT * FROM dossier WHERE code = ?", (codes[i],)).fetchall(), RUNS_FAST)
    finally:
        bare.close()
    return [Figure("open a whole dossier by code", now, base, Goal("ms", 0.5, strict=False))]


def name_search_rows(store: Store, query: str = "nguyen", runs: int = 30) -> list[Figure]:
    from counter_app.services.search import search
    from counter_app.services.worklist import worklist

    bare = bare_connect(store.path, readonly=True)
    bare_sql = ("SELECT d.id, d.code, a.full_name FROM dossier d JOIN applicant a ON a.id = d.applicant_id "
                "WHERE d.search_key IN (SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? "
                "ORDER BY rowid DESC LIMIT 51) ORDER BY d.search_key DESC")

    def bare_page(_run: int) -> None:
        bare.execute(bare_sql, (f'"{query}"',)).fetchall()

    try:
        with store.read() as session, statement_clock(store) as statements:
            search(session, query)
            worklist(session, query=query)
            statements.clear()
            cmd, base = paired_ms(lambda _i: search(session, query), bare_page, runs)
            listed, base2 = paired_ms(lambda _i: worklist(session, query=query), bare_page, runs)
            slowest = max(statements)
    finally:
        bare.close()
    return [
        Figure(f"name search {query!r}, first page (search)", cmd, base, Goal("ms", 5)),
        Figure(f"name search {query!r}, first page (list)", listed, base2, Goal("ms", 5)),
        Figure(f"name search {query!r}, slowest statement", slowest, min(base, base2), Goal("ms", 10)),
    ]


def year_with_most(path: Path) -> int:
    con = bare_connect(path, readonly=True)
    try:
        last = con.execute("SELECT MAX(received_at) FROM dossier").fetchone()[0]
        return int(last[:4]) - 1  # the last whole year
    finally:
        con.close()


def statistics_row(store: Store) -> list[Figure]:
    from counter_app import clock
    from counter_app.services import statistics as stats_service
    from counter_app.services.statistics import period_bounds

    year = year_with_most(store.path)
    first, last = date(year, 1, 1), date(year, 12, 31)
    s, e = (clock.iso(t) for t in period_bounds(first, last))
    bare = bare_connect(store.path, readonly=True)
    try:
        with store.read() as session:
            stats_service.compute(session, first, last)
            now, base = paired_ms(
                lambda _i: stats_service.compute(session, first, last),
                lambda _i: bare.execute("SELECT COUNT(*) FROM dossier WHERE received_at >= ? AND received_at < ?",
                                        (s, e)).fetchone(), RUNS_SLOW)
    finally:
        bare.close()
    return [Figure(f"statistics for a year ({year})", now, base, Goal("ms", 200))]


def xlsx_row(store: Store) -> list[Figure]:
    from openpyxl import Workbook

    from counter_app.services import papers, reports

    year = year_with_most(store.path)
    first, last = date(year, 10, 1), date(year, 10, 31)
    folder = Path(tempfile.mkdtemp(prefix="qmc-summary-xlsx-"))
    try:
        with store.read() as session:
            rows = papers.register_entries(session, first, last)
            cells = [[r.number, r.code, r.procedure_name, r.sets, r.applicant_name, r.address, r.phone,
                      r.received_at.replace(tzinfo=None), r.due_at.replace(tzinfo=None),
                      r.returned_at.replace(tzinfo=None) if r.returned_at else None, r.handed_by, r.recipient,
                      r.officer, r.note] for r in rows]

            def bare_book(run: int) -> None:
                wb = Workbook(write_only=True)
                ws = wb.create_sheet("register")
                for line in cells:
                    ws.append(line)
                wb.save(folder / f"bare{run}.xlsx")

            now, base = paired_ms(lambda run: reports.write_xlsx(session, first, last, folder / f"ours{run}.xlsx"),
                                  bare_book, RUNS_SLOW)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [Figure(f"register + statistics XLSX, {first:%m/%Y} ({len(rows):,} rows)", now, base, Goal("ms", 1000))]


def slip_row(runs: int = 50) -> list[Figure]:
    from counter_app.papers.fonts import register_fonts
    from counter_app.papers.slip import render_slip

    register_fonts()
    pages = bench_slip.slip_strings(render_slip(bench_slip.OFFICE, bench_slip.make_slip(0)))
    bench_slip.bare_canvas(pages)
    now, base = paired_ms(lambda run: render_slip(bench_slip.OFFICE, bench_slip.make_slip(run + 1)),
                          lambda _run: bench_slip.bare_canvas(pages), runs)
    return [Figure("Mẫu 01 render vs bare canvas, same strings and faces", now, base, Goal("ratio", 2, strict=False))]


def digitise_row(runs: int = 5) -> list[Figure]:
    now, base, _, _ = bench_digitise.ten_page_row(runs)
    return [Figure("10-page 200 dpi scan -> one PDF vs bare img2pdf", now, base, Goal("ms", bench_digitise.GOAL_MS))]
def upload_row(mb: int = 64, runs: int = 3) -> list[Figure]:
    from counter_app.sync.protocol_files import CHUNK_BYTES

    size = mb * bench_files.MB
    [(_chunk, ours, bare)] = bench_files.measure(size, [CHUNK_BYTES], runs)
    budget_ms = size / bench_files.MB / bench_files.GOAL_MB_S * 1000  # ≥ 50 MB/s
    return [Figure(f"upload of a {mb} MB file vs bare httpx PUTs ({mb / ours:.0f} MB/s)", ours * 1000, bare * 1000,
                   Goal("ms", budget_ms, strict=False))]


def intake_row(source: Path, runs: int) -> list[Figure]:
    """On a copy of the store: the service's intake, then bare sqlite3 writing the same rows again."""
    from counter_app.services import intake

    work = Path(tempfile.mkdtemp(prefix="qmc-summary-intake-"))
    try:
        copy_store(source, work)
        store = open_store(work)
        bare = bare_connect(store.path)
        bare.execute("PRAGMA journal_mode = WAL")
        bare.execute("PRAGMA synchronous = FULL")
        request = intake.parse_intake({
            "procedure_code": "2.000815",
            "applicant": {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "phone": "0912345678",
                          "address": "Thôn Đông, phường Bình Mỹ"}})
        actor = Actor("bench", "scripted")
        with store.write() as session:  # warm: the procedure, calendar and office in SQLite's cache
            intake.create_dossier(session, request, actor=actor)
        ours, again = [], []
        # Taking turns, so a burst of load hits both alike; in blocks, because a write by the other
        # connection empties each connection's page cache, which a counter writing alone keeps.
        for block in range(0, runs, INTAKE_BLOCK):
            written = []
            for _ in range(block, min(runs, block + INTAKE_BLOCK)):
                start = time.perf_counter()
                with store.write() as session:
                    made = intake.create_dossier(session, request, actor=actor)
                ours.append(time.perf_counter() - start)
                written.append(made.dossier["id"])
            rows = [_rows_of(bare, dossier_id) for dossier_id in written]
            for run, each in enumerate(rows, block):
                start = time.perf_counter()
                _insert_again(bare, each, run)
                again.append(time.perf_counter() - start)
        bare.close()
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    now, base = statistics.median(ours) * 1000, statistics.median(again) * 1000
    return [Figure("intake committed: service vs bare sqlite3", now, base, Goal("ratio", 3, strict=False))]


Rows = dict[str, list[dict[str, object]]]


def _rows_of(con: sqlite3.Connection, dossier_id: str) -> Rows:
    """Every row one intake wrote (the code counter is updated, not written, and is bumped again)."""

    def read(sql: str, *params: object) -> list[dict[str, object]]:
        cur = con.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    dossier = read("SELECT * FROM dossier WHERE id = ?", dossier_id)
    return {
        "dossier": dossier,
        "applicant": read("SELECT * FROM applicant WHERE id = ?", dossier[0]["applicant_id"]),
        "dossier_document": read("SELECT * FROM dossier_document WHERE dossier_id = ?", dossier_id),
        "status_event": read("SELECT * FROM status_event WHERE dossier_id = ?", dossier_id),
        "outbox": read("SELECT * FROM outbox WHERE dossier_id = ?", dossier_id),
        "audit_log": read("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1"),
        "dossier_search": read("SELECT rowid, name FROM dossier_search WHERE rowid = ?", dossier[0]["search_key"]),
    }


def _insert_again(con: sqlite3.Connection, rows: Rows, run: int) -> None:
    """The rows intake wrote, under new keys, one transaction: what SQLite alone costs for them."""
    tag, key = f"bare{run}", -1_000_000 - run
    new = {"applicant": {"id": f"{tag}a"}, "dossier_document": {"id": None, "dossier_id": f"{tag}d"},
           "dossier": {"id": f"{tag}d", "code": f"{tag}c", "search_key": key, "applicant_id": f"{tag}a"},
           "status_event": {"id": f"{tag}e", "dossier_id": f"{tag}d"}, "dossier_search": {"rowid": key},
           "outbox": {"seq": None, "event_id": f"{tag}e", "dossier_id": f"{tag}d"}, "audit_log": {"seq": None}}
    d = rows["dossier"][0]
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE code_counter SET last_n = last_n + 1 WHERE agency_code = ? AND day = ? AND counter = ?",
                (d["agency_code"], str(d["received_at"])[:10], d["counter"]))
    for table in ("applicant", "dossier", "dossier_document", "status_event", "outbox", "audit_log",
                  "dossier_search"):
        for row in rows[table]:
            values = {**row, **new[table]}
            con.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                        tuple(values.values()))
    con.execute("COMMIT")


def backup_row(store: Store, source: Path) -> list[Figure]:
    """The checked backup as the counter makes it every day, against a bare copy of the store's file
    with fsync (the least a backup of these bytes can cost). Its first run notes in the keys file that
    backups carry the store key (docs/protection.md, "Backups"); the store itself is not changed."""
    from counter_app.services import backup

    with tempfile.TemporaryDirectory(dir=source.parent) as tmp:
        target, bare = Path(tmp) / "sao-luu.qmcbak", Path(tmp) / "bare.sqlite3"
        start = time.perf_counter()
        info = backup.make_backup(store, target)
        now = time.perf_counter() - start
        target.unlink()
        start = time.perf_counter()
        shutil.copyfile(store.path, bare)
        cipher.fsync_file(bare)
        base = time.perf_counter() - start
    return [Figure(f"online backup, checked ({info.dossiers:,} dossiers) vs bare file copy", now * 1000, base * 1000,
                   Goal("ms", 15_000))]


def size_row(path: Path, dossiers: int) -> list[Figure]:
    """The store's file per million dossiers (no bare twin: the goal is the figure itself)."""
    per_million = path.stat().st_size / dossiers * 1_000_000 / 2**30
    return [Figure("store size per 1M dossiers", per_million, None, Goal("ms", 1.2, strict=False, unit="GiB"),
                   unit="GiB")]


def window_rows(source: Path, dossiers: int) -> list[Figure]:
    """The counter window (bench_ui.py, in fresh processes): start-up from source against a bare
    PySide6 window's, the keystroke in the list's search box to its results (no bare twin), and the
    peak RSS with the store open against the same on a 100,000-dossier store (bench_memory.py)."""
    import bench_memory

    starts, _ = bench_ui.timed_starts(str(source), 5)
    bare, _ = bench_ui.timed_starts(str(source), 5, bare=True)
    memory, run = bench_memory.window_rows(source, dossiers)
    name, peak, small = memory
    return [
        Figure("start-up to a usable window, from source, vs bare Qt window", statistics.median(starts) * 1000,
               statistics.median(bare) * 1000, Goal("ms", 600)),
        Figure("keystroke to search results in the window, median", run["key_median_ms"], None, Goal("ms", 16)),
        Figure("the same, worst", run["key_worst_ms"], None, Goal("ms", 40)),
        Figure(name, peak, small, Goal("ratio", 1.2, strict=False), unit="MiB"),
    ]


def protection_rows(enc_dir: Path, clear_dir: Path, intakes: int) -> list[Figure]:
    import bench_protection

    if cipher.is_clear(enc_dir / "counter.sqlite3") or not cipher.is_clear(clear_dir / "counter.sqlite3"):
        raise SystemExit("--data-dir must be the encrypted store, --clear-dir its clear twin")
    return bench_protection.summary_rows(enc_dir, clear_dir, intakes)


# --- the table ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="a store made by bench/make_dataset.py")
    parser.add_argument("--intakes", type=int, default=200)
    parser.add_argument("--clear-dir", help="the clear twin of an encrypted --data-dir "
                        "(bench_protection.py --make-encrypted): adds issue 19's rows, encrypted ÷ clear")
    parser.add_argument("--only", default="",
                        help=f"comma-separated row groups: {','.join(GROUPS)}")
    args = parser.parse_args()
    source = Path(args.data_dir)
    path = source / "counter.sqlite3"
    if not path.exists():
        print(f"Không có kho dữ liệu trong '{source}'.", file=sys.stderr)
        return 2
    con = bare_connect(path, readonly=True)
    total = con.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    con.close()
    if revision != HEAD_REVISION:  # opening would migrate it (after a backup): bench a migrated copy instead
        print(f"Kho dữ liệu ở lược đồ {revision}, bản này ở {HEAD_REVISION}: hãy nâng cấp nó trước.", file=sys.stderr)
        return 2
    print(f"store: {total:,} dossiers, {path.stat().st_size / 2**30:.2f} GiB; load {os.getloadavg()[0]:.2f}")
    wanted = set(filter(None, args.only.split(","))) or set(GROUPS)
    if "protect" in wanted and not args.clear_dir:
        wanted.discard("protect")
    started = time.perf_counter()
    store = open_store(source)
    figures: list[Figure] = []
    try:
        groups: dict[str, Callable[[], list[Figure]]] = {
            "intake": lambda: intake_row(source, args.intakes),
            "code": lambda: open_by_code_row(store),
            "search": lambda: name_search_rows(store),
            "stats": lambda: statistics_row(store),
            "xlsx": lambda: xlsx_row(store),
            "slip": slip_row,
            "digitise": digitise_row,
            "upload": upload_row,
            "backup": lambda: backup_row(store, source),
            "window": lambda: window_rows(source, total),
            "size": lambda: size_row(path, total),
            "sync": bench_sync.summary_rows,
            "protect": lambda: protection_rows(source, Path(args.clear_dir), args.intakes),
        }
        for key, measure in groups.items():
            if key in wanted:
                figures += measure()
    finally:
        store.close()
    print_table(figures, NOT_MEASURED)
    print(f"({time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.2f}; the exit status covers the "
          f"{len(figures)} rows measured here)")
    return 0 if figures and all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
