"""Every question the window asks the officer goes through here (git-cola's Interaction): a yes or
no, a note, a file to save, a folder, a number, a PIN, the scanner's settings. Tests answer instead
(tests/ui/conftest.Answers); no screen calls QMessageBox, QFileDialog or QInputDialog itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ui import strings

if TYPE_CHECKING:
    from counter_app.domain.scanner_config import ScannerConfig


class Interaction:
    def confirm(self, parent: QWidget, text: str, *, default_yes: bool = True, yes: str = "", no: str = "") -> bool:
        """Yes or no. `default_yes=False` for a question whose yes throws work away (quitting with an
        unsaved form): then Enter, like Esc, keeps it. `yes`/`no` name what each answer does."""
        box = QMessageBox(QMessageBox.Icon.Question, strings.APP, text, parent=parent)
        yes_button = box.addButton(yes or strings.Main.YES, QMessageBox.ButtonRole.AcceptRole)
        no_button = box.addButton(no or strings.Main.NO, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes_button if default_yes else no_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def inform(self, parent: QWidget | None, text: str) -> None:
        self._tell(parent, QMessageBox.Icon.Information, text)

    def warn(self, parent: QWidget, text: str) -> None:
        self._tell(parent, QMessageBox.Icon.Warning, text)

    @staticmethod
    def _tell(parent: QWidget | None, icon: QMessageBox.Icon, text: str) -> None:
        # Qt's own buttons read in English (PySide6 ships no Vietnamese translation): name ours.
        box = QMessageBox(icon, strings.APP, text, parent=parent)
        box.setEscapeButton(box.addButton(strings.Main.CLOSE, QMessageBox.ButtonRole.AcceptRole))
        box.exec()

    def save_file(self, parent: QWidget, title: str, suggested: str, filters: str = "PDF (*.pdf)") -> str:
        """Where to save a file ('' when the officer cancels); `suggested`: a name, or a whole path."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        start = suggested if Path(suggested).is_absolute() else str(Path.home() / suggested)
        path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
        return path

    def choose_files(self, parent: QWidget, title: str, filters: str) -> list[str]:
        """Several files to open ([] when the officer cancels)."""
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return list(paths)

    def choose_folder(self, parent: QWidget, title: str, start: str) -> str:
        """A folder ('' when the officer cancels)."""
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getExistingDirectory(parent, title, start)

    def ask_number(self, parent: QWidget, text: str, value: int, low: int, high: int) -> int | None:
        dialog = self._asking(parent, text)
        dialog.setInputMode(dialog.InputMode.IntInput)
        dialog.setIntRange(low, high)
        dialog.setIntValue(value)
        return dialog.intValue() if dialog.exec() else None

    def ask_secret(self, parent: QWidget, text: str) -> str | None:
        """A secret typed unseen (a token's PIN); None when the officer cancels."""
        from PySide6.QtWidgets import QLineEdit

        dialog = self._asking(parent, text)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        secret = dialog.textValue() if dialog.exec() else None
        dialog.setTextValue("")  # not left in the dialog's memory longer than the answer
        return secret

    @staticmethod
    def _asking(parent: QWidget, text: str) -> QInputDialog:
        dialog = QInputDialog(parent)
        dialog.setObjectName("asking")
        dialog.setWindowTitle(strings.APP)
        dialog.setLabelText(text)
        dialog.setOkButtonText(strings.Main.YES)  # Qt's "OK / Cancel" would be English
        dialog.setCancelButtonText(strings.Act.CANCEL)
        return dialog

    def scanner_settings(self, parent: QWidget, current: ScannerConfig) -> ScannerConfig | None:
        """Cài đặt › Máy quét…: the new configuration, or None when the officer cancels."""
        from ui.dialogs.scanner_dialog import ScannerDialog

        dialog = ScannerDialog(current, parent)
        return dialog.chosen if dialog.exec() == ScannerDialog.DialogCode.Accepted else None
