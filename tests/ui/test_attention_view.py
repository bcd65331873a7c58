"""The attention list on a store with dossiers in every state, at a fixed 'now'."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app import clock
from tests.ui.keyboard import focus
from tests.ui.life_helpers import at, dossier_in

NOW = at("2026-03-10T09:00:00")  # a Tuesday


@pytest.fixture
def every_state(desk, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(clock, "now", lambda: NOW)
    codes = {
        # received Mon 2 Mar 08:00, 3 days: due Thu 5 Mar 08:00 -> overdue
        "overdue": dossier_in(desk, 4, number="001190000001", received="2026-03-02T08:00:00"),
        # half a day received today 07:00: due 11:00 today
        "today": dossier_in(desk, 2, number="001190000002", received="2026-03-10T07:00:00", procedure="9.000005"),
        # received Fri 6 Mar 08:00, 3 days: due Wed 11 Mar 08:00, within 24 h
        "soon": dossier_in(desk, 2, number="001190000003", received="2026-03-06T08:00:00"),
        # ready since 3 Mar, not collected: 7 days
        "pickup": dossier_in(desk, 9, number="001190000004", ready_at="2026-03-03T09:00:00"),
        # none of these needs attention
        "fresh_ready": dossier_in(desk, 9, number="001190000005", received="2026-03-09T08:00:00",
                                  ready_at="2026-03-09T08:30:00"),
        "supplement": dossier_in(desk, 5, number="001190000006"),
        "financial_later": dossier_in(desk, 6, number="001190000007", received="2026-03-09T08:00:00",
                                      ready_at="2026-03-09T10:30:00"),
        "withdrawn": dossier_in(desk, 7, number="001190000008"),
        "stopped": dossier_in(desk, 8, number="001190000009"),
        "returned": dossier_in(desk, 10, number="001190000010"),
    }
    return desk, codes


def test_the_attention_list_is_shown_at_start_and_opens_the_right_action(qtbot, every_state, open_window,
                                                                         prefs) -> None:  # noqa: ANN001
    store, codes = every_state
    prefs.attention_at_start = True
    window = open_window(store)
    view = window.attention
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is view, timeout=5000)
    assert view.rows("overdue") == [(codes["overdue"], "extend")]
    assert view.rows("due_today") == [(codes["today"], "handover")]
    assert view.rows("due_24h") == [(codes["soon"], "handover")]
    assert view.rows("awaiting_pickup") == [(codes["pickup"], "return")]
    assert view.summary.text() == "1 quá hạn · 1 đến hạn hôm nay · 1 đến hạn trong 24 giờ · 1 chờ nhận"
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Cần chú ý (4) (F5)"
    assert focus() is view.tree
    with qtbot.waitSignal(window.dossier_shown, timeout=5000):
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)  # the first row: the overdue one
    assert window.dossier.code == codes["overdue"]
    assert focus() is window.dossier.action_buttons["extend"]  # apology and extension, Mẫu 04
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    assert window.tabs.currentWidget() is view


def test_pickup_days_come_from_the_setting(qtbot, every_state, open_window) -> None:  # noqa: ANN001
    store, codes = every_state
    window = open_window(store)
    qtbot.keyClick(focus(), Qt.Key.Key_F5)
    view = window.attention
    qtbot.waitUntil(lambda: view.rows("awaiting_pickup") == [(codes["pickup"], "return")], timeout=5000)
    view.pickup_days.setValue(1)
    view.pickup_days.editingFinished.emit()
    qtbot.waitUntil(lambda: len(view.rows("awaiting_pickup")) == 2, timeout=5000)
    with store.read() as s:
        from counter_app.services import settings

        assert settings.get(s, "attention.pickup_days") == 1
