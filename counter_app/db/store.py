"""Opening the local store: SQLite pragmas for durability, migrations, read and write sessions.

Durability: WAL with synchronous=FULL fsyncs every commit, so anything confirmed to the officer
survives a killed process or a power cut. Writes take the write lock up front (BEGIN IMMEDIATE),
so two writers queue on busy_timeout instead of failing half-way through a transaction.

At rest the file is SQLCipher 4 under the key db/keys.py keeps (docs/protection.md); every
connection, the migrations' included, comes from db/cipher.connect.
"""

from __future__ import annotations

import os
import shutil
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
from counter_app.db import cipher, keys
from counter_app.db.plain_store import (  # noqa: F401 - HEAD_REVISION and KNOWN_REVISIONS: this module's too
    HEAD_REVISION,
    KNOWN_REVISIONS,
    PAGE_CACHE_KIB,
    SQLITE_HEAP_LIMIT,
    check_writable,
    stored_revision,
)
from counter_app.errors import StoreBusyError, StoreReadOnlyError, UserError

BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _configure_connection(dbapi_conn: cipher.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is too late).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    cur.execute(f"PRAGMA soft_heap_limit = {SQLITE_HEAP_LIMIT}")  # process-wide: the same for each connection
    cur.close()


def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, key: bytes | None) -> Engine:
    # module=: SQLAlchemy maps sqlcipher3's own exception classes (busy, disk full) as it does sqlite3's.
    engine = create_engine(
        f"sqlite:///{path}",
        module=cipher.dbapi,
        creator=lambda: cipher.connect(path, key, timeout=BUSY_TIMEOUT_MS / 1000),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


class Store:
    """One SQLite file. Use `read()` for look-ups and `write()` for changes (one transaction each)."""

    def __init__(self, path: Path, *, key: bytes | None, backup_dir: Path | None = None) -> None:
        """`key` None reads a clear file: a store from before encryption (Store.open encrypts it)."""
        self.path = path
        self.key = key
        self.backup_dir = backup_dir or path.parent / "backups"
        self.engine = make_engine(path, key)
        self.keyring: keys.KeyRing | None = None  # set by open(): seals this store's backups
        self.recovery_code: str | None = None  # made by this open(): to be shown once, then forgotten
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        # Counts committed write transactions: the window's one change notice (ui/desk_client.py)
        # fires when a job moved it, whatever the job was.
        self.generation = 0

    @classmethod
    def open(cls, directory: Path, *, passphrase: str | None = None) -> Store:
        """Open (creating, encrypting and migrating as needed) the store in `directory`, and seal the
        digitised files an older counter kept in clear. A new store gets its key here, sealed under
        `passphrase` or else a recovery code left in `recovery_code`."""
        from counter_app.config import store_path

        try:
            ensure_private_dir(directory)
        except PermissionError:
            raise StoreReadOnlyError(directory) from None
        path = store_path(directory)
        exists = path.exists() and path.stat().st_size > 0
        code = None
        if exists and cipher.is_clear(path):
            check_writable(directory)
            ring, code = (keys.load(directory), None) if keys.exists(directory) else keys.create(directory, passphrase)
            encrypt_in_place(path, ring.store_key, path.parent / "backups")
        elif exists or keys.exists(directory):
            ring = keys.load(directory)
        else:
            ring, code = keys.create(directory, passphrase)
        store = cls(path, key=ring.store_key)
        store.keyring, store.recovery_code = ring, code
        store._protect_file()  # our own store made read-only by a copy: owner-only read-write again
        check_writable(directory)
        store.migrate()
        store._protect_file()
        from counter_app.digitise.vault import FileVault  # the scans get the store's protection too

        FileVault.of(store).seal_clear_files()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def set_office_passphrase(self, passphrase: str | None) -> None:
        """At setup (init, the first-run dialog): the admin's recovery passphrase seals the key and the
        backups from now on. None keeps the code this opening made (`recovery_code`, to be shown), or,
        when the store was made by an opening whose code nobody saw (setup left half-way), a new one."""
        if passphrase is None:
            if self.recovery_code is not None:
                return
            passphrase = self.recovery_code = keys.new_recovery_code()
        else:
            self.recovery_code = None
        self.keyring = keys.set_passphrase(self.path.parent, passphrase)

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
            conn = cipher.connect(self.path, self.key, readonly=True)
            try:
                return stored_revision(conn)
            except cipher.DatabaseError:
                raise UserError(f"Tệp '{self.path.name}' không phải kho dữ liệu Quầy Một Cửa, đã hỏng, hoặc không "
                                "mở được bằng khóa của nó. Không có gì thay đổi.") from None
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

    def backup_to(self, target: Path, key: bytes | None = None) -> Path:
        """An online copy through SQLite's backup API (never a file copy of a live store; one step, so
        one consistent snapshot), under `key` (a backup's file key) or else the store's own (the copy
        kept on this PC before an upgrade or a restore). SQLCipher re-encrypts each page on the way."""
        ensure_private_dir(target.parent)
        src = cipher.connect(self.path, self.key, timeout=BUSY_TIMEOUT_MS / 1000)
        dst = cipher.connect(target, key or self.key)
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


def encrypt_in_place(path: Path, key: bytes, backup_dir: Path) -> None:
    """A clear store (from before encryption) becomes SQLCipher under `key`, losing nothing.

    The encrypted copy is made beside the store and checked (integrity; every table's row count equal
    to the clear one's); a copy of it is kept in backups/ first; then one atomic rename swaps it in.
    Until that rename the clear store is untouched, so a failure at any step leaves it as it was.
    """
    incoming = path.with_name(f".{path.name}.dang-ma-hoa")
    incoming.unlink(missing_ok=True)
    clear = cipher.connect(path, None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        clear.isolation_level = None
        tables = [r[0] for r in clear.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts: dict[str, int] = {}
        cipher.export(clear, incoming, key, inside=lambda: counts.update(  # the counts and the copy: one snapshot
            {t: clear.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}))
        clear.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except cipher.DatabaseError as exc:
        incoming.unlink(missing_ok=True)
        raise UserError(f"Không mã hóa được kho dữ liệu ({exc}); kho dữ liệu được giữ nguyên.") from None
    finally:
        clear.close()
    try:
        enc = cipher.connect(incoming, key)
        try:
            if enc.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise UserError("Bản mã hóa của kho dữ liệu không đạt kiểm tra toàn vẹn; kho dữ liệu được giữ nguyên.")
            for table, count in counts.items():
                if enc.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] != count:
                    raise UserError(f"Bản mã hóa thiếu dữ liệu bảng {table}; kho dữ liệu được giữ nguyên.")
        finally:
            enc.close()
        _chmod_private(incoming)
        cipher.fsync_file(incoming)
        ensure_private_dir(backup_dir)
        kept = backup_dir / f"truoc-ma-hoa-{_stamp()}.sqlite3"
        shutil.copyfile(incoming, kept)
        _chmod_private(kept)
        for suffix in ("-wal", "-shm"):  # checkpointed empty above: nothing in them is lost
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, path)
        keys.fsync_dir(path.parent)
    except OSError as exc:
        raise UserError(f"Không mã hóa được kho dữ liệu ({exc}); kho dữ liệu được giữ nguyên.") from None
    finally:
        incoming.unlink(missing_ok=True)


def raw_connection(path: Path, *, keys_in: Path | None = None, **options: object) -> cipher.Connection:
    """A DB-API connection to a store file (or a copy of it kept in backups/, with `keys_in` its store's
    folder), keyed from that folder: for the bench tools and tests that read the file directly."""
    return cipher.connect(path, keys.load(keys_in or path.parent).store_key, **options)  # type: ignore[arg-type]


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
