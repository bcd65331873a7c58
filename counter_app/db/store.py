"""Opening the local store: SQLite pragmas for durability, migrations, read and write sessions.

Durability: WAL with synchronous=FULL fsyncs every commit, so anything confirmed to the officer
survives a killed process or a power cut. Writes take the write lock up front (BEGIN IMMEDIATE),
so two writers queue on busy_timeout instead of failing half-way through a transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from counter_app.config import ensure_private_dir
from counter_app.errors import StoreBusyError, StoreReadOnlyError, UserError

# Revisions this build knows, oldest first; the last is the head. tests/unit/test_store.py checks
# that it matches the alembic scripts, so opening an up-to-date store never imports alembic.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD_REVISION = KNOWN_REVISIONS[-1]
BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _configure_connection(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is too late).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


class Store:
    """One SQLite file. Use `read()` for look-ups and `write()` for changes (one transaction each)."""

    def __init__(self, path: Path, *, backup_dir: Path | None = None) -> None:
        self.path = path
        self.backup_dir = backup_dir or path.parent / "backups"
        self.engine = make_engine(path)
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        # Counts committed write transactions: the window's one change notice (ui/desk_client.py)
        # fires when a job moved it, whatever the job was.
        self.generation = 0

    @classmethod
    def open(cls, directory: Path) -> Store:
        from counter_app.config import store_path

        try:
            ensure_private_dir(directory)
        except PermissionError:
            raise StoreReadOnlyError(directory) from None
        store = cls(store_path(directory))
        store._protect_file()  # our own store made read-only by a copy: owner-only read-write again
        check_writable(directory)
        store.migrate()
        store._protect_file()
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except OperationalError as exc:
                raise _translate(exc) from exc
            except UserError as exc:
                self._audit_refusal(exc)
                raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back (nothing changed) on error."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
                self.generation += 1
            except OperationalError as exc:
                session.rollback()
                raise _translate(exc) from exc
            except BaseException as exc:
                session.rollback()
                self._audit_refusal(exc)
                raise

    def _audit_refusal(self, exc: BaseException) -> None:
        """A refusal by the permission gate rolled its action back; it still belongs in the audit
        trail, so it is written here in a transaction of its own (services/permissions.py)."""
        from counter_app.services.permissions import Refused

        if not isinstance(exc, Refused):
            return
        from counter_app.services import audit

        with Session(self._write_engine, expire_on_commit=False) as session:
            audit.record(session, exc.actor, "refused", exc.target, {"permission": exc.permission})
            session.commit()
            self.generation += 1

    # --- schema -----------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        if self.path.exists():
            # A plain read-only look first: a store we must refuse is not even switched to WAL.
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                has_table = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has_table else None
                return row[0] if row else None
            except sqlite3.DatabaseError:
                raise UserError(f"Tệp '{self.path.name}' không phải kho dữ liệu Quầy Một Cửa hoặc đã hỏng.") from None
            finally:
                conn.close()
        with self.engine.connect() as conn:
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).first()
            if not exists:
                return None
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return row[0] if row else None

    def migrate(self, target: str = "head") -> None:
        """Bring the schema to `target`; an older store is backed up first, a newer one refused."""
        current = self.current_revision()
        if target == "head" and current == HEAD_REVISION:
            return
        if current is not None and current not in KNOWN_REVISIONS:
            raise UserError(
                f"Kho dữ liệu do một phiên bản mới hơn của Quầy Một Cửa tạo ra (lược đồ {current}); "
                "hãy cài phiên bản mới hơn. Kho dữ liệu được giữ nguyên."
            )
        if current is not None:
            self.backup_to(self.backup_dir / f"truoc-nang-cap-{current}-{_stamp()}.sqlite3")
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, target)

    def backup_to(self, target: Path) -> Path:
        """An online copy through SQLite's backup API (never a file copy of a live store)."""
        ensure_private_dir(target.parent)
        src = sqlite3.connect(self.path)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # A backup is one self-contained file: no -wal/-shm beside it on a USB stick.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        _chmod_private(target)
        return target

    def _protect_file(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            _chmod_private(Path(f"{self.path}{suffix}"))


def check_writable(directory: Path) -> None:
    """StoreReadOnlyError unless this account can write the folder and the store in it: SQLite
    creates -wal and -shm beside the store even to read it, and fails as if the file were damaged."""
    from counter_app.config import store_path

    for target in (directory, store_path(directory)):
        if target.exists() and not os.access(target, os.W_OK):
            raise StoreReadOnlyError(target)


def _chmod_private(path: Path) -> None:
    try:
        if path.exists():
            path.chmod(0o600)
    except OSError:
        pass


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _translate(exc: OperationalError) -> Exception:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in text or "busy" in text:
        return StoreBusyError()
    if "disk is full" in text or "database or disk is full" in text:
        return UserError("Ổ đĩa đã đầy: không ghi được vào kho dữ liệu; dữ liệu cũ vẫn nguyên vẹn.")
    return exc
