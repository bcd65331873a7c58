"""Every question the window asks the officer goes through here, so tests can answer instead."""

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

    def inform(self, parent: QWidget, text: str) -> None:
        QMessageBox.information(parent, strings.APP, text)

    def save_pdf_path(self, parent: QWidget, title: str, suggested: str) -> str:
        """Where to save a PDF ('' when the officer cancels)."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        start = str(Path.home() / suggested)
        path, _ = QFileDialog.getSaveFileName(parent, title, start, "PDF (*.pdf)")
        return path

    def scanner_settings(self, parent: QWidget, current: ScannerConfig) -> ScannerConfig | None:
        """Cài đặt › Máy quét…: the new configuration, or None when the officer cancels."""
        from ui.dialogs.scanner_dialog import ScannerDialog

        dialog = ScannerDialog(current, parent)
        return dialog.chosen if dialog.exec() == ScannerDialog.DialogCode.Accepted else None
