"""A barcode / QR scanner as a (virtual) COM port: the exact UTF-8 bytes of each code, no keyboard.

Most 2D scanners can present themselves as a USB serial port (CDC); each code then arrives as
bytes ending in CR and/or LF. That is the reliable way to read an ID card's Vietnamese text: no
keyboard layout, no input method, no burst timing is involved. A frame that is not UTF-8 is
refused with a message (nothing is guessed); one the scanner sends without a line end is taken
after FRAME_IDLE_MS of silence. The port is reopened when it goes away (the scanner unplugged)
and comes back, and `state_changed` tells the status bar.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtSerialPort import QSerialPort

from counter_app.domain.text import nfc
from ui import strings

RETRY_MS = 2000  # how often a missing port is looked for again
FRAME_IDLE_MS = 300  # bytes with no line end, then silence: the scanner sends no terminator
MAX_FRAME = 8192  # an ID-card QR is ~200 bytes; more without a line end is not a code
_LINE_END = re.compile(rb"\r\n|\r|\n")
_EDGE_CONTROLS = "".join(map(chr, range(32))) + "\x7f\ufeff"  # STX/ETX framing, a BOM

_GONE = (QSerialPort.SerialPortError.ResourceError, QSerialPort.SerialPortError.DeviceNotFoundError,
         QSerialPort.SerialPortError.PermissionError)


class SerialScanner(QObject):
    scanned = Signal(str)  # one code, NFC, routed like a keyboard scan
    failed = Signal(str)  # a Vietnamese message for the officer: what arrived could not be used
    state_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._port = QSerialPort(self)
        self._port.readyRead.connect(self._read)
        self._port.errorOccurred.connect(self._error)
        self._name = ""
        self._baud = 9600
        self._buffer = b""
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._open)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._take_unterminated)
        self.problem = ""  # why the port is not open, as the system said it

    @property
    def port_name(self) -> str:
        return self._name

    @property
    def connected(self) -> bool:
        return self._port.isOpen()

    def start(self, name: str, baud: int) -> None:
        if (name, baud) == (self._name, self._baud):
            return  # already on it (open, or retrying): a frame on its way is not cut
        self.stop()
        self._name, self._baud = name, baud
        self._open()

    def stop(self) -> None:
        self._retry.stop()
        self._idle.stop()
        self._buffer = b""
        was_open = self._port.isOpen()
        if was_open:
            self._port.close()
        self._name = ""
        if was_open:
            self.state_changed.emit()

    def _open(self) -> None:
        if not self._name:
            return
        port = self._port
        port.setPortName(self._name)  # COM3, ttyACM0 or a full path (/dev/ttyACM0, a pty in the tests)
        port.setBaudRate(self._baud)
        port.setDataBits(QSerialPort.DataBits.Data8)
        port.setParity(QSerialPort.Parity.NoParity)
        port.setStopBits(QSerialPort.StopBits.OneStop)
        port.setFlowControl(QSerialPort.FlowControl.NoFlowControl)
        if port.open(QSerialPort.OpenModeFlag.ReadOnly):
            self.problem = ""
            port.clear()  # half a code left from before is not the start of the next one
            self._buffer = b""
        else:
            self.problem = port.errorString()
            self._retry.start()
        self.state_changed.emit()

    def _error(self, error: QSerialPort.SerialPortError) -> None:
        if error in _GONE and self._port.isOpen():
            self.problem = self._port.errorString()
            self._port.close()
            self._buffer = b""
            self._idle.stop()
            self._retry.start()
            self.state_changed.emit()

    def _read(self) -> None:
        self._buffer += bytes(self._port.readAll().data())
        *frames, self._buffer = _LINE_END.split(self._buffer)
        for frame in frames:
            self._frame(frame)
        if len(self._buffer) > MAX_FRAME:
            self._buffer = b""
            self.failed.emit(strings.Scanner.SERIAL_TOO_LONG.format(n=MAX_FRAME))
        if self._buffer:
            self._idle.start(FRAME_IDLE_MS)
        else:
            self._idle.stop()

    def _take_unterminated(self) -> None:
        frame, self._buffer = self._buffer, b""
        self._frame(frame)

    def _frame(self, raw: bytes) -> None:
        if not raw.strip():
            return  # the LF of a CRLF split across two reads, or a blank line
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.failed.emit(strings.Scanner.SERIAL_NOT_UTF8)
            return
        text = nfc(text.strip(_EDGE_CONTROLS))
        if text:
            self.scanned.emit(text)
