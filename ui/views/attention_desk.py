"""The attention list's use cases in the window: load it (with the pickup reminder's days), count it
on its tab, change the days, and show it first at the start of the day when something is late and
no work has begun. The list itself (ui/views/attention_view.py) only shows and asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter_app.desk import PICKUP_DAYS_KEY
from ui import strings

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

T = strings.Attention


class AttentionDesk:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._at_start = True  # the first load of the session may bring the list to the front
        view = window.attention
        view.open_requested.connect(lambda code, action: window.open_dossier(code, action=action))
        view.reload_requested.connect(lambda: self.reload())
        view.pickup_days_changed.connect(self._set_pickup_days)

    def show(self) -> None:
        window = self.window
        window.tabs.setCurrentWidget(window.attention)
        window.attention.focus_list()
        self.reload()

    def reload(self) -> None:
        self.window.client.call(lambda d: (d.attention(), d.pickup_days()), self._loaded, key="attention")

    def _loaded(self, answer: tuple[Any, int]) -> None:
        window = self.window
        attention, days = answer
        window.attention.show_attention(attention, days)
        total = window.attention.total
        index = window.tabs.indexOf(window.attention)
        window.tabs.setTabText(index, T.TAB_COUNT.format(n=total) if total else T.TAB)
        if self._at_start:
            self._at_start = False
            # At the start of the day the counter sees what is late first, unless work has begun.
            if (total and window.prefs.attention_at_start and window.tabs.currentWidget() is window.intake
                    and not window.intake.is_dirty()):
                window.tabs.setCurrentWidget(window.attention)
                window.attention.focus_list()
        window.attention_shown.emit()

    def _set_pickup_days(self, days: int) -> None:
        window = self.window
        window.client.call(lambda d: d.set_setting(PICKUP_DAYS_KEY, days), lambda _n: self.reload(),
                           window.show_error)
