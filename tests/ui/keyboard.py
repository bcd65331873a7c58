"""Typing the way an officer (or a USB scanner) does, into whatever has the focus.

qtbot.keyClicks aborts the process on non-ASCII text (tech-notes), so text goes as QKeyEvents that
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
