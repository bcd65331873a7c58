"""SQLCipher 4 connections: the one place that opens the store's file (engine, migrations, backups).

A raw 256-bit key (`PRAGMA key = "x'…'"`) skips SQLCipher's PBKDF2, so opening costs what plain
SQLite does. Without a key the same library reads a clear file (a store from before encryption,
a backup made by an older version).

Each page is checked with HMAC-SHA256 instead of SQLCipher 4's default HMAC-SHA512
(docs/protection.md, "Costs"): with the CPU's SHA extensions (Intel since 2019–2021, every AMD Zen)
it costs under half as much per page read from the disk, which is most of what an encrypted
look-up pays over a clear one. Files encrypted before with SHA-512 (stores, backups) still open:
`connect` falls back to it when the first page does not check.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import sqlcipher3.dbapi2 as dbapi

from counter_app.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
DatabaseError = dbapi.DatabaseError
Connection = dbapi.Connection


def is_clear(path: Path) -> bool:
    """A clear SQLite file (an encrypted one starts with random salt)."""
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


HMAC = "HMAC_SHA256"
OLDER_HMAC = "HMAC_SHA512"  # SQLCipher 4's default: what files encrypted before were checked with
_NOT_A_DATABASE = 26  # SQLITE_NOTADB: the first page does not check under this key and format


def connect(path: Path, key: bytes | None, *, readonly: bool = False, timeout: float = 5.0) -> Connection:
    """A connection whose first statements are the key and the page format. With a key, the first
    page is read to tell the format (a new file gets HMAC); call `check` to know whether the key
    opens the file."""
    conn = _connect(path, key, HMAC, readonly, timeout)
    if key is None or _checks(conn):
        return conn
    conn.close()
    return _connect(path, key, OLDER_HMAC, readonly, timeout)


def _connect(path: Path, key: bytes | None, hmac: str, readonly: bool, timeout: float) -> Connection:
    target = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = dbapi.connect(target, uri=True, timeout=timeout, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # its own stderr lines would reach the CLI's user
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
    return conn


def _checks(conn: Connection) -> bool:
    """Whether the first page opened (a busy or missing file is not a wrong format: its own error
    comes at the caller's first statement)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        return getattr(exc, "sqlite_errorcode", None) != _NOT_A_DATABASE
    return True


def page_format(conn: Connection) -> str:
    """The HMAC algorithm the connection's main file is checked with (docs/protection.md)."""
    return str(conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0])


def check(conn: Connection, path: Path) -> None:
    """UserError unless the key opened the file (a wrong key and a damaged first page look alike)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError:
        raise UserError(f"Không mở được '{path.name}': khóa không đúng hoặc tệp đã hỏng. Không có gì thay đổi.") \
            from None


def export(conn: Connection, target: Path, key: bytes | None, *, inside: Callable[[], object] | None = None) -> None:
    """Everything `conn` holds, copied into a new file `target` under `key`, from one snapshot.

    sqlcipher_export keeps rows, indexes, triggers and FTS5 tables but not user_version nor WAL mode.
    The whole copy runs in one read transaction (`conn` has isolation_level None), so concurrent
    writers (WAL) are not seen half-way; `inside` runs in that same snapshot (to count rows).
    """
    hex_key = "" if key is None else f"x'{key.hex()}'"  # '' attaches a clear file
    conn.execute("ATTACH DATABASE ? AS export KEY ?", (str(target), hex_key))
    try:
        if key is not None:
            conn.execute(f"PRAGMA export.cipher_hmac_algorithm = {HMAC}")
        conn.execute("BEGIN")
        try:
            if inside is not None:
                inside()
            conn.execute("SELECT sqlcipher_export('export')").fetchone()
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA export.user_version = {int(version)}")
        finally:
            conn.execute("COMMIT")
    finally:
        conn.execute("DETACH DATABASE export")


def rekey(path: Path, old: bytes | None, new: bytes) -> None:
    """`path` (no other connection open on it) from key `old` to key `new`, in place."""
    conn = connect(path, old)
    try:
        check(conn, path)
        conn.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
    finally:
        conn.close()


def fsync_file(path: Path) -> None:
    # Opened for writing: Windows flushes (FlushFileBuffers) only a handle that may write.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
