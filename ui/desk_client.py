"""The window's handle on counter_app.desk: every call runs on the store lane, answers come back
on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QMetaObject, QObject, Qt, Signal, Slot

from counter_app.desk import Desk, OfficeInfo
from ui.workers import Lane

T = TypeVar("T")


class DeskClient(QObject):
    """Every call runs on a lane; after any call that committed a write (of any kind, on any lane)
    `changed` fires once on the UI thread: the one notice every screen that shows stored data
    refreshes from, so no screen has to know which action touched it."""

    failed = Signal(object)  # the error of a call that brought no on_error of its own
    changed = Signal()

    def __init__(self, open_desk: Callable[[], Desk], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = Lane("store", self)
        self._open_desk = open_desk
        self._desk: Desk | None = None  # touched on the lane's thread only
        self.recovery_code: str | None = None  # set by open(), before its answer arrives

    def open(self, on_done: Callable[[OfficeInfo | None], None], on_error: Callable[[Exception], None]) -> None:
        """Open the store (heavy imports, maybe a migration) on the lane; answer with the office."""

        def job() -> OfficeInfo | None:
            self._desk = self._open_desk()
            # A store encrypted by this opening made a recovery code: the window shows it once.
            self.recovery_code = self._desk.take_recovery_code()
            return self._desk.office()

        self.lane.submit(job, on_done, on_error)

    def call(
        self,
        fn: Callable[[Desk], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        key: str | None = None,
    ) -> int:
        return self._submit(self.lane, fn, on_done, on_error, key)

    def call_on(
        self,
        lane: Lane,
        fn: Callable[[Desk], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Run on another lane (a backup, a long export): SQLite in WAL mode lets it read while the
        store lane keeps saving, so a minute-long backup never holds up an intake."""
        return self._submit(lane, fn, on_done, on_error, None)

    def _submit(self, lane: Lane, fn: Callable[[Desk], T], on_done: Callable[[T], None] | None,
                on_error: Callable[[Exception], None] | None, key: str | None) -> int:
        def job() -> tuple[T, bool]:
            desk = self._require()
            before = desk.store.generation
            try:
                result = fn(desk)
            except Exception:
                if desk.store.generation != before:  # a refusal was audited: the audit view moves on
                    self._notify_later()
                raise
            return result, desk.store.generation != before

        def done(answer: tuple[T, bool]) -> None:
            result, wrote = answer
            if on_done is not None:
                on_done(result)
            if wrote:
                self.changed.emit()

        return lane.submit(job, done, on_error or self.failed.emit, key=key)

    def _notify_later(self) -> None:
        # On the lane's thread: a queued call brings the notice to the UI thread.
        QMetaObject.invokeMethod(self, "_emit_changed", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _emit_changed(self) -> None:
        self.changed.emit()

    def close(self) -> None:
        self.lane.shutdown()
        if self._desk is not None:
            self._desk.close()
            self._desk = None

    def _require(self) -> Desk:
        if self._desk is None:
            raise RuntimeError("the store is not open")
        return self._desk


def ignore(_: Any) -> None:
    """on_done for calls whose answer nobody needs."""
