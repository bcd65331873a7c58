"""The district's file store: digitised papers kept on disk by content hash, no database.

    <root>/ab/<sha256>        a complete file, checked against its hash
    <root>/ab/<sha256>.part   bytes received so far (appended only at its own end)
    <root>/ab/<sha256>.lock   while a request writes the file (blob_lock.py)

A complete file appears only by an atomic rename of its partial after the hash matched, so what
is at <sha256> is always whole and right; a duplicate upload finds it there and stores nothing.
A chunk is written as it arrives (the disk works while the network does), into the partial, under
the file's exclusive, non-blocking lock held for the whole chunk: the offset check and the write
are one step, so two counters or two workers of `serve --workers N` sending the same file never
write a byte twice or out of place; the second is told "busy" (409) and tries again later. The
hash is computed as the bytes arrive, so completing a file does not read it again (`_RUNNING`).
Linux and Windows alike: the lock is portable (blob_lock.py), the partial is closed before it is
renamed, and files are opened in binary mode.

Who may read which file is decided outside (`readable`, files_api.py): the store only keeps bytes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter_app.sync.protocol_files import MAX_FILE_BYTES, is_sha256
from district_server.blob_lock import O_BINARY, BlobLock

READ_BLOCK = 1024 * 1024
PARTIAL_MAX_AGE_S = 30 * 24 * 3600  # a counter resumes within days; a month untouched is abandoned


@dataclass(frozen=True)
class Held:
    """What the store holds of one file."""

    received: int
    complete: bool


class BlobError(Exception):
    """A chunk the store refuses: the HTTP status, a code, a Vietnamese message, the offset it holds."""

    def __init__(self, status: int, code: str, message: str, *, offset: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.offset = status, code, message, offset


WRONG_OFFSET = ("Đoạn tệp gửi từ byte {got} nhưng máy chủ đang có {have} byte của tệp này; "
                "hãy gửi tiếp từ byte {have}.")
HASH_MISMATCH = ("Tệp nhận được không khớp mã băm SHA-256 đã khai (tệp bị hỏng hoặc bị sửa trên đường truyền); "
                 "máy chủ không giữ lại gì, hãy gửi lại từ đầu.")
PAST_END = "Đoạn tệp vượt quá kích thước đã khai của tệp ({total} byte)."
TOO_BIG = f"Tệp quá lớn: máy chủ nhận tệp tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB."
DISK_FULL = "Ổ đĩa của máy chủ huyện đã đầy; tệp chưa được nhận, máy quầy sẽ gửi lại sau."
BUSY = ("Máy chủ huyện đang nhận tệp này từ một yêu cầu khác (đã có {have} byte); "
        "hãy gửi tiếp sau, từ phần máy chủ đã có.")
SHORT_CHUNK = "Đoạn tệp nhận được ({got} byte) ngắn hơn Content-Range ({want} byte); hãy gửi lại đoạn này."


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # --- reading ----------------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):  # never a path built from anything else
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def _part(self, sha256: str) -> Path:
        return self.path(sha256).with_name(sha256 + ".part")

    def lock(self, sha256: str) -> BlobLock:
        """The lock a request holds while it writes the file (or drops its partial)."""
        return BlobLock(self.path(sha256).with_name(sha256 + ".lock"))

    def held(self, sha256: str) -> Held:
        final = self.path(sha256)
        with contextlib.suppress(FileNotFoundError):
            return Held(final.stat().st_size, True)
        with contextlib.suppress(FileNotFoundError):
            return Held(self._part(sha256).stat().st_size, False)
        return Held(0, False)

    def stats(self) -> dict[str, int]:
        """Files held, their bytes, and uploads under way (for the dashboard and `stats`)."""
        files = size = partial = 0
        if not self.root.is_dir():
            return {"files": 0, "bytes": 0, "partial": 0}
        for shard in os.scandir(self.root):
            if not (shard.is_dir() and len(shard.name) == 2):
                continue
            for entry in os.scandir(shard.path):
                if is_sha256(entry.name):
                    files += 1
                    size += entry.stat().st_size
                elif entry.name.endswith(".part"):
                    partial += 1
        return {"files": files, "bytes": size, "partial": partial}

    def prune_partials(self, older_than_s: float = PARTIAL_MAX_AGE_S) -> int:
        """Drop partial uploads nobody added to for `older_than_s` seconds (a file deleted on the
        counter mid-way, a damaged one caught before its last chunk); how many. One being written
        to is locked, and skipped. Lock files as old are let go by a process that was killed."""
        if not self.root.is_dir():
            return 0
        limit = time.time() - older_than_s
        dropped = 0
        for shard in os.scandir(self.root):
            if not (shard.is_dir() and len(shard.name) == 2):
                continue
            for entry in os.scandir(shard.path):
                sha, _dot, suffix = entry.name.partition(".")
                if suffix not in ("part", "lock") or not is_sha256(sha):
                    continue
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime >= limit:
                        continue
                    lock = self.lock(sha)
                    if not lock.acquire():
                        continue
                    with lock:  # letting go of a free lock file removes it
                        if suffix == "part":
                            os.unlink(entry.path)
                            dropped += 1
        return dropped

    # --- writing ----------------------------------------------------------------------------------

    def begin(self, sha256: str, first: int, total: int, length: int) -> Receiving | Held:
        """Make ready to receive `length` bytes at byte `first` of a file of `total` bytes: the
        partial opened and locked, the offset checked. Held(complete) when the file is already
        whole (a duplicate: nothing to write). Raises BlobError (409 at another offset or while
        another request writes this file) with nothing changed."""
        if total > MAX_FILE_BYTES:
            raise BlobError(413, "too_large", TOO_BIG)
        if first + length > total:
            raise BlobError(400, "bad_range", PAST_END.format(total=total))
        final, part = self.path(sha256), self._part(sha256)
        if not final.parent.is_dir():
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)  # citizens' papers: the server's account only
            final.parent.mkdir(mode=0o700, exist_ok=True)
        if final.exists():
            return Held(final.stat().st_size, True)
        lock = self.lock(sha256)
        if not lock.acquire():
            have = self.held(sha256).received
            raise BlobError(409, "busy", BUSY.format(have=have), offset=have)
        try:
            if final.exists():  # finished by another request between our look and our lock
                lock.release()
                return Held(final.stat().st_size, True)
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_APPEND | O_BINARY, 0o600)
        except BaseException:
            lock.release()
            raise
        return Receiving(self, sha256, fd, lock, first, total, length)

    def append(self, sha256: str, first: int, total: int, data: bytes) -> Held:
        """One whole chunk in one call (begin, write, finish)."""
        rx = self.begin(sha256, first, total, len(data))
        if isinstance(rx, Held):
            return rx
        with rx:
            rx.write(data)
            return rx.finish()

    def iter_bytes(self, sha256: str) -> Iterator[bytes]:
        with open(self.path(sha256), "rb") as stream:
            while block := stream.read(READ_BLOCK):
                yield block


# The hash of each partial so far, kept by the process that wrote it, so the check of a 200 MB
# file needs no second read: valid only for the very partial it was made from (same inode, size
# and modification time, read under its lock); otherwise the file is read again.
_RUNNING: OrderedDict[str, tuple[tuple[int, int, int], Any]] = OrderedDict()
_RUNNING_MAX = 256
_running_lock = threading.Lock()


def _stamp(fd: int) -> tuple[int, int, int]:
    st = os.fstat(fd)
    return st.st_ino, st.st_size, st.st_mtime_ns


class Receiving:
    """One chunk going into the partial of a locked file (BlobStore.begin): `write` its bytes as
    they arrive, then `finish`; leaving the `with` without finishing cuts the partial back to where
    it was. Closing lets go of the partial and then of the lock."""

    def __init__(self, store: BlobStore, sha256: str, fd: int, lock: BlobLock, first: int, total: int,
                 length: int) -> None:
        self.store, self.sha256, self.fd, self.lock = store, sha256, fd, lock
        self.total, self.length = total, length
        self.part = store._part(sha256)
        self.written = 0
        self.done = False
        try:
            self.have = os.fstat(fd).st_size
            if self.have > total:
                # More bytes than the file has cannot be this file (a hash names one content, so one
                # size): that partial was a sender's mistake, and starting over is the way out.
                os.ftruncate(fd, 0)
                self.have = 0
            if first != self.have:
                raise BlobError(409, "wrong_offset", WRONG_OFFSET.format(got=first, have=self.have),
                                offset=self.have)
            with _running_lock:
                kept = _RUNNING.pop(sha256, None)
            stamp = _stamp(fd)
        except BaseException:
            self.close()
            raise
        self.digest = (kept[1] if kept and kept[0] == stamp else None) if self.have else hashlib.sha256()

    def __enter__(self) -> Receiving:
        return self

    def __exit__(self, *_exc: object) -> None:
        if not self.done:
            self.abort()
        self.close()

    def write(self, data: bytes) -> None:
        if self.written + len(data) > self.length:
            raise BlobError(400, "bad_length", PAST_END.format(total=self.total))
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise BlobError(507, "disk_full", DISK_FULL, offset=self.have) from None
            raise
        if self.digest is not None:
            self.digest.update(data)
        self.written += len(data)

    def finish(self) -> Held:
        """The chunk is all there: keep it, and when it was the last, check the whole file and
        make it visible (fsync, atomic rename). Raises BlobError 422 (nothing kept) on a mismatch."""
        if self.written != self.length:
            raise BlobError(400, "bad_length", SHORT_CHUNK.format(got=self.written, want=self.length))
        received = self.have + self.written
        if received < self.total:
            if self.digest is not None:
                with _running_lock:
                    _RUNNING[self.sha256] = (_stamp(self.fd), self.digest)
                    while len(_RUNNING) > _RUNNING_MAX:
                        _RUNNING.popitem(last=False)
            self.done = True
            return Held(received, False)
        os.fsync(self.fd)  # on disk before it is said to be there
        if self._hexdigest() != self.sha256:
            self._close_part()
            self.part.unlink()
            self.done = True
            raise BlobError(422, "hash_mismatch", HASH_MISMATCH, offset=0)
        final = self.store.path(self.sha256)
        self._close_part()  # Windows renames no file held open; the lock is still ours
        os.replace(self.part, final)
        _sync_dir(final.parent)
        self.done = True
        return Held(received, True)

    def _hexdigest(self) -> str:
        if self.digest is not None:
            return self.digest.hexdigest()
        digest = hashlib.sha256()
        with open(self.part, "rb") as stream:
            while block := stream.read(READ_BLOCK):
                digest.update(block)
        return digest.hexdigest()

    def abort(self) -> None:
        """The chunk did not arrive whole: the partial goes back to its length before it."""
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, self.have)
        self.done = True

    def _close_part(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def close(self) -> None:
        self._close_part()
        self.lock.release()


def _sync_dir(folder: Path) -> None:
    """The rename on disk. Windows opens no folder as a file, and NTFS journals the rename itself."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
