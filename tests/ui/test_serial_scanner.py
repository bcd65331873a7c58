"""The scanner as a USB virtual COM port: the exact UTF-8 bytes, routed like a keyboard scan.

A pseudo-terminal pair stands in for the port: the app opens the slave like any serial device,
the test writes what the scanner would send into the master.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit

import ui.serial_scanner
from counter_app.domain.scanner_config import ScannerConfig
from counter_app.errors import UserError
from tests.ui.test_scanner import X_QR
from ui import strings
from ui.dialogs.scanner_dialog import ScannerDialog
from ui.prefs import Prefs
from ui.serial_scanner import FRAME_IDLE_MS, MAX_FRAME, SerialScanner

CARD = X_QR.encode("utf-8")


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    """(the master's fd to write into, the slave's path the app opens as its COM port)."""
    master, slave = os.openpty()
    yield master, os.ttyname(slave)
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


@pytest.fixture
def serial(qtbot, pty) -> Iterator[tuple[SerialScanner, int, list[str], list[str]]]:  # noqa: ANN001
    master, path = pty
    reader = SerialScanner()
    scans: list[str] = []
    failures: list[str] = []
    reader.scanned.connect(scans.append)
    reader.failed.connect(failures.append)
    reader.start(path, 9600)
    assert reader.connected, reader.problem
    yield reader, master, scans, failures
    reader.stop()


def test_a_frame_split_across_two_writes_is_one_scan(qtbot, serial, monkeypatch) -> None:  # noqa: ANN001
    _reader, master, scans, failures = serial
    monkeypatch.setattr(ui.serial_scanner, "FRAME_IDLE_MS", 60_000)  # a slow machine never takes half as a frame
    os.write(master, CARD[:58])  # cuts the "Ấ" of Ấp 3 inside its three UTF-8 bytes
    qtbot.wait(50)  # the reader sees the first half alone
    os.write(master, CARD[58:] + b"\r")
    os.write(master, b"\n000.00.20.H12-260302-0001\n")  # the LF of that CRLF, then a slip
    qtbot.waitUntil(lambda: len(scans) == 2)
    assert scans == [X_QR, "000.00.20.H12-260302-0001"]
    assert failures == []


def test_the_same_port_set_again_keeps_a_frame_on_its_way(qtbot, serial, pty, monkeypatch) -> None:  # noqa: ANN001
    """The office setting, applied again once the store is open, names the port already open:
    the card being read through it is not cut in two."""
    reader, master, scans, _failures = serial
    _master, path = pty
    monkeypatch.setattr(ui.serial_scanner, "FRAME_IDLE_MS", 60_000)
    os.write(master, CARD[:40])
    qtbot.wait(50)
    reader.start(path, 9600)
    os.write(master, CARD[40:] + b"\r\n")
    qtbot.waitUntil(lambda: len(scans) == 1)
    assert scans == [X_QR] and reader.connected


def test_decomposed_text_from_the_port_is_made_nfc(qtbot, serial) -> None:  # noqa: ANN001
    _reader, master, scans, _failures = serial
    os.write(master, b"\x02" + unicodedata.normalize("NFD", X_QR).encode() + b"\x03\r\n")  # STX … ETX framing
    qtbot.waitUntil(lambda: scans == [X_QR])


def test_bytes_that_are_not_utf8_are_refused_and_the_next_scan_still_reads(qtbot, serial) -> None:  # noqa: ANN001
    _reader, master, scans, failures = serial
    os.write(master, X_QR.encode("cp1258", errors="replace") + b"\r\n")  # a scanner set to a Windows code page
    qtbot.waitUntil(lambda: failures == [strings.Scanner.SERIAL_NOT_UTF8])
    assert scans == []
    os.write(master, CARD + b"\r\n")
    qtbot.waitUntil(lambda: scans == [X_QR])


def test_a_code_sent_without_a_line_end_is_taken_after_a_silence(qtbot, serial) -> None:  # noqa: ANN001
    _reader, master, scans, _failures = serial
    os.write(master, CARD)
    qtbot.wait(FRAME_IDLE_MS // 2)
    assert scans == []
    qtbot.waitUntil(lambda: scans == [X_QR])


def test_endless_bytes_without_a_line_end_are_dropped_with_a_message(qtbot, serial) -> None:  # noqa: ANN001
    _reader, master, scans, failures = serial
    for _ in range(MAX_FRAME // 1024 + 1):
        os.write(master, b"7" * 1024)
    qtbot.waitUntil(lambda: failures == [strings.Scanner.SERIAL_TOO_LONG.format(n=MAX_FRAME)])
    os.write(master, b"\r\n" + CARD + b"\r\n")
    qtbot.waitUntil(lambda: scans == [X_QR])  # nothing of the dropped bytes stuck to it


# --- in the window -------------------------------------------------------------------------------


def test_an_id_card_read_from_the_com_port_fills_the_intake_form(qtbot, desk, open_window, pty) -> None:  # noqa: ANN001
    master, path = pty
    window = open_window(desk)
    window.scanners.apply(ScannerConfig("serial", path, 115200))
    assert window._status_scanner.text() == strings.Scanner.LABEL_SERIAL.format(port=Path(path).name)
    editors = window.intake.editors
    editors["phone"].setFocus()
    os.write(master, CARD + b"\r\n")
    qtbot.waitUntil(lambda: editors["full_name"].text() == "Nguyễn Văn Đức")
    assert editors["address"].text() == "Ấp 3, xã Bình Mỹ, huyện Bình Chánh, TP Hồ Chí Minh"
    assert editors["birth_date"].text() == "01/01/1990"
    assert editors["phone"].text() == ""
    assert window.prefs.scanner == ScannerConfig("serial", path, 115200)


def test_bad_bytes_on_the_port_say_so_and_change_nothing(qtbot, desk, open_window, pty) -> None:  # noqa: ANN001
    master, path = pty
    window = open_window(desk)
    window.scanners.apply(ScannerConfig("serial", path, 9600))
    window.intake.editors["full_name"].setFocus()
    os.write(master, b"001090123456|012345678|Nguy\xc3n V\xe3n|01011990\r\n")
    qtbot.waitUntil(lambda: window.messages.level == "error")
    assert window.messages.text() == strings.Scanner.SERIAL_NOT_UTF8
    assert all(e.text() == "" for e in window.intake.editors.values() if isinstance(e, QLineEdit))


@pytest.mark.skipif(shutil.which("socat") is None, reason="needs socat (Debian package socat)")
def test_the_port_going_away_and_coming_back_is_reconnected(qtbot, desk, open_window, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(ui.serial_scanner, "RETRY_MS", 150)
    port, feed = tmp_path / "scanner", tmp_path / "feed"

    def plug_in() -> subprocess.Popen[bytes]:
        socat = subprocess.Popen(["socat", f"pty,raw,echo=0,link={port}", f"pty,raw,echo=0,link={feed}"])
        qtbot.waitUntil(lambda: port.exists() and feed.exists())
        return socat

    def scan(text: str) -> None:
        with open(feed, "wb", buffering=0) as out:
            out.write(text.encode() + b"\r\n")

    socat = plug_in()
    try:
        window = open_window(desk)
        window.scanners.apply(ScannerConfig("serial", str(port), 9600))
        label = window._status_scanner
        qtbot.waitUntil(lambda: label.text() == strings.Scanner.LABEL_SERIAL.format(port=port.name))
        scan(X_QR)
        qtbot.waitUntil(lambda: window.intake.editors["full_name"].text() == "Nguyễn Văn Đức")
        socat.send_signal(signal.SIGTERM)  # the scanner unplugged
        socat.wait(5)
        qtbot.waitUntil(lambda: label.text() == strings.Scanner.LABEL_WAITING.format(port=port.name))
        socat = plug_in()  # and plugged back in
        qtbot.waitUntil(lambda: label.text() == strings.Scanner.LABEL_SERIAL.format(port=port.name), timeout=5000)
        window.intake.editors["full_name"].clear()
        scan(X_QR)
        qtbot.waitUntil(lambda: window.intake.editors["full_name"].text() == "Nguyễn Văn Đức")
    finally:
        socat.send_signal(signal.SIGTERM)
        socat.wait(5)


def test_a_port_that_is_not_there_yet_is_waited_for(qtbot, desk, open_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = open_window(desk)
    missing = str(tmp_path / "ttyACM9")
    window.scanners.apply(ScannerConfig("serial", missing, 9600))
    assert window._status_scanner.text() == strings.Scanner.LABEL_WAITING.format(port="ttyACM9")


# --- the settings ----------------------------------------------------------------------------------


def test_the_scanner_dialog_asks_for_a_port_before_serial_mode(qtbot) -> None:  # noqa: ANN001
    dialog = ScannerDialog(ScannerConfig())
    qtbot.addWidget(dialog)
    assert dialog.mode_buttons["keyboard"].isChecked() and not dialog.port.isEnabled()
    dialog.mode_buttons["serial"].click()
    assert dialog.port.isEnabled()
    dialog.port.setEditText("")
    dialog._submit()
    assert dialog.chosen is None and "cần tên cổng" in dialog.error.text()
    dialog.port.setEditText("COM3")
    dialog.baud.setCurrentIndex(dialog.baud.findData(115200))
    dialog._submit()
    assert dialog.chosen == ScannerConfig("serial", "COM3", 115200)


def test_a_scanner_turned_off_before_modes_existed_stays_off(tmp_path: Path) -> None:
    path = tmp_path / "prefs.ini"
    path.write_text("[scanner]\nenabled=false\n")
    prefs = Prefs(str(path))
    assert prefs.scanner == ScannerConfig("off")
    prefs.scanner = ScannerConfig("serial", "/dev/ttyACM0", 9600)
    assert Prefs(str(path)).scanner == ScannerConfig("serial", "/dev/ttyACM0", 9600)
    path.write_text("[scanner]\nmode=serial\nport=\nbaud=12\n")  # edited by hand into nonsense
    assert Prefs(str(path)).scanner == ScannerConfig()


@pytest.mark.parametrize(("values", "message"), [
    (("usb",), "Chế độ máy quét 'usb' không hợp lệ"),
    (("serial", " "), "cần tên cổng"),
    (("serial", "COM3", "9601"), "Tốc độ cổng COM '9601' không hợp lệ"),
    (("serial", "COM3", "fast"), "Tốc độ cổng COM 'fast' không hợp lệ"),
])
def test_a_scanner_configuration_is_checked_wherever_it_comes_from(values: tuple[str, ...], message: str) -> None:
    with pytest.raises(UserError, match=message):
        ScannerConfig.checked(*values)
    assert ScannerConfig.checked(" Serial ", " COM3 ", "115200") == ScannerConfig("serial", "COM3", 115200)


def test_the_scanner_chosen_at_the_counter_is_the_office_setting_a_restart_starts_with(  # noqa: ANN001
        qtbot, desk, open_window, answers, prefs, pty) -> None:
    from counter_app.desk import Desk
    from tests.conftest import clerk

    _master, path = pty
    window = open_window(desk)
    answers.scanner_with = ScannerConfig("serial", path, 115200)
    window.scanners.ask(window, answers)
    qtbot.waitUntil(lambda: Desk(desk, clerk()).scanner() == ScannerConfig("serial", path, 115200), timeout=5000)
    window.close()
    prefs.scanner = ScannerConfig()  # the PC's own copy forgotten: the store's setting is the record
    again = open_window(desk)
    qtbot.waitUntil(lambda: again.scanners.config == ScannerConfig("serial", path, 115200), timeout=5000)
