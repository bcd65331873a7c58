"""The counter window's menus and keys: every shortcut of the officer's day in one table, so a key
is found (and checked for clashes, tests/ui/test_mnemonics.py) in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ui import strings

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

M = strings.Main


@dataclass(frozen=True)
class WindowMenus:
    menus: dict[str, QMenu]  # "file", "dossier", "settings", "help": collaborators add to them
    quit: QAction
    scanner: QAction
    store_actions: tuple[QAction, ...]  # enabled once the office is known (MainWindow._office_ready)


def build_menus(window: MainWindow) -> WindowMenus:
    def action(text: str, keys: list[str], slot: Callable[[], None]) -> QAction:
        act = QAction(text, window)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        window.addAction(act)
        return act

    bar = window.menuBar()
    file_menu = bar.addMenu(M.MENU_FILE)
    quit_act = action(M.ACT_QUIT, ["Ctrl+Q"], window.close)
    file_menu.addAction(quit_act)
    dossier_menu = bar.addMenu(M.MENU_DOSSIER)
    store_actions = (
        action(M.ACT_NEW, ["F2"], window.new_intake),
        action(M.ACT_FIND, ["Ctrl+F", "F3"], window.find),
        action(M.ACT_SCAN, ["F4"], window.focus_code_box),
        action(strings.Intake.SCAN_CARD, ["F6"], window.scan_card),
        action(M.ACT_SAVE, ["Ctrl+S"], lambda: window.save(print_slip=False)),
        action(M.ACT_PRINT, ["Ctrl+P"], window.print_current),
        action(strings.Attention.TAB, ["F5"], lambda: window.attention_desk.show()),
        action(strings.Posters.ACT, ["F7"], window.show_posters),
        action(strings.Digitise.ACT, ["F8"], lambda: window.digitise.toggle()),
    )
    back = action(M.ACT_BACK, ["Esc"], window.escape)
    for act in (*store_actions, back):
        act.setEnabled(act is back)  # the rest wait for the office
        dossier_menu.addAction(act)
    settings_menu = bar.addMenu(M.MENU_SETTINGS)
    scanner = settings_menu.addAction(strings.Scanner.MENU, lambda: window.scanners.ask(window, window.interaction))
    help_menu = bar.addMenu(M.MENU_HELP)
    help_menu.addAction(action(M.ACT_KEYS, ["F1"], lambda: window.interaction.inform(window, M.KEYS_HELP)))
    return WindowMenus({"file": file_menu, "dossier": dossier_menu, "settings": settings_menu, "help": help_menu},
                       quit_act, scanner, store_actions)
