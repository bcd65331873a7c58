"""How this counter reads its barcode / QR scanner: the one description every source fills.

Today the window keeps it in the PC's preferences (ui/prefs.py); an office setting can build the
same object with `ScannerConfig.checked(...)`, which refuses bad values with a Vietnamese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter_app.errors import UserError

MODES = ("keyboard", "serial", "off")
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
DEFAULT_BAUD = 9600  # what most 2D scanners ship with in USB-COM (CDC) mode


@dataclass(frozen=True)
class ScannerConfig:
    # keyboard: the scanner types (USB HID); serial: it is a (virtual) COM port sending UTF-8 bytes
    # (keyboard bursts are still recognised then); off: keys are keys, nothing is read from a port.
    mode: str = "keyboard"
    port: str = ""  # COM3, /dev/ttyACM0 (serial mode only)
    baud: int = DEFAULT_BAUD

    @classmethod
    def checked(cls, mode: Any, port: Any = "", baud: Any = DEFAULT_BAUD) -> ScannerConfig:
        mode_text = str(mode or "").strip().lower()
        if mode_text not in MODES:
            raise UserError(f"Chế độ máy quét '{mode}' không hợp lệ: chọn keyboard (bàn phím), serial "
                            "(cổng COM) hoặc off (tắt).", field="scanner_mode")
        port_text = str(port or "").strip()
        if mode_text == "serial" and not port_text:
            raise UserError("Chế độ cổng COM cần tên cổng (ví dụ COM3 hoặc /dev/ttyACM0).", field="scanner_port")
        if any(not ch.isprintable() for ch in port_text) or len(port_text) > 200:
            raise UserError(f"Tên cổng COM '{port_text[:40]}' không hợp lệ.", field="scanner_port")
        try:
            rate = int(str(baud).strip())
        except ValueError:
            rate = 0
        if rate not in BAUD_RATES:
            raise UserError(f"Tốc độ cổng COM '{baud}' không hợp lệ: chọn một trong "
                            f"{', '.join(map(str, BAUD_RATES))}.", field="scanner_baud")
        return cls(mode_text, port_text, rate)
