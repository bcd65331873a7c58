"""A USB barcode / QR scanner in keyboard mode, told apart from a person typing.

A scanner types its whole code in a burst (a few ms per key) and ends with Enter; a person types
more slowly. The filter sits on the application, so it hears every key on every screen:

- a printable key that can begin a scan (a digit or a capital: codes and ID-card QRs begin so) is
  held back instead of reaching the field; the next key is held too if it comes within SCAN_GAP_MS,
  judged by the keys' own times (the window system stamps each key when it is pressed, so keys
  queued while the UI thread was busy keep their real spacing; keys without a stamp fall back on
  the wall clock). When no key came for FLUSH_MS the burst is over: typed by a person, it goes on
  to its field in order; stamped and shaped like a scan, it is a scan without its Enter (or a
  broken one) and never reaches a field;
- Enter after a held burst of at least MIN_SCAN_LEN keys that looks machine-made ends a scan: the
  burst and the Enter are swallowed and `scanned` is emitted;
- in a burst, a key is a character whatever its key code: another layout's keysym, a key with a
  modifier (AltGr), an input method's commit, Alt + keypad digits composing one (Windows). A key
  that came without its character (X remaps a spare key code per non-ASCII character and Qt may
  read the map after it changed back) is kept as UNREADABLE so the burst stays whole, and so is
  every character of a key code remapped during the burst (see _text); the ID-card reader leaves
  the field such a character falls in for the officer to type;
- if the UI thread was so busy that the burst looked over while its keys still waited in the queue
  (the flush timer fired late, or keys stamped within SCAN_GAP_MS of the last one arrive after it
  was handed on), what was handed on is taken back from its field: exactly those characters,
  leaving what the officer typed before;
- any other key (Tab, Backspace, arrows, shortcuts) first ends the burst, so a person's typing is
  never lost or reordered, only delayed by a few tens of milliseconds.

A person typing in a field while a scan arrives keeps what they typed; the scan is handled apart.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import Enum

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from counter_app.domain.codes import parse_dossier_code
from counter_app.domain.id_card import UNREADABLE, looks_like_id_qr
from counter_app.domain.product_codes import product_barcode

SCAN_GAP_MS = 30  # scanners send keys faster than this; people (almost) never do, several in a row
FLUSH_MS = 45  # no key for this long: the burst is over
LATE_MS = 15  # the flush timer this late: the UI thread was busy, keys may wait behind it
MAX_LATE_RETRIES = 4  # then judge anyway: a person's keys are never held for long
MIN_SCAN_LEN = 8

_PARTIAL_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.")
_SCAN_START = re.compile(r"[0-9A-Z]")  # the first character of an agency code or of an ID number
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_NO_KEY = (0, Qt.Key.Key_unknown)
_PLAIN = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
          | Qt.KeyboardModifier.GroupSwitchModifier)
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr,
                            Qt.Key.Key_Meta, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock})
_ALT_KEYPAD = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier
_STAMP_WRAP = 1 << 32  # X server time is a 32-bit count of milliseconds


class ScanKind(Enum):
    DOSSIER = "dossier"  # a well-formed dossier code: open it
    ID_CARD = "id_card"  # a chip ID card's QR: fill the intake form
    PRODUCT = "product"  # a retail barcode (EAN-13 …): say what it is
    GARBLED = "garbled"  # a scan, but half-read or of something else: ask to scan again


def classify(text: str) -> ScanKind:
    value = text.strip()
    if parse_dossier_code(value) is not None:
        return ScanKind.DOSSIER
    if looks_like_id_qr(value):
        return ScanKind.ID_CARD
    if product_barcode(value):
        return ScanKind.PRODUCT
    return ScanKind.GARBLED


def looks_machine_made(text: str) -> bool:
    """What only a scanner types: a code, an ID-card QR, a product barcode, or a piece of one."""
    value = text.strip().upper()
    return bool(parse_dossier_code(value) or "|" in value or _PARTIAL_CODE.match(value)
                or re.fullmatch(r"\d{12}", value) or product_barcode(value))


@dataclass
class _Piece:
    """One character (or an input method's commit) of a burst."""

    receiver: QObject
    event: QEvent  # a copy, handed on if the burst was a person's typing
    text: str
    stamp: int | None  # the window system's time of the key; None for commits and synthetic keys
    code: int = 0  # the key's native code (X keycode); 0 for commits


@dataclass
class _Typed:
    """What handing a burst on put into one field, so that it can be taken back."""

    field: QWidget
    before: str
    at: int  # the cursor before
    after: str


class ScannerFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True,
                 watch_remaps: bool | None = None) -> None:
        super().__init__(parent)
        self._enabled = enabled
        # X only: see _text. Elsewhere one key code can carry many characters legitimately
        # (Windows gives Alt+keypad compositions the Alt key's code).
        self.watch_remaps = QGuiApplication.platformName() == "xcb" if watch_remaps is None else watch_remaps
        self._pieces: list[_Piece] = []  # the burst going on, or the last one (see _typed)
        self._held = False  # its pieces are held back (not in any field)
        self._typed: list[_Typed] = []  # the pieces were handed on: what they typed, where
        self._reported = ""  # what of them was reported as a scan without its Enter
        self._last_stamp: int | None = None
        self._last_wall = 0.0
        self._untimed = 0  # pieces since the last one with a time of its own
        self._replaying = False
        self._deadline = 0.0
        self._late_retries = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._idle)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        if on == self._enabled:
            return  # the setting applied again (the store opening): a scan under way goes on
        self.flush()
        self._forget()
        self._enabled = on

    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.InputMethod) or not self._enabled or self._replaying:
            return False
        if not self._is_first_receiver(obj):
            return False
        if kind == QEvent.Type.InputMethod:
            assert isinstance(event, QInputMethodEvent)
            if not event.commitString() or event.preeditString():
                return False  # still composing: not a character yet
            return self._character(obj, event, event.commitString(), None)
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIER_KEYS:
            # A scanner in keyboard mode presses Shift for each capital (the H of H12) like a
            # person does: a modifier alone neither ends nor starts a burst.
            return False
        stamp = event.timestamp() or None  # synthetic keys (tests, some input methods) carry none
        text = event.text()
        plain = not (event.modifiers() & ~_PLAIN)
        if event.isAutoRepeat():
            self._end(stamp)  # a key held down is a person
            return False
        if (event.key() in _ENTER or text in ("\r", "\n")) and plain:  # some scanners end with a bare CR/LF
            return self._enter(stamp)
        going_on = self._continues(stamp)
        if text and text.isprintable() and (plain or going_on):
            # In a burst the modifiers say nothing (AltGr on another layout): the text is the key.
            return self._character(obj, event, text, stamp)
        if going_on and not text and event.key() in _NO_KEY and plain:
            return self._character(obj, event, UNREADABLE, stamp)
        if going_on and not text and event.modifiers() & _ALT_KEYPAD == _ALT_KEYPAD:
            return False  # Alt + keypad digits compose the next character (Windows): part of the burst
        self._end(stamp)
        return False

    def flush(self) -> None:
        """Hand the held keys on to their fields, in the order they came."""
        self._timer.stop()
        if not self._held:
            return
        self._held = False
        self._replaying = True
        try:
            for piece in self._pieces:
                receiver = piece.receiver
                if not shiboken6.isValid(receiver):
                    continue
                if not self._typed or self._typed[-1].field is not _text_widget(receiver):
                    self._note_before(receiver)
                QCoreApplication.sendEvent(receiver, piece.event)
                if self._typed and self._typed[-1].field is _text_widget(receiver):
                    self._typed[-1].after = _text_of(self._typed[-1].field)[0]
        finally:
            self._replaying = False

    # --- a burst, piece by piece --------------------------------------------------------------------

    def _character(self, obj: QObject, event: QEvent, text: str, stamp: int | None) -> bool:
        if self._pieces and not self._continues(stamp):
            self._end(stamp)
        if not self._pieces and not _SCAN_START.fullmatch(text[:1]):
            return False  # no scan starts like this: straight to the field
        if self._typed:
            self._take_back()  # the burst goes on after it was handed on: the UI thread was busy
        code = event.nativeScanCode() if isinstance(event, QKeyEvent) else 0
        self._pieces.append(_Piece(obj, event.clone(), text, stamp, code))
        self._held = True
        self._last_wall = _wall_ms()
        if stamp is None:
            self._untimed += 1
        else:
            self._last_stamp, self._untimed = stamp, 0
        self._late_retries = 0
        self._arm()
        return True

    def _continues(self, stamp: int | None) -> bool:
        """Is a key at this time part of the burst going on (or of the one just handed on)?"""
        if not self._pieces:
            return False
        if stamp is not None and self._last_stamp is not None:
            gap = (stamp - self._last_stamp) % _STAMP_WRAP
            if gap > _STAMP_WRAP // 2:
                gap = 0  # a key stamped before the last one: queued out of order, not a pause
            return gap <= SCAN_GAP_MS * (1 + self._untimed)
        # No time of its own (an input method's commit, a synthetic key): the wall clock, while the
        # burst is open.
        return self._held and self._timer.isActive() and _wall_ms() - self._last_wall <= FLUSH_MS

    def _enter(self, stamp: int | None) -> bool:
        if not self._pieces or not self._continues(stamp):
            self._end(stamp)
            return False
        burst = self._text()
        if len(burst) >= MIN_SCAN_LEN and looks_machine_made(burst):
            self._take_back()
            self._forget()
            self.scanned.emit(burst)
            return True
        self.flush()
        self._forget()
        return False

    def _idle(self) -> None:
        """No key for FLUSH_MS: judge the burst, unless the UI thread was too busy to know."""
        late = _wall_ms() - self._deadline
        if late > LATE_MS and self._late_retries < MAX_LATE_RETRIES:
            self._late_retries += 1
            self._arm()  # keys pressed meanwhile may be queued behind this timer: let them in first
            return
        self._judge()

    def _judge(self) -> None:
        burst = self._text()
        if self._last_stamp is not None and len(burst) >= MIN_SCAN_LEN and looks_machine_made(burst):
            # A scan without its Enter (a scanner set up without one, or a broken burst): never
            # typed into a field. The window opens a complete code and asks to scan again otherwise.
            # Only keys stamped by the window system prove a scanner's speed; without stamps (input
            # methods, synthetic keys) a burst with no Enter is given the benefit of the doubt.
            self._timer.stop()
            self._held = False
            if burst != self._reported:
                self._reported = burst
                self.scanned.emit(burst)
            return
        self.flush()  # kept in _pieces/_typed: keys stamped as part of it may still come (busy thread)

    def _end(self, stamp: int | None = None) -> None:
        """A key that is not part of the burst came. Stamped FLUSH_MS or more after it, the burst had
        gone quiet before (its keys were only queued late): judge it as the timer would have. Right
        after it, it was typing followed by Tab, Backspace …: hand it on."""
        if self._held:
            gap = None if stamp is None or self._last_stamp is None else (stamp - self._last_stamp) % _STAMP_WRAP
            if gap is not None and FLUSH_MS <= gap < _STAMP_WRAP // 2:
                self._judge()
            else:
                self.flush()
        self._forget()

    def _forget(self) -> None:
        self._timer.stop()
        self._pieces, self._typed = [], []
        self._held, self._reported = False, ""
        self._last_stamp, self._untimed = None, 0

    def _arm(self) -> None:
        self._deadline = _wall_ms() + FLUSH_MS
        self._timer.start(FLUSH_MS)

    def _text(self) -> str:
        """The burst's characters. On X a key code that brought two different letters (not just
        upper and lower case), or a letter and a lost one, was remapped during the burst (a tool
        binds a spare key code to each non-ASCII character in turn); Qt reads the new map some
        time after it changed, so a key there may carry the next character instead of its own
        ("Nguyăn" for Nguyễn). None of that key code's characters can be trusted: UNREADABLE, for
        the officer to type, rather than a wrong letter on a paper."""
        seen: dict[int, set[str]] = {}
        for p in self._pieces:
            if self.watch_remaps and p.code and not p.text.isascii():
                seen.setdefault(p.code, set()).add(p.text.casefold())
        remapped = {code for code, texts in seen.items() if len(texts) > 1}
        return "".join(UNREADABLE if p.code in remapped else p.text for p in self._pieces).strip()

    # --- taking back what a burst typed -------------------------------------------------------------

    def _note_before(self, receiver: QObject) -> None:
        field = _text_widget(receiver)
        if field is not None:
            text, at = _text_of(field)
            self._typed.append(_Typed(field, text, at, text))

    def _take_back(self) -> None:
        """Remove exactly what handing the burst on typed, newest first; the pieces are held again."""
        for typed in reversed(self._typed):
            if shiboken6.isValid(typed.field):
                _remove_typed(typed)
        self._typed = []
        self._held = bool(self._pieces)

    @staticmethod
    def _is_first_receiver(obj: QObject) -> bool:
        # A key goes to the focus widget first, then up to its parents if ignored: only the first
        # delivery counts. Window objects (QWindow) pass keys on to the focus widget: skip them too.
        if not isinstance(obj, QWidget):
            return False
        focus = QApplication.focusWidget()
        return obj is focus if focus is not None else obj.isWindow()


# --- the fields a burst can type into -----------------------------------------------------------------


def _wall_ms() -> float:
    return time.monotonic() * 1000


def _text_widget(obj: QObject) -> QWidget | None:
    if isinstance(obj, QComboBox):
        return obj.lineEdit()  # None unless editable
    if isinstance(obj, QLineEdit | QPlainTextEdit | QTextEdit):
        return obj
    return None


def _text_of(field: QWidget) -> tuple[str, int]:
    if isinstance(field, QLineEdit):
        return field.text(), field.cursorPosition()
    assert isinstance(field, QPlainTextEdit | QTextEdit)
    return field.toPlainText(), field.textCursor().position()


def _remove_typed(typed: _Typed) -> None:
    """Put back what the field held before the burst typed into it, cursor included: the result is
    the field without exactly the burst's characters. Only if nothing else changed it since; its
    undo history goes too, so Ctrl+Z can never bring the scan back."""
    field = typed.field
    if _text_of(field)[0] != typed.after:
        return  # changed by something else since: not ours to touch
    if isinstance(field, QLineEdit):
        field.setText(typed.before)
        field.setCursorPosition(typed.at)
        return
    assert isinstance(field, QPlainTextEdit | QTextEdit)
    field.setPlainText(typed.before)
    cursor = field.textCursor()
    cursor.setPosition(min(typed.at, len(typed.before)))
    field.setTextCursor(cursor)
