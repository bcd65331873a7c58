"""This computer's preferences for the window (QSettings): what the officer turned on or off."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from counter_app.domain.scanner_config import DEFAULT_BAUD, ScannerConfig
from counter_app.errors import UserError

ORGANISATION = "QuayMotCua"
APPLICATION = "counter-app"


class Prefs:
    def __init__(self, path: str | None = None) -> None:
        # A path (tests, portable builds) keeps the settings in that .ini file instead of the
        # user's registry / ~/.config.
        self._s = QSettings(path, QSettings.Format.IniFormat) if path else QSettings(ORGANISATION, APPLICATION)

    def _keep(self, key: str, value: object) -> None:
        """Written through at once: a crash or a power cut must not lose what the officer just chose."""
        self._s.setValue(key, value)
        self._s.sync()

    @property
    def scanner(self) -> ScannerConfig:
        """How this PC's scanner is read (ui/scanner_setup.py applies it). A value edited by hand
        into something invalid falls back to the keyboard, the way every scanner works out of the box."""
        default = "keyboard" if self._s.value("scanner/enabled", True, type=bool) else "off"  # before modes
        try:
            return ScannerConfig.checked(self._s.value("scanner/mode", default), self._s.value("scanner/port", ""),
                                         self._s.value("scanner/baud", DEFAULT_BAUD))
        except UserError:
            return ScannerConfig()

    @scanner.setter
    def scanner(self, config: ScannerConfig) -> None:
        self._s.setValue("scanner/mode", config.mode)
        self._s.setValue("scanner/port", config.port)
        self._s.setValue("scanner/baud", config.baud)
        self._s.remove("scanner/enabled")
        self._s.sync()

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    # --- printing: the printer chosen once, the slip's paper ------------------------------------------

    @property
    def printer_name(self) -> str:
        return str(self._s.value("printing/printer", "") or "")

    @printer_name.setter
    def printer_name(self, name: str) -> None:
        self._keep("printing/printer", name)

    @property
    def slip_paper(self) -> str:
        """The paper this PC last printed the slip on; "" before the first print (the office's
        default paper, papers.default_paper, applies then)."""
        value = str(self._s.value("printing/slip_paper", "") or "")
        return value if value in ("a5", "a4-2up") else ""

    @slip_paper.setter
    def slip_paper(self, paper: str) -> None:
        self._keep("printing/slip_paper", paper)

    @property
    def attention_at_start(self) -> bool:
        """Open on the attention list when something needs the counter's attention."""
        return self._s.value("attention/at_start", True, type=bool)

    @attention_at_start.setter
    def attention_at_start(self, on: bool) -> None:
        self._keep("attention/at_start", bool(on))

    @property
    def hot_folder(self) -> str:
        """The folder this PC's scanner software saves into ('' when none is chosen): a path on
        this PC or a share it reaches, so a counter-level preference, not an office setting."""
        return str(self._s.value("digitise/hot_folder", "") or "")

    @hot_folder.setter
    def hot_folder(self, folder: str) -> None:
        self._keep("digitise/hot_folder", folder)
