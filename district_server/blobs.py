"""The district's file store: digitised papers kept on disk by content hash, no database.

    <root>/ab/<sha256>        a complete file, checked against its hash
    <root>/ab/<sha256>.part   bytes received so far (appended only at its own end)
    <root>/ab/.lock           the lock of every file whose hash starts with "ab"

A complete file appears only by an atomic rename of its partial after the hash matched, so what
is at <sha256> is always whole and right; a duplicate upload finds it there and stores nothing.
Uploads of the same file (two counters, two workers of `serve --workers N`) take the shard's lock
(flock, or msvcrt on Windows) around each append: the offset check and the write are one step, so
bytes are never written twice or out of place. The lock is held for a disk write, not for the
network: the chunk is read from the request first.

Who may read which file is decided outside (`readable`, files_api.py): the store only keeps bytes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from counter_app.sync.protocol_files import MAX_FILE_BYTES, is_sha256

READ_BLOCK = 1024 * 1024


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

    # --- writing ----------------------------------------------------------------------------------

    def append(self, sha256: str, first: int, total: int, data: bytes) -> Held:
        """Add one chunk (`data` at byte `first` of a file of `total` bytes); the file is checked and
        made visible when its last byte arrives. Raises BlobError (nothing changed) otherwise."""
        if total > MAX_FILE_BYTES:
            raise BlobError(413, "too_large", TOO_BIG)
        if first + len(data) > total:
            raise BlobError(400, "bad_range", PAST_END.format(total=total))
        final, part = self.path(sha256), self._part(sha256)
        if not final.parent.is_dir():
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)  # citizens' papers: the server's account only
            final.parent.mkdir(mode=0o700, exist_ok=True)
        with _locked(final.parent / ".lock"):
            if final.exists():  # someone sent it whole already: the duplicate is not kept
                return Held(final.stat().st_size, True)
            have = part.stat().st_size if part.exists() else 0
            if have > total:
                # More bytes than the file has cannot be this file (a hash names one content, so one
                # size): that partial was a sender's mistake, and starting over is the way out.
                part.unlink()
                have = 0
            if first != have:
                raise BlobError(409, "wrong_offset", WRONG_OFFSET.format(got=first, have=have), offset=have)
            if have + len(data) == total:
                self._write(part, have, data)
                self._finish(sha256, part, final)
                return Held(total, True)
            if data:
                self._write(part, have, data)
            return Held(have + len(data), False)

    @staticmethod
    def _write(part: Path, have: int, data: bytes) -> None:
        try:
            with open(part, "ab") as out:
                out.write(data)
        except OSError as exc:
            # A short write (disk full) is cut back, so the partial's length stays the offset held.
            with contextlib.suppress(OSError), open(part, "r+b") as out:
                out.truncate(have)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise BlobError(507, "disk_full", DISK_FULL, offset=have) from None
            raise

    def _finish(self, sha256: str, part: Path, final: Path) -> None:
        digest = hashlib.sha256()
        with open(part, "rb") as stream:
            while block := stream.read(READ_BLOCK):
                digest.update(block)
            os.fsync(stream.fileno())  # on disk before it is said to be there
        if digest.hexdigest() != sha256:
            part.unlink()
            raise BlobError(422, "hash_mismatch", HASH_MISMATCH, offset=0)
        os.replace(part, final)
        _sync_dir(final.parent)

    def iter_bytes(self, sha256: str) -> Iterator[bytes]:
        with open(self.path(sha256), "rb") as stream:
            while block := stream.read(READ_BLOCK):
                yield block


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        if os.name == "nt":  # pragma: no cover - the district server on Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _sync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - NTFS renames are journaled; no directory handle to sync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
