"""The store's file read through SQLCipher's own driver, before SQLAlchemy is loaded.

Importing SQLAlchemy and sqlmodel is most of a start (docs/platform-notes.md, "Start-up"). The
window's first screen only reads (the office, the catalogue, the first page of the dossier list, and
whether any account exists), so it reads through this plain connection while the ORM loads on a
thread of its own; every write waits for `Store.open`, which checks the schema and migrates first.

The plain connection is used only when nothing but reading is needed to open the store: the file is
there, encrypted, its key opens through this PC's local copy, and its schema is this build's head.
Anything else (a new, clear, older or newer store) returns None, and the caller opens the full
`Store`, which creates, encrypts, backs up or refuses as it always did. The connection is read-only
(`mode=ro`): nothing written to it could bypass the audit chain or the synchronous commits.

This module imports no SQLAlchemy; db/store.py takes its revisions and cache sizes from here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter_app.db import cipher

# Revisions this build knows, oldest first; the last is the head. tests/unit/test_store.py checks
# that it matches the alembic scripts, so opening an up-to-date store never imports alembic.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011")
HEAD_REVISION = KNOWN_REVISIONS[-1]
# Each connection's page cache, in KiB (SQLite's default is 2 MiB). In an encrypted store a page read
# from the OS is decrypted and checked every time it leaves this cache, so a path that reads the same
# pages again (a month's register and its statistics, the list's pages) wants them kept. Memory is
# taken only as pages are read.
PAGE_CACHE_KIB = 64 * 1024
# All the process's SQLite memory together (every pooled connection's cache): past this, caches reuse
# their pages instead of growing, so the window's memory does not grow with the store's size
# (bench/summary.py, "memory"; docs/protection.md, "At a million dossiers").
SQLITE_HEAP_LIMIT = 64 * 1024 * 1024


def stored_revision(conn: cipher.Connection) -> str | None:
    """The schema revision recorded in the store (None: no schema yet). cipher.DatabaseError when the
    key does not open the file or it is not a store."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has_table else None
    return row[0] if row else None


def check_writable(directory: Path) -> None:
    """StoreReadOnlyError unless this account can write the folder and the store in it: SQLite
    creates -wal and -shm beside the store even to read it, and fails as if the file were damaged."""
    from counter_app.config import store_path
    from counter_app.errors import StoreReadOnlyError

    for target in (directory, store_path(directory)):
        if target.exists() and not os.access(target, os.W_OK):
            raise StoreReadOnlyError(target)


class PlainStore:
    """A read-only connection to a store at this build's head revision, for the window's first reads."""

    def __init__(self, conn: cipher.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, directory: Path) -> PlainStore | None:
        """The plain connection, or None when opening the store needs more than reading it."""
        from counter_app.config import store_path
        from counter_app.db import keys

        path = store_path(directory)
        if not path.is_file() or path.stat().st_size == 0 or cipher.is_clear(path) or not keys.exists(directory):
            return None
        check_writable(directory)  # said now, as the full opening would, not at the first save
        conn = cipher.connect(path, keys.load(directory).store_key, readonly=True)
        try:
            if stored_revision(conn) != HEAD_REVISION:
                conn.close()
                return None
        except cipher.DatabaseError:  # the full opening says what is wrong with the file
            conn.close()
            return None
        conn.isolation_level = None  # transactions are read()'s own
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        conn.execute(f"PRAGMA soft_heap_limit = {SQLITE_HEAP_LIMIT}")
        return cls(conn)

    @contextmanager
    def read(self) -> Iterator[cipher.Connection]:
        """One read transaction: every statement in it sees the same snapshot, as a session's do."""
        self._conn.execute("BEGIN")
        try:
            yield self._conn
        finally:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()
