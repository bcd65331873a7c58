"""The admin screens' questions (a file to save, a folder, a number), through the window's
Interaction when it knows how to ask them, so tests answer instead of a real dialog.

ui/interaction.py has confirm/inform; until it grows save_file / choose_folder / ask_number these
fall back to Qt's own dialogs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from ui.admin.strings import APP


def save_file(interaction: Any, parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    ask = getattr(interaction, "save_file", None)
    if ask is not None:
        return ask(parent, title, suggested, filters)
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def choose_folder(interaction: Any, parent: QWidget, title: str, start: str) -> str | None:
    ask = getattr(interaction, "choose_folder", None)
    if ask is not None:
        return ask(parent, title, start)
    return QFileDialog.getExistingDirectory(parent, title, start) or None


def ask_number(interaction: Any, parent: QWidget, text: str, value: int, low: int, high: int) -> int | None:
    ask = getattr(interaction, "ask_number", None)
    if ask is not None:
        return ask(parent, text, value, low, high)
    number, ok = QInputDialog.getInt(parent, APP, text, value, low, high)
    return number if ok else None


def confirm(interaction: Any, parent: QWidget, text: str) -> bool:
    return bool(interaction.confirm(parent, text))


def inform(interaction: Any, parent: QWidget, text: str) -> None:
    interaction.inform(parent, text)
