"""This computer's preferences for the window (QSettings): what the officer turned on or off."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "QuayMotCua"
APPLICATION = "counter-app"


class Prefs:
    def __init__(self, path: str | None = None) -> None:
        # A path (tests, portable builds) keeps the settings in that .ini file instead of the
        # user's registry / ~/.config.
        self._s = QSettings(path, QSettings.Format.IniFormat) if path else QSettings(ORGANISATION, APPLICATION)

    @property
    def scanner_enabled(self) -> bool:
        return self._s.value("scanner/enabled", True, type=bool)

    @scanner_enabled.setter
    def scanner_enabled(self, on: bool) -> None:
        self._s.setValue("scanner/enabled", bool(on))
        self._s.sync()

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)
