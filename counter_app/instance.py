"""The window's claim on a data folder: one window per store, and no restore under an open window.

A lock file held for the life of the window process (filelock: flock on Linux, msvcrt on
Windows). The OS releases it when the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE = "counter.lock"


class InstanceLock:
    def __init__(self, directory: Path) -> None:
        self._lock = FileLock(str(directory / LOCK_FILE))

    def acquire(self) -> bool:
        """True when this process now holds the folder; False when another window holds it."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked
