"""A consistent copy of the live store's file as its bytes stand, while the counter keeps working
(the fast backup: docs/protection.md, "Backups").

SQLite's backup API copies a store page by page through two pagers, so under SQLCipher every page is
decrypted, checked and encrypted again: on a 1M store that is most of a backup's time. When the
backup may stay under the store's own key, the file's bytes are already what the backup needs.

Why the bytes stand still: after a TRUNCATE checkpoint the write-ahead log is empty, so a read
transaction begun then reads the database file alone and holds WAL read-lock 0. A checkpoint must
take that lock exclusively before it writes anything into the database file, so while the
transaction lasts the file does not change; writers still commit, into the log. Whether the
transaction did begin on an empty log is read afterwards from the log's size: the log can only be
emptied again by a checkpoint that every reader of its frames lets through, which a reader holding
any other slot does not. A checkpoint held up by another reader, or a log that filled in between,
gives `Unavailable` and the caller takes the backup API instead.

Each page is checked while it is copied: SQLCipher's `cipher_integrity_check` authenticates every
page's HMAC on the snapshot's connection, in its own thread, while the caller's thread reads the same
file into the backup and hashes what it read (to compare with what reads back from the backup).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from counter_app.db import cipher

CHECKPOINT_WAIT_MS = 500  # a checkpoint held longer than this by a reader: take the slow path
_CHUNK = 1 << 20
# POSIX drops every lock a process holds on a file when any of its descriptors of that file closes,
# SQLite's own included (https://sqlite.org/howtocorrupt.html, 2.2). The descriptor that reads the
# store's bytes is therefore opened once per file and never closed while that file is the store.
_readers: dict[str, int] = {}
_readers_lock = threading.Lock()


class Unavailable(Exception):
    """No still snapshot right now (a reader holds the log): the caller copies page by page instead."""


@dataclass
class Snapshot:
    conn: cipher.Connection  # in the snapshot's read transaction: what it reads is what is copied
    path: Path
    size: int  # bytes of the database file

    def check_pages(self) -> Callable[[], list[str]]:
        """Starts SQLCipher's page check on the snapshot's connection, in a thread of its own (the
        copy and its read-back run meanwhile, on the other core); the call returned waits for it and
        gives what it found: empty when every page authenticates under the key."""
        found: list[str] = []

        def run() -> None:
            found.extend(str(row[0]) for row in self.conn.execute("PRAGMA cipher_integrity_check"))

        checker = threading.Thread(target=run, name="snapshot-page-check")
        checker.start()

        def result() -> list[str]:
            checker.join()
            return found

        return result

    def copy_to(self, dst: BinaryIO) -> str:
        """The file's bytes appended to `dst`; returns their SHA-256."""
        digest = hashlib.sha256()
        copied = 0
        for chunk in _chunks(self.path, self.size):
            digest.update(chunk)
            dst.write(chunk)
            copied += len(chunk)
        if copied != self.size:
            raise OSError(f"'{self.path.name}' ended at {copied} of {self.size} bytes")
        return digest.hexdigest()


@contextmanager
def held(path: Path, key: bytes, *, timeout: float, attempts: int = 5) -> Iterator[Snapshot]:
    """The store at `path` held still for as long as the block runs; Unavailable when it cannot be
    (a writer that commits between the checkpoint and the read costs one more attempt)."""
    conn = cipher.connect(path, key, timeout=timeout)
    try:
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        for _ in range(attempts):
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                raise Unavailable
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read transaction starts here
            try:
                if _log_is_empty(path):
                    yield Snapshot(conn, path, path.stat().st_size)
                    return
            finally:
                conn.execute("COMMIT")
        raise Unavailable
    except cipher.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise Unavailable from None
        raise
    finally:
        conn.close()


def _log_is_empty(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return not wal.exists() or wal.stat().st_size == 0


def _chunks(path: Path, size: int) -> Iterator[bytes]:
    if os.name == "nt":  # Windows locks per handle, and an open handle would stop a restore's rename
        with path.open("rb") as fh:
            while size > 0 and (chunk := fh.read(min(_CHUNK, size))):
                size -= len(chunk)
                yield chunk
        return
    fd, offset = _reader(path), 0
    while offset < size and (chunk := os.pread(fd, min(_CHUNK, size - offset), offset)):
        offset += len(chunk)
        yield chunk


def _reader(path: Path) -> int:
    """This process's read-only descriptor of the store file; a new one once the file was replaced
    (a restore renames another file over it: the old descriptor's file is then nobody's store)."""
    name = str(path)
    with _readers_lock:
        fd = _readers.get(name)
        if fd is not None and os.fstat(fd).st_ino != os.stat(path).st_ino:
            os.close(fd)
            fd = None
        if fd is None:
            fd = _readers[name] = os.open(path, os.O_RDONLY)
        return fd
