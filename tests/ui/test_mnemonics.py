"""Alt+letter means one thing on each screen, and Tab walks out of every table.

The walk looks at what the officer sees: on every screen (each tab of the window in each state it
shows, every dialog) the '&' letters of the visible buttons, check boxes, labels with a buddy, group
boxes, tab titles and menu titles; in every menu, its items' letters. A letter used twice on one
screen reaches only one of the two, and which one Qt picks is not what the officer expects.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)

from tests.ui.life_helpers import dossier_in
from tests.ui.test_login import add_account, admin_window, log_in
from ui.admin.install import tools_of
from ui.dialogs.account_dialog import AccountDialog
from ui.dialogs.login_dialog import LoginDialog
from ui.dialogs.password_dialog import PasswordDialog
from ui.dialogs.setup_dialog import SetupDialog
from ui.sync.panel import FailedEventsDialog


def mnemonic(text: str) -> str:
    """The letter after a single '&' ('&&' is a literal ampersand), lower-cased; '' when none."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return ""


def _texts(top: QWidget) -> list[str]:
    texts: list[str] = []
    for w in top.findChildren(QWidget):
        if w.window() is not top or not w.isVisibleTo(top):
            continue
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count()) if w.isTabVisible(i)]
        elif isinstance(w, QMenuBar):
            texts += [a.text() for a in w.actions() if a.isVisible()]
    return texts


def problems(top: QWidget, where: str) -> list[str]:
    """What is wrong on this screen: a letter used twice, or one no keyboard types with Alt."""
    found = [(mnemonic(t), t) for t in _texts(top)]
    found = [(m, t) for m, t in found if m]
    said = [f"{where}: '{t}' has Alt+{m}, not a plain letter or digit" for m, t in found
            if not (m.isascii() and m.isalnum())]
    counts = Counter(m for m, _ in found)
    said += [f"{where}: Alt+{m.upper()} means {[t for n, t in found if n == m]}" for m, n in counts.items() if n > 1]
    menus = top.findChildren(QMenu)
    for menu in menus:
        items = [(mnemonic(a.text()), a.text()) for a in menu.actions() if a.isVisible() and not a.isSeparator()]
        items = [(m, t) for m, t in items if m]
        item_counts = Counter(m for m, _ in items)
        said += [f"{where}, menu '{menu.title()}': Alt+{m.upper()} means {[t for n, t in items if n == m]}"
                 for m, n in item_counts.items() if n > 1]
    return said


def every_screen_open(where: str) -> list[str]:
    said: list[str] = []
    for top in QApplication.topLevelWidgets():
        if top.isVisible() and not isinstance(top, QMenu):
            said += problems(top, f"{where} [{top.windowTitle() or top.objectName()}]")
    return said


def test_no_alt_letter_means_two_things_on_any_screen(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "admin", "admin", "Trần Văn Bình")
    codes = {status: dossier_in(desk, status, number=f"0011900000{status:02d}") for status in (2, 4, 5, 6, 9, 10)}
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "admin")  # the admin sees every menu
    tools = tools_of(window)
    said: list[str] = []

    said += every_screen_open("intake, empty")
    window.intake.picker.search.setFocus()
    window.intake.picker.search.setText("khai sinh")  # a procedure with its documents ticked
    qtbot.waitUntil(lambda: window.intake.picker.results.count() > 0)
    qtbot.keyClick(window.intake.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.intake.picker.current is not None)
    window.intake.start_card_scan()
    said += every_screen_open("intake, a procedure chosen")
    for tab in (window.worklist, window.attention):
        window.tabs.setCurrentWidget(tab)
        said += every_screen_open(f"tab {tab.objectName()}")
    window.tabs.setCurrentWidget(window.returns)
    said += every_screen_open("return, empty")
    for status in (4, 9, 10):
        with qtbot.waitSignal(window.return_shown, timeout=5000):
            window.open_return(codes[status])
        said += every_screen_open(f"return, status {status}")
    for status, code in codes.items():
        with qtbot.waitSignal(window.dossier_shown, timeout=5000):
            window.open_dossier(code)
        said += every_screen_open(f"dossier, status {status}")
        if status == 4:
            for key in ("handover", "supplement", "withdraw", "stop", "extend"):
                window.dossier_actions.run(key)
                said += every_screen_open(f"dossier, status 4, {key}")
                window.dossier_actions.dialog.reject()
    window.digitise.toggle()  # F8: the digitise panel of the dossier open last
    said += every_screen_open("digitise panel")
    tools.show_reports()
    said += every_screen_open("reports")
    tools.show_audit()
    said += every_screen_open("audit trail")
    tools.show_accounts()
    qtbot.waitUntil(lambda: tools.accounts_dialog.table.rowCount() == 1)
    said += every_screen_open("accounts")
    tools.accounts_dialog.accept()
    window.printing.preview_slip(codes[2])
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.isVisible(), timeout=10_000)
    said += every_screen_open("print preview")
    window.printing.dialog.reject()
    window.show_posters()
    qtbot.waitUntil(lambda: window.posters.results.count() > 0, timeout=5000)
    said += every_screen_open("niêm yết thủ tục")
    window.posters.preview()
    qtbot.waitUntil(lambda: window.printing.dialog is not None and window.printing.dialog.isVisible(), timeout=10_000)
    said += every_screen_open("poster preview")
    window.printing.dialog.reject()
    window.intake_desk.refuse({})
    said += every_screen_open("refusal")
    window.intake_desk.dialog.reject()
    for dialog in (SetupDialog(window), LoginDialog(window), LoginDialog(window, locked=True, username="admin"),
                   AccountDialog(window, first_admin=True), AccountDialog(window), PasswordDialog(window, "An"),
                   FailedEventsDialog(window.client, window.interaction, window)):
        qtbot.addWidget(dialog)
        said += problems(dialog, type(dialog).__name__)
    assert said == []


def test_each_menu_letter_once_even_counting_the_menus_themselves() -> None:
    window = QMainWindow()
    bar = window.menuBar()
    bar.addMenu("&Tệp")
    bar.addMenu("&Tìm")
    bar.addMenu("Xem &ồ")
    said = problems(window, "made up")
    assert any("Alt+T" in s for s in said) and any("not a plain letter" in s for s in said)
    window.deleteLater()


def _tab(widget: QWidget) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier, "\t"))


def test_tab_leaves_the_accounts_table(qtbot, desk, open_window) -> None:  # noqa: ANN001
    add_account(desk, "admin", "admin", "Trần Văn Bình")
    add_account(desk, "cb.an", "officer")
    window = admin_window(open_window, desk)
    log_in(qtbot, window, "admin")
    tools = tools_of(window)
    tools.show_accounts()
    dialog = tools.accounts_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.table.setFocus()
    dialog.table.selectRow(0)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table)
    seen = []
    for _ in range(4):
        _tab(QApplication.focusWidget())
        seen.append(QApplication.focusWidget())
    assert dialog.table not in seen[:1], "Tab stayed in the table (moved from cell to cell)"
    assert dialog.add_button in seen
