"""Cài đặt › Máy quét…: keyboard, COM port (which one, how fast) or off, for this PC."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtSerialPort import QSerialPortInfo
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.scanner_config import BAUD_RATES, MODES, ScannerConfig
from counter_app.errors import UserError
from ui import strings
from ui.views.widgets import dialog_buttons, error_line

S = strings.Scanner


class ScannerDialog(QDialog):
    def __init__(self, current: ScannerConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanner_dialog")
        self.setWindowTitle(S.TITLE)
        self.setMinimumWidth(480)
        self.chosen: ScannerConfig | None = None
        box = QGroupBox(S.MODE)
        modes = QVBoxLayout(box)
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        for i, (mode, label) in enumerate(zip(MODES, (S.MODE_KEYBOARD, S.MODE_SERIAL, S.MODE_OFF), strict=True)):
            button = QRadioButton(label)
            button.setObjectName(f"scanner_mode_{mode}")
            self.mode_group.addButton(button, i)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        self.port = QComboBox()
        self.port.setObjectName("scanner_port")
        self.port.setEditable(True)  # a port not plugged in yet can be named ahead
        self.baud = QComboBox()
        self.baud.setObjectName("scanner_baud")
        for rate in BAUD_RATES:
            self.baud.addItem(str(rate), rate)
        self.refresh_button = QPushButton(S.REFRESH)
        self.refresh_button.clicked.connect(self.refresh_ports)
        self.ports_note = QLabel()
        self.ports_note.setWordWrap(True)
        form = QFormLayout()
        port_label, baud_label = QLabel(S.PORT), QLabel(S.BAUD)
        port_label.setBuddy(self.port)
        baud_label.setBuddy(self.baud)
        form.addRow(port_label, self.port)
        form.addRow(baud_label, self.baud)
        form.addRow("", self.refresh_button)
        self.error = error_line("scanner_error")
        buttons, _ = dialog_buttons(strings.Main.YES, strings.Main.NO, self._submit, self.reject)
        column = QVBoxLayout(self)
        column.addWidget(box)
        column.addLayout(form)
        column.addWidget(self.ports_note)
        column.addWidget(self.error)
        column.addWidget(buttons)

        self.refresh_ports()
        self.mode_buttons[current.mode].setChecked(True)
        if current.port:
            self.port.setEditText(current.port)
        self.baud.setCurrentIndex(max(0, self.baud.findData(current.baud)))
        self.mode_group.idToggled.connect(lambda _i, _on: self._enable_port())
        self._enable_port()
        self.mode_buttons[current.mode].setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh_ports(self) -> None:
        typed = self.port.currentText()
        self.port.clear()
        ports = QSerialPortInfo.availablePorts()
        for info in ports:
            self.port.addItem(info.portName())
            self.port.setItemData(self.port.count() - 1, info.description() or info.systemLocation(),
                                  Qt.ItemDataRole.ToolTipRole)
        found = ", ".join(f"{p.portName()} ({p.description()})" if p.description() else p.portName() for p in ports)
        self.ports_note.setText(S.PORTS_FOUND.format(ports=found) if ports else S.NO_PORTS)
        if typed:
            self.port.setEditText(typed)

    def mode(self) -> str:
        return MODES[self.mode_group.checkedId()]

    def _enable_port(self) -> None:
        serial = self.mode() == "serial"
        for widget in (self.port, self.baud, self.refresh_button):
            widget.setEnabled(serial)

    def _submit(self) -> None:
        try:
            self.chosen = ScannerConfig.checked(self.mode(), self.port.currentText(), self.baud.currentData())
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.accept()
