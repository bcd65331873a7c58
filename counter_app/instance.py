"""The window's claim on a data folder: one window per store, and no restore under an open window.

A lock file held for the life of the window process (filelock: flock on Linux, msvcrt on
Windows). The OS releases it when the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from filelock import FileLock, Timeout

from counter_app.errors import StoreReadOnlyError

LOCK_FILE = "counter.lock"


class InstanceLock:
    def __init__(self, directory: Path) -> None:
        self._path = directory / LOCK_FILE
        self._lock = FileLock(str(self._path))
        self._made_file = False

    def acquire(self) -> bool:
        """True when this process now holds the folder; False when another window holds it.
        StoreReadOnlyError when this account cannot create the lock file there."""
        existed = self._path.exists()
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        except PermissionError:
            raise StoreReadOnlyError(self._path.parent) from None
        self._made_file = not existed
        return True

    def release(self, *, tidy: bool = False) -> None:
        """`tidy`: a brief claim (a restore) also removes the lock file when its acquire created it,
        so the folder is left as found. Removed while still held: no other process holds it then."""
        if self._lock.is_locked:
            if tidy and self._made_file:
                with contextlib.suppress(OSError):  # Windows refuses to remove an open file: it stays there
                    self._path.unlink()
            self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked
