"""The generated district (district_data.py, made on PostgreSQL) copied into a district server
database on SQLite, for bench_district.py --sqlite: the issue asks the same page bounds of a
SQLite server with 1M dossiers. Rows are copied as they are into a database migrated to the head,
so SQLite's own triggers make its running totals; the site's two offices (web_helpers.build_site,
built in the SQLite database too) are left out of the copy."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

PAGE = 20_000


class SqliteBare:
    """bench_district's bare connection on SQLite: psycopg's %s placeholders read as sqlite3's ?."""

    sqlite = True

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql.replace("%s", "?"), params)

    def close(self) -> None:
        self.conn.close()


def copy(pg_url: str, path: Path, skip_agencies: tuple[str, ...], log: Any = print) -> None:
    import psycopg

    src = psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    dst = sqlite3.connect(path, isolation_level=None)
    dst.execute("PRAGMA synchronous = OFF")  # a bench's load: the pages are measured after
    dst.execute("PRAGMA temp_store = MEMORY")
    skip = (list(skip_agencies),)
    try:
        for table, where in (("device", "agency_code <> ALL(%s)"), ("dossier", "agency_code <> ALL(%s)"),
                             ("event", "agency_code <> ALL(%s)"),
                             ("batch", "device_id IN (SELECT id FROM device WHERE agency_code <> ALL(%s))")):
            columns = [r[1] for r in dst.execute(f"PRAGMA table_info({table})") if r[1] != "seq"]
            started, n = time.perf_counter(), 0
            with src.cursor(name=f"copy_{table}") as cur:
                cur.itersize = PAGE
                cur.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", skip)
                while rows := cur.fetchmany(PAGE):
                    dst.execute("BEGIN")
                    dst.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                    f"({', '.join('?' * len(columns))})", rows)
                    dst.execute("COMMIT")
                    n += len(rows)
            log(f"  {table} into SQLite: {n:,} rows, {time.perf_counter() - started:.0f} s")
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        src.close()
        dst.close()
