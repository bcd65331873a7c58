"""First start on an empty store: the setup dialog instead of a crash."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt

from counter_app.db.store import Store
from counter_app.services import backup
from counter_app.services.office import get_office
from tests.ui.keyboard import enter, focus, key_text
from ui import strings


def test_first_run_asks_for_the_office_then_opens_the_window(qtbot, tmp_path: Path, open_window, answers) -> None:  # noqa: ANN001
    folder = tmp_path / "new-office"  # nothing there yet: `counter-app` on a fresh machine
    window = open_window(folder, ready=False)
    qtbot.waitUntil(lambda: getattr(window, "setup_dialog", None) is not None and window.setup_dialog.isVisible())
    dialog = window.setup_dialog
    assert "Quầy Một Cửa" in dialog.windowTitle()
    assert not dialog.ok.isEnabled()

    dialog.editors["agency_code"].setFocus()
    key_text("000.00.20.h1")
    qtbot.waitUntil(lambda: dialog.editors["agency_code"].text() == "000.00.20.h1")
    check = dialog.fields["agency_code"].error
    assert check.isVisible() and "chưa đúng dạng ddd.dd.dd.Ldd" in check.text()
    key_text("2")
    qtbot.waitUntil(lambda: check.text() == strings.Setup.AGENCY_CODE_OK)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    key_text("UBND xã Bình Mỹ")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)  # the receiving unit keeps its default name
    key_text("Bình Mỹ")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClick(focus(), Qt.Key.Key_Up)  # counter 1
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(window.ready, timeout=15_000):
        enter()
    assert not dialog.isVisible()
    assert window.windowTitle() == "Quầy Một Cửa — Bộ phận tiếp nhận và trả kết quả, UBND xã Bình Mỹ"
    assert window._status_office.text() == "UBND xã Bình Mỹ · Quầy 1"
    assert window.intake.picker.results.count() > 0  # the demo catalogue came with the new store
    # No passphrase typed: the store's recovery code is shown once, to be written down.
    qtbot.waitUntil(lambda: any(a.startswith("Dữ liệu công dân trên máy này được mã hóa") for a in answers.asked))
    shown = re.search(r"\b([A-Z2-9]{5}(?:-[A-Z2-9]{5}){5})\b", answers.asked[-1]).group(1)
    store = Store.open(folder)
    try:
        with store.read() as session:
            office = get_office(session)
            assert (office.agency_code, office.place, office.counter) == ("000.00.20.H12", "Bình Mỹ", 1)
        made = backup.make_backup(store, tmp_path / "usb.qmcbak")
        assert backup.inspect(made.path, shown).agency_code == "000.00.20.H12"  # the code written down opens it
    finally:
        store.close()


def _code_typed(qtbot, window):  # noqa: ANN001, ANN202
    """The setup dialog once it shows, with a good agency code typed and the focus moved on."""
    qtbot.waitUntil(lambda: getattr(window, "setup_dialog", None) is not None and window.setup_dialog.isVisible())
    dialog = window.setup_dialog
    dialog.editors["agency_code"].setFocus()
    key_text("000.00.20.H12")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    return dialog


def test_a_recovery_passphrase_set_at_setup_seals_the_backups(qtbot, tmp_path: Path, open_window, answers) -> None:  # noqa: ANN001
    folder = tmp_path / "new-office"
    window = open_window(folder, ready=False)
    dialog = _code_typed(qtbot, window)
    key_text("UBND xã Bình Mỹ")
    dialog.editors["passphrase"].setFocus()
    key_text("mật khẩu của xã")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    key_text("mật khẩu của xa")
    qtbot.waitUntil(lambda: dialog.fields["passphrase_again"].error.text() == strings.Setup.PASSPHRASE_DIFFERENT)
    assert not dialog.ok.isEnabled()
    qtbot.keyClick(focus(), Qt.Key.Key_Backspace)
    key_text("ã")
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    with qtbot.waitSignal(window.ready, timeout=15_000):
        enter()
    assert not any("Mã khôi phục" in a for a in answers.asked)  # the admin chose one: no code to write down
    store = Store.open(folder)
    try:
        made = backup.make_backup(store, tmp_path / "usb.qmcbak")
        assert backup.inspect(made.path, "mật khẩu của xã").dossiers == 0
    finally:
        store.close()


def test_enter_with_a_missing_name_says_so_beside_the_field(qtbot, store, open_window) -> None:  # noqa: ANN001
    window = open_window(store, ready=False)
    dialog = _code_typed(qtbot, window)
    enter()
    assert dialog.fields["agency_name"].error.text() == strings.Setup.NEED_NAME
    assert dialog.isVisible()


def test_leaving_the_setup_closes_the_window(qtbot, store, open_window) -> None:  # noqa: ANN001
    window = open_window(store, ready=False)
    qtbot.waitUntil(lambda: getattr(window, "setup_dialog", None) is not None and window.setup_dialog.isVisible())
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_a_store_from_before_encryption_is_encrypted_at_start_and_its_code_shown_once(
        qtbot, tmp_path: Path, open_window, answers) -> None:  # noqa: ANN001
    from counter_app.db import cipher
    from tests.unit.test_protection import _clear_store_at_head

    folder = _clear_store_at_head(tmp_path / "office")
    window = open_window(folder)
    qtbot.waitUntil(lambda: any(a.startswith("Dữ liệu công dân trên máy này được mã hóa") for a in answers.asked))
    assert not cipher.is_clear(folder / "counter.sqlite3")
    assert window.windowTitle().endswith("UBND xã Bình Mỹ")
    window.close()
    asked = len(answers.asked)
    open_window(folder)  # until it is ready: a code would have been shown before that
    assert len(answers.asked) == asked  # once: the next start has nothing to show
