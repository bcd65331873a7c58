"""A USB barcode / QR scanner in keyboard mode, told apart from a person typing.

A scanner types its whole code in a burst (a few ms per key) and ends with Enter; a person types
more slowly. The filter sits on the application, so it hears every key on every screen:

- a printable key that can begin a scan (a digit or a capital: codes and ID-card QRs begin so) is
  held back for a moment instead of reaching the field; if the next key comes within SCAN_GAP_MS it
  is held too, else the held keys are handed on to their field, in order. Any other key reaches
  its field at once, so typing a name or searching one is never delayed;
- Enter after a held burst of at least MIN_SCAN_LEN keys that looks machine-made (a dossier code,
  an ID-card QR, or a damaged one of those) ends a scan: the burst and the Enter are swallowed
  and `scanned` is emitted, so no scanner character is ever left in a field;
- any other key (Tab, Backspace, arrows, shortcuts) first hands on what is held, so a person's
  typing is never lost or reordered, only delayed by a few tens of milliseconds.

A person typing in a field while a scan arrives keeps what they typed; the scan is handled apart.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import Enum

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.domain.codes import parse_dossier_code
from counter_app.domain.id_card import looks_like_id_qr

SCAN_GAP_MS = 30  # scanners send keys faster than this; people (almost) never do, several in a row
FLUSH_MS = 45  # no key for this long: what is held was typed by a person
MIN_SCAN_LEN = 8

_PARTIAL_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.")
_SCAN_START = re.compile(r"[0-9A-Z]")  # the first character of an agency code or of an ID number
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PLAIN = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr,
                            Qt.Key.Key_Meta, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock})


class ScanKind(Enum):
    DOSSIER = "dossier"  # a well-formed dossier code: open it
    ID_CARD = "id_card"  # a chip ID card's QR: fill the intake form
    GARBLED = "garbled"  # a scan, but half-read or of something else: ask to scan again


def classify(text: str) -> ScanKind:
    value = text.strip()
    if parse_dossier_code(value) is not None:
        return ScanKind.DOSSIER
    if looks_like_id_qr(value):
        return ScanKind.ID_CARD
    return ScanKind.GARBLED


def looks_machine_made(text: str) -> bool:
    """What only a scanner types: a code, an ID-card QR, or a piece of one."""
    value = text.strip().upper()
    return bool(parse_dossier_code(value) or "|" in value or _PARTIAL_CODE.match(value)
                or re.fullmatch(r"\d{12}", value))


@dataclass
class _Held:
    receiver: QObject
    event: QKeyEvent


class ScannerFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self._enabled = enabled
        self._held: list[_Held] = []
        self._last_ms = 0.0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        self.flush()
        self._enabled = on

    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not self._enabled or self._replaying:
            return False
        if not self._is_first_receiver(obj):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIER_KEYS:
            # A scanner in keyboard mode presses Shift for each capital (the H of H12) like a
            # person does: a modifier alone neither ends nor starts a burst.
            return False
        now = self._stamp(event)
        plain = not (event.modifiers() & ~_PLAIN)
        text = event.text()
        enter = event.key() in _ENTER or text in ("\r", "\n")  # some scanners end with a bare CR/LF
        if enter and plain and self._held:
            burst = "".join(h.event.text() for h in self._held)
            if len(burst) >= MIN_SCAN_LEN and looks_machine_made(burst):
                self._held.clear()
                self._timer.stop()
                self.scanned.emit(burst.strip())
                return True
        if plain and text and text.isprintable():
            if self._held and now - self._last_ms > SCAN_GAP_MS:
                self.flush()
            if not self._held and not _SCAN_START.fullmatch(text):
                return False  # no scan starts like this: straight to the field
            self._held.append(_Held(obj, _copy(event)))
            self._last_ms = now
            self._timer.start()
            return True
        self.flush()
        return False

    def flush(self) -> None:
        """Hand the held keys on to their fields, in the order they came."""
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for h in held:
                if shiboken6.isValid(h.receiver):
                    QCoreApplication.sendEvent(h.receiver, h.event)
        finally:
            self._replaying = False

    @staticmethod
    def _is_first_receiver(obj: QObject) -> bool:
        # A key goes to the focus widget first, then up to its parents if ignored: only the first
        # delivery counts. Window objects (QWindow) pass keys on to the focus widget: skip them too.
        if not isinstance(obj, QWidget):
            return False
        focus = QApplication.focusWidget()
        return obj is focus if focus is not None else obj.isWindow()

    @staticmethod
    def _stamp(event: QKeyEvent) -> float:
        # The window system's time of the key when there is one: keys queued while the UI thread
        # was busy then keep their real spacing. Synthetic events (tests) carry none.
        return float(event.timestamp()) if event.timestamp() else time.monotonic() * 1000


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(event.type(), event.key(), event.modifiers(), event.nativeScanCode(),
                     event.nativeVirtualKey(), event.nativeModifiers(), event.text(),
                     event.isAutoRepeat(), event.count())
