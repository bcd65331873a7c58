"""The server's database: SQLite (embedded default) or PostgreSQL, migrations, and the two kinds of
transaction everything else uses.

Ordering of the pull feed: a counter reads "every event of my office with seq > cursor". That is
only safe if, whenever a reader sees seq N, every smaller seq of that office is already committed.
So writers of one office take a lock for the whole transaction before they draw sequence numbers
(PostgreSQL: an advisory lock per agency code; SQLite: one writer at a time anyway). Offices do not
wait for each other on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

from district_server.config import normalise_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_MS = 30_000
_MIGRATION_LOCK_KEY = 0x514D43_0001  # any fixed number: serialises `serve` and `add-device` migrating at once


def _sqlite_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")  # an acknowledged event survives a power cut
    cur.execute("PRAGMA foreign_keys = ON")
    # Statement journals in memory, as the counter's SQLCipher build keeps them (TEMP_STORE=2):
    # Debian's libsqlite3 writes each one to a temporary file, and every row the tally triggers
    # follow wrote some thirty pages there (docs/sync.md, "Where a push spends its time").
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, pool_size=8, max_overflow=8, poolclass=QueuePool,
                                  connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000})
        sa_event.listen(engine, "connect", _sqlite_connect)
        sa_event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True, pool_timeout=60)


def agency_lock_key(agency_code: str) -> int:
    """A stable signed 64-bit key for pg_advisory_xact_lock (Python's hash() changes per process)."""
    return int.from_bytes(hashlib.sha256(f"qmc-agency:{agency_code}".encode()).digest()[:8], "big", signed=True)


class Database:
    """One database, shared by the app's request threads and the CLI."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer at a time anyway; queueing here instead of in busy_timeout's sleep
        # loop keeps twenty counters pushing at once from wasting time in back-off sleeps.
        self._sqlite_writer = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    def insert(self, table: sa.Table):  # noqa: ANN201 - dialect Insert with on_conflict_*
        """INSERT with ON CONFLICT support for this database's dialect."""
        return (sqlite_dialect.insert if self.is_sqlite else pg.insert)(table)

    @contextmanager
    def write(self, *agency_codes: str) -> Iterator[Connection]:
        """One transaction, holding the feed locks of the given offices until it commits."""
        if self.is_sqlite:
            with self._sqlite_writer, self.engine.connect() as conn:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    yield conn
            return
        with self.engine.connect() as conn, conn.begin():
            for code in sorted(set(agency_codes)):  # a fixed order: two offices never deadlock
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(agency_lock_key(code))))
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One consistent snapshot for several queries (a pull page and its cursor)."""
        if self.is_sqlite:
            with self.engine.connect() as conn, conn.begin():
                yield conn
            return
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    # --- schema ---------------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def migrate(self, target: str = "head") -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        if self.is_sqlite:
            with self._sqlite_writer, self.engine.connect() as conn:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    config.attributes["connection"] = conn
                    command.upgrade(config, target)
            return
        # A session lock, not a transaction's: each migration commits on its own (migrations/env.py),
        # and one that builds an index on millions of rows does it outside any transaction
        # (CREATE INDEX CONCURRENTLY), so counters keep pushing while the server upgrades.
        with self.engine.connect() as conn:
            conn.execute(sa.select(sa.func.pg_advisory_lock(_MIGRATION_LOCK_KEY)))
            conn.commit()
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, target)
            finally:
                conn.rollback()  # whatever a failed migration left open
                conn.execute(sa.select(sa.func.pg_advisory_unlock(_MIGRATION_LOCK_KEY)))
                conn.commit()


def open_database(url: str, *, migrate: bool = True) -> Database:
    db = Database(url)
    if migrate:
        db.migrate()
    return db


def insert_many(conn: Connection, table_name: str, rows: list[dict[str, Any]], tail: str,
                *, returning: bool = False) -> list[Any]:
    """Ingest's bulk writes: the driver's own executemany of one short INSERT per row on the
    transaction's connection. On PostgreSQL, SQLAlchemy would instead build one multi-row VALUES
    text of thousands of parameters per batch, which psycopg re-parsed every time: a third of the
    ingest time. `tail` (ON CONFLICT …) is text both databases read alike, so one statement serves
    both. Returns the first RETURNING column of every row that returned one: PostgreSQL only, as
    sqlite3's executemany returns no rows."""
    columns = list(rows[0])
    sqlite = conn.dialect.name == "sqlite"
    assert not (returning and sqlite), "sqlite3's executemany returns no rows"
    mark = "?" if sqlite else "%s"
    sql = f"INSERT INTO {table_name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))}) {tail}"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        values = [tuple(r[c] for c in columns) for r in rows]
        if sqlite:
            cursor.executemany(sql, values)
            return []
        cursor.executemany(sql, values, returning=returning)
        found: list[Any] = []
        while returning:
            found.extend(row[0] for row in cursor.fetchall())
            if not cursor.nextset():
                break
        return found
    finally:
        cursor.close()
