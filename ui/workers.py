"""Work off the UI thread: one lane per shared resource, answers back on the UI thread.

A lane runs its jobs one after another on its own thread (a QThreadPool of one), so jobs on one
resource never overlap and the UI thread never waits for the store. A job submitted with a `key`
supersedes the earlier jobs of that key: one still queued is skipped, one already running has its
answer dropped. So the screen shows the newest search, never a late answer to an older one. A job
with a higher `priority` runs before the queued ones of lower priority (never before the one
running); jobs of one priority run in the order they came.

Answers travel in a plain queue; the lane thread only posts an empty event to wake the UI thread,
which then runs the callbacks. No Python object crosses Qt's event system, and no signal is
emitted from Python per job (PySide6 6.12.0 loses a reference on every emit(): see ui/__init__.py).
"""

from __future__ import annotations

import itertools
import logging
import queue
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool

log = logging.getLogger(__name__)

_SKIPPED = object()
_ANSWERS_READY = QEvent.Type(QEvent.registerEventType())


class Lane(QObject):
    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"lane-{name}")
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # one long-lived thread: its SQLite connections stay warm
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[str | None, Callable[[Any], None] | None, Callable[[Exception], None]]] = {}
        self._latest: dict[str, int] = {}
        self._answers: queue.SimpleQueue[tuple[int, Any, Exception | None]] = queue.SimpleQueue()

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        key: str | None = None,
        priority: int = 0,
    ) -> int:
        job_id = next(self._ids)
        self._pending[job_id] = (key, on_done, on_error or _log_error)
        if key is not None:
            self._latest[key] = job_id
        self._pool.start(lambda: self._run(job_id, key, job), priority)
        return job_id

    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Drop what has not started, let the running job finish (a save is never cut half-way)."""
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        self._pending.clear()

    def _run(self, job_id: int, key: str | None, job: Callable[[], Any]) -> None:
        # On the lane's thread. Reading _latest here is safe enough: a stale read only means
        # running a job whose answer _deliver then drops.
        if key is not None and self._latest.get(key) != job_id:
            self._answers.put((job_id, _SKIPPED, None))
        else:
            try:
                self._answers.put((job_id, job(), None))
            except Exception as exc:  # handed to on_error on the UI thread
                self._answers.put((job_id, None, exc))
        try:
            QCoreApplication.postEvent(self, QEvent(_ANSWERS_READY))
        except RuntimeError:
            pass  # the lane went with its window while the job ran: nobody is waiting for the answer

    def event(self, event: QEvent) -> bool:
        if event.type() != _ANSWERS_READY:
            return super().event(event)
        while True:
            try:
                job_id, result, error = self._answers.get_nowait()
            except queue.Empty:
                return True
            self._deliver(job_id, result, error)

    def _deliver(self, job_id: int, result: Any, error: Exception | None) -> None:
        key, on_done, on_error = self._pending.pop(job_id, (None, None, _log_error))
        if result is _SKIPPED or (key is not None and self._latest.get(key) != job_id):
            return
        if error is not None:
            on_error(error)
        elif on_done is not None:
            on_done(result)


def _log_error(error: Exception) -> None:
    log.error("lane job failed", exc_info=error)
