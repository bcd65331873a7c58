"""The window's handle on counter_app.desk: every call runs on the store lane, answers come back
on the UI thread.

A desk opened reading first (Desk.open_reading_first) answers the window's first screen through a
plain connection; `open_store` then opens the store itself on a lane of its own (SQLAlchemy's
import is most of it) while the store lane stays free for the list's searches. Until it is open,
the calls that need it are held here, in order, and submitted once it is: so the store lane never
waits for an import, and a keystroke's search never waits behind one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QMetaObject, QObject, Qt, Signal, Slot

from counter_app.desk import Desk, OfficeInfo
from ui.workers import Lane

T = TypeVar("T")
URGENT = 1  # the lane's priority for what the officer waits for on screen (DeskClient.call)


class DeskClient(QObject):
    """Every call runs on a lane; after any call that committed a write (of any kind, on any lane)
    `changed` fires once on the UI thread: the one notice every screen that shows stored data
    refreshes from, so no screen has to know which action touched it."""

    failed = Signal(object)  # the error of a call that brought no on_error of its own
    changed = Signal()
    store_opened = Signal()  # the store itself is open: every call goes straight to the lane now

    def __init__(self, open_desk: Callable[[], Desk], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = Lane("store", self)
        self._open_desk = open_desk
        self._desk: Desk | None = None  # touched on the lane's thread only
        self.recovery_code: str | None = None  # set by open(), before its answer arrives
        # On the UI thread: True once the desk's store itself is open (now every call goes straight
        # to its lane); until then the calls that need it wait in _held, as the submits to make.
        self._store_open = False
        self._held: list[Callable[[], None]] = []
        self._opener: Lane | None = None

    def open(self, on_done: Callable[[OfficeInfo | None], None], on_error: Callable[[Exception], None]) -> None:
        """Open the desk on the lane (the store whole, or reading first: see open_store); answer with
        the office."""

        def job() -> tuple[OfficeInfo | None, bool]:
            self._desk = self._open_desk()
            # A store encrypted by this opening made a recovery code: the window shows it once.
            self.recovery_code = self._desk.take_recovery_code() if self._desk.store_is_open else None
            return self._desk.office(), self._desk.store_is_open

        def done(answer: tuple[OfficeInfo | None, bool]) -> None:
            office, store_open = answer
            if store_open:
                self._release_held()
            on_done(office)

        def failed(error: Exception) -> None:
            self._release_held()  # they answer "not open", as every call to a desk that failed to open
            on_error(error)

        self.lane.submit(job, done, failed)

    def open_store(self) -> None:
        """Open the store itself behind a desk that reads first, on a lane of its own; the calls held
        meanwhile follow once it is open. Nothing to do for a desk opened whole, or not yet opened."""
        if self._store_open or self._opener is not None or self._desk is None:
            return
        self._opener = Lane("store-opening", self)

        def opened(store: Any) -> None:
            def hand_over() -> None:
                self._require().use_store(store)

            # First on the store lane, before any call that needs the store (a read through the
            # plain connection may still be running there); then the held calls, in order.
            self.lane.submit(hand_over, None, self.failed.emit, priority=URGENT)
            self._release_held()
            self.store_opened.emit()

        def failed(error: Exception) -> None:
            # Said in the window, as a store that fails to open whole is; the held calls then ask the
            # desk, which tries to open the store again on the lane and answers with what fails.
            self._release_held()
            self.failed.emit(error)

        desk = self._desk
        self._opener.submit(desk.open_store, opened, failed)

    def call(
        self,
        fn: Callable[[Desk], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        key: str | None = None,
        plain: bool = False,
        urgent: bool = False,
    ) -> None:
        """Run `fn` on the store lane. `plain`: it reads only through the desk's plain reads
        (Desk.reading: office, procedures, worklist, desk_admin.has_accounts), so it runs before the
        store itself is open; any other call waits for that (open_store). `urgent`: what the officer
        waits for on screen (the list's pages as they type, a scan's dossier) runs before the queued
        background calls (counts, settings), never before one already running."""

        def submit() -> None:
            self.lane.submit(self._job(fn), self._answer(on_done), on_error or self.failed.emit, key=key,
                             priority=URGENT if urgent else 0)

        self._when_open(submit, plain)

    def call_on(
        self,
        lane: Lane,
        fn: Callable[[Desk], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run on another lane (a backup, a long export): SQLite in WAL mode lets it read while the
        store lane keeps saving, so a minute-long backup never holds up an intake. Such calls use the
        store itself: they wait for it as `call` does."""
        self._when_open(lambda: lane.submit(self._job(fn), self._answer(on_done), on_error or self.failed.emit),
                        False)

    def _when_open(self, submit: Callable[[], None], plain: bool) -> None:
        if plain or self._store_open:
            submit()
        else:
            self._held.append(submit)

    def _release_held(self) -> None:
        self._store_open = True
        held, self._held = self._held, []
        for submit in held:
            submit()

    def _job(self, fn: Callable[[Desk], T]) -> Callable[[], tuple[T, bool]]:
        def job() -> tuple[T, bool]:
            desk = self._require()
            before = desk.generation
            try:
                result = fn(desk)
            except Exception:
                if desk.generation != before:  # a refusal was audited: the audit view moves on
                    self._notify_later()
                raise
            return result, desk.generation != before

        return job

    def _answer(self, on_done: Callable[[T], None] | None) -> Callable[[tuple[T, bool]], None]:
        def done(answer: tuple[T, bool]) -> None:
            result, wrote = answer
            if on_done is not None:
                on_done(result)
            if wrote:
                self.changed.emit()

        return done

    def _notify_later(self) -> None:
        # On the lane's thread: a queued call brings the notice to the UI thread.
        QMetaObject.invokeMethod(self, "_emit_changed", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _emit_changed(self) -> None:
        self.changed.emit()

    def close(self) -> None:
        if self._opener is not None:
            self._opener.shutdown()  # an opening under way finishes (a migration is never cut half-way)
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
