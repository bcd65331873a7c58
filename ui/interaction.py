"""Every question the window asks the officer goes through here (git-cola's Interaction): a yes or
no, a note, a file to save, a folder, a number, a PIN, the scanner's settings. Tests answer instead
(tests/ui/conftest.Answers); no screen calls QMessageBox, QFileDialog or QInputDialog itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

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
        QMessageBox.information(parent, strings.APP, text)

    def warn(self, parent: QWidget, text: str) -> None:
        QMessageBox.warning(parent, strings.APP, text)

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
        from PySide6.QtWidgets import QInputDialog

        number, ok = QInputDialog.getInt(parent, strings.APP, text, value, low, high)
        return number if ok else None

    def ask_secret(self, parent: QWidget, text: str) -> str | None:
        """A secret typed unseen (a token's PIN); None when the officer cancels."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        secret, ok = QInputDialog.getText(parent, strings.APP, text, QLineEdit.EchoMode.Password)
        return secret if ok else None

    def scanner_settings(self, parent: QWidget, current: ScannerConfig) -> ScannerConfig | None:
        """Cài đặt › Máy quét…: the new configuration, or None when the officer cancels."""
        from ui.dialogs.scanner_dialog import ScannerDialog

        dialog = ScannerDialog(current, parent)
        return dialog.chosen if dialog.exec() == ScannerDialog.DialogCode.Accepted else None
