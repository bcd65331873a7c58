"""Typing the way an officer (or a USB scanner) does, into whatever has the focus.

qtbot.keyClicks aborts the process on non-ASCII text (docs/platform-notes.md), so text goes as QKeyEvents that
carry it, or as an input method's commit (how IBus/Unikey deliver Telex-typed Vietnamese).
Everything goes through QApplication.sendEvent, so the application's scanner filter hears it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _key(char: str) -> int:
    return ord(char.upper()) if char.isascii() and char.isalnum() else 0


def key_text(text: str, target: QWidget | None = None) -> None:
    """One key event per character, as a keyboard layout with these characters sends them."""
    for char in text:
        widget = target or focus()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, _key(char), Qt.KeyboardModifier.NoModifier, char))


def ime_text(text: str, target: QWidget | None = None) -> None:
    """What an input method (Telex through IBus or Unikey) commits once a word is composed."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(target or focus(), event)


def enter(target: QWidget | None = None) -> None:
    widget = target or focus()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))


def scan(text: str, target: QWidget | None = None, *, terminator: str = "\r") -> None:
    """A USB scanner in keyboard mode, as the window system delivers it: the whole code in one
    burst, Shift pressed around each capital (the H of H12) like a keyboard, then Enter (or a
    bare line feed, as some scanners are set up)."""
    shift = Qt.KeyboardModifier.ShiftModifier
    for char in text:
        widget = target or focus()
        if char.isupper():
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, shift, ""))
        mods = shift if char.isupper() else Qt.KeyboardModifier.NoModifier
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, _key(char), mods, char))
        if char.isupper():
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Shift,
                                                     Qt.KeyboardModifier.NoModifier, ""))
    if terminator == "\r":
        enter(target)
    else:
        widget = target or focus()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, terminator))


class StampedKeys:
    """Keys as the window system delivers them: each stamped with the time it was pressed (ms,
    X server time), so a test can deliver some of them late, as a busy UI thread does, and they
    keep their real spacing. Non-ASCII characters come as X sends them after a layout change: a
    spare key code (8) with another layout's key, or with no character at all (`lost`)."""

    SPARE_KEYCODE = 8

    def __init__(self, start_ms: int = 7_000_000, gap_ms: int = 3) -> None:
        self.now = start_ms
        self.gap = gap_ms

    def type(self, text: str, target: QWidget | None = None) -> None:
        for char in text:
            self.key(char, target)

    def key(self, char: str, target: QWidget | None = None, *, code: int | None = None) -> None:
        """`code`: the X keycode; by default the spare one for a non-ASCII character, as when X
        remaps it for each character in turn (xdotool does), a layout's own key otherwise."""
        shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() else Qt.KeyboardModifier.NoModifier
        code = code if code is not None else self.SPARE_KEYCODE if not char.isascii() else 0
        key = ord(char.upper()) if char.isascii() and char.isalnum() else (0x1EC4 if code else 0)
        self._send(key, shift, char, code, target)

    def lost(self, target: QWidget | None = None) -> None:
        """A character whose key the window system delivered without its text."""
        self._send(0, Qt.KeyboardModifier.NoModifier, "", self.SPARE_KEYCODE, target)

    def enter(self, target: QWidget | None = None) -> None:
        self._send(Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", 36, target)

    def _send(self, key: int, mods: Qt.KeyboardModifier, text: str, code: int, target: QWidget | None) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, mods, code, 0, 0, text)
            event.setTimestamp(self.now)
            QApplication.sendEvent(target or focus(), event)
            self.now += 1
        self.now += self.gap - 1
