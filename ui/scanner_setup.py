"""The one place that turns a scanner configuration into working parts: the keyboard filter on the
application, the COM-port reader, and the words the status bar shows.

Both readers end in `scanned`, so a code is handled the same whichever way it came. The
configuration comes from this PC's preferences today; anything else that holds a ScannerConfig
(an office setting) hands it to `apply`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from counter_app.domain.scanner_config import ScannerConfig
from ui import strings
from ui.interaction import Interaction
from ui.prefs import Prefs
from ui.scanner import ScannerFilter
from ui.serial_scanner import SerialScanner


class ScannerSetup(QObject):
    scanned = Signal(str)  # a code from either reader
    failed = Signal(str)  # the COM port sent something unusable: a message for the officer
    state_changed = Signal(str)  # the status bar's text

    def __init__(self, prefs: Prefs, app: QCoreApplication | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._app = app
        self.keyboard = ScannerFilter(self, enabled=False)
        self.serial = SerialScanner(self)
        self.keyboard.scanned.connect(self.scanned)
        self.serial.scanned.connect(self.scanned)
        self.serial.failed.connect(self.failed)
        self.serial.state_changed.connect(lambda: self.state_changed.emit(self.status_text()))
        if app is not None:
            self.keyboard.install(app)
        self._config = ScannerConfig()
        # The office setting (counter_app/services/office_settings.py) is the record; the PC's
        # preferences only carry it to the next start, before the store is open.
        self.persist: Callable[[ScannerConfig], None] | None = None
        self.apply(prefs.scanner, remember=False)

    @property
    def config(self) -> ScannerConfig:
        return self._config

    def apply(self, config: ScannerConfig, *, remember: bool = True) -> None:
        self._config = config
        # In COM-port mode a scanner left in keyboard mode is still caught: nothing it types is
        # ever left in a field.
        self.keyboard.set_enabled(config.mode != "off")
        if config.mode == "serial":
            self.serial.start(config.port, config.baud)
        else:
            self.serial.stop()
        self._prefs.scanner = config
        if remember and self.persist is not None:
            self.persist(config)
        self.state_changed.emit(self.status_text())

    def status_text(self) -> str:
        mode = self._config.mode
        if mode == "off":
            return strings.Main.SCANNER_OFF
        if mode == "keyboard":
            return strings.Scanner.LABEL_KEYBOARD
        text = strings.Scanner.LABEL_SERIAL if self.serial.connected else strings.Scanner.LABEL_WAITING
        return text.format(port=port_label(self._config.port))

    def ask(self, parent: QWidget, interaction: Interaction) -> None:
        """Cài đặt › Máy quét…: the officer chooses, and it applies at once."""
        chosen = interaction.scanner_settings(parent, self._config)
        if chosen is not None:
            self.apply(chosen)

    def shutdown(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self.keyboard)
        self.keyboard.set_enabled(False)
        self.serial.stop()


def port_label(port: str) -> str:
    """/dev/ttyACM0 → ttyACM0, as the settings list the ports; COM3 stays COM3."""
    return port.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or port
