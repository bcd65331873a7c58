"""One blob's exclusive, non-blocking lock (blobs.py), the same on Linux and Windows: a lock file
`ab/<sha256>.lock` beside the blob, locked with filelock's descriptor lock (flock on Linux,
LockFileEx on its first byte on Windows), held by one request of one process at a time.

The lock is a file of its own rather than the partial itself: on Windows a locked range cannot be
read through another handle (the hash check reads the partial) and a file held open cannot be
renamed (the partial becomes the blob), so the partial is opened and closed under the lock.

The lock file is removed when let go, so the folder keeps none. On Linux a waiter may have opened
it just before that: it then locks a file no longer in the folder, sees that (not the same file
as the path names), and starts again. Windows does not remove a file someone holds open, so
there the removal simply fails while another request has it, and that request now owns it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from filelock import lock_descriptor, unlock_descriptor

O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation (elsewhere 0)
_WINDOWS = os.name == "nt"
_TRIES = 3  # a lock file removed between our open and our lock, again and again: told "busy"


class BlobLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def acquire(self) -> bool:
        """Take the lock now, or False when another request holds it."""
        for _ in range(_TRIES):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | O_BINARY, 0o600)
            try:
                if not lock_descriptor(fd, blocking=False):
                    os.close(fd)
                    return False
                if _names(self.path, fd):
                    self.fd = fd
                    return True
                unlock_descriptor(fd)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # let go by its holder and removed between our open and our lock
        return False

    def release(self) -> None:
        if self.fd < 0:
            return
        fd, self.fd = self.fd, -1
        if not _WINDOWS:  # removed while still held: whoever opened it before sees it is gone
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
        try:
            unlock_descriptor(fd)
        finally:
            os.close(fd)
        if _WINDOWS:  # refused while another request holds it open: then it is theirs
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def __enter__(self) -> BlobLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _names(path: Path, fd: int) -> bool:
    """Whether `path` still names the file open at `fd`."""
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False
