"""The dossier list over a few thousand dossiers: lazy pages, filters, overdue rows, opening one."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from counter_app.desk import ListFilter
from tests.ui.conftest import bulk_dossiers
from tests.ui.keyboard import focus, key_text
from ui import strings
from ui.models.dossier_table_model import OVERDUE_COLOUR, DossierTableModel

COUNT = 3000


@pytest.fixture
def big(desk):  # noqa: ANN001, ANN201
    # Statuses in turn: received, processing, supplement (clock stopped), done, returned.
    bulk_dossiers(desk, COUNT, statuses=(2, 4, 5, 9, 10))
    return desk


def test_pages_come_as_the_officer_scrolls(qtbot, big, open_window) -> None:  # noqa: ANN001
    window = open_window(big)
    model: DossierTableModel = window.worklist.model
    assert model.rowCount() == DossierTableModel.FIRST_PAGE  # one page read at start, not 3000 rows
    assert model.canFetchMore(QModelIndex())
    codes = [model.row_at(i).code for i in range(model.rowCount())]
    assert codes[0] == "000.00.20.H12-260306-0600"  # newest first

    qtbot.keyClick(focus(), Qt.Key.Key_F3)
    table = window.worklist.table
    table.setFocus()
    while model.rowCount() < COUNT:
        before = model.rowCount()
        table.scrollToBottom()  # the view asks the model for more when it reaches the end
        qtbot.waitUntil(lambda before=before: model.rowCount() > before, timeout=5000)
        assert model.rowCount() - before <= DossierTableModel.PAGE
    assert not model.canFetchMore(QModelIndex())
    codes = [model.row_at(i).code for i in range(model.rowCount())]
    assert len(set(codes)) == COUNT  # no page twice, none missing
    assert codes[-1] == "000.00.20.H12-260302-0001"
    assert window.worklist.footer.text() == strings.Worklist.SHOWN.format(n="3.000")


def test_filters(qtbot, big, open_window) -> None:  # noqa: ANN001
    window = open_window(big)
    view, model = window.worklist, window.worklist.model

    def shown() -> list:
        return [model.row_at(i) for i in range(model.rowCount())]

    def settle() -> None:
        qtbot.waitUntil(lambda: not model.loading and view.footer.text() != strings.Worklist.LOADING)

    view.deadline.setCurrentIndex(view.deadline.findData("overdue"))
    settle()
    rows = shown()
    assert rows and all(r.status in (2, 4) and r.overdue for r in rows)  # 5 has its clock stopped
    index = model.index(0, DossierTableModel.DUE)
    assert index.data().endswith(" · quá hạn")  # words, not colour alone
    assert index.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    assert isinstance(index.data(Qt.ItemDataRole.FontRole), QFont) and index.data(Qt.ItemDataRole.FontRole).bold()

    view.clear_filters()
    view.status.setCurrentIndex(view.status.findText("Đã trả kết quả"))
    settle()
    assert {r.status for r in shown()} == {10}
    assert model.index(0, DossierTableModel.DUE).data(Qt.ItemDataRole.FontRole) is None

    view.status.setCurrentIndex(0)
    view.received_from.setDate(date(2026, 3, 4))
    view.received_to.setDate(date(2026, 3, 4))
    settle()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        settle()
    rows = shown()
    assert len(rows) == 600 and {r.received_at[:10] for r in rows} == {"2026-03-04"}

    view.clear_filters()
    view.search.setFocus()
    key_text("dang quoc viet 2")  # diacritics optional, the last word a prefix
    qtbot.waitUntil(lambda: model.filter.query == "dang quoc viet 2")
    settle()
    rows = shown()
    assert rows and all(r.applicant_name.startswith("Đặng Quốc Việt 2") for r in rows)


def test_an_older_answer_never_overwrites_a_newer_search(qtbot, big, open_window) -> None:  # noqa: ANN001
    window = open_window(big)
    model = window.worklist.model
    loaded: list[int] = []
    model.page_loaded.connect(lambda: loaded.append(model.rowCount()))
    for query in ("nguyen", "tran", "le minh hung 29"):  # three keystrokes' worth, no waiting
        model.set_filter(ListFilter(query=query))
    qtbot.waitUntil(lambda: not model.loading and bool(loaded))
    qtbot.waitUntil(lambda: not window.client.lane.busy())  # every answer is in, superseded ones too
    assert loaded == [model.rowCount()]  # only the newest answer reached the screen
    assert {model.row_at(i).applicant_name for i in range(model.rowCount())} <= {
        f"Lê Minh Hùng {i}" for i in range(29, 3000)}


def test_enter_and_double_click_open_the_dossier(qtbot, big, open_window) -> None:  # noqa: ANN001
    window = open_window(big)
    qtbot.keyClick(focus(), Qt.Key.Key_F3)
    table = window.worklist.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    second = window.worklist.model.row_at(1).code
    with qtbot.waitSignal(window.dossier_shown, timeout=5000) as shown:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert shown.args == [second]
    assert window.dossier.title.text() == second
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    assert window.tabs.currentWidget() is window.worklist
    rect = table.visualRect(window.worklist.model.index(0, 1))
    with qtbot.waitSignal(window.dossier_shown, timeout=5000) as shown:
        # QTest's double click needs the first click of the pair sent on its own.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown.args == [window.worklist.model.row_at(0).code]


def test_once_usable_the_window_keeps_what_it_loaded_out_of_the_collectors_full_passes(qtbot, desk,  # noqa: ANN001
                                                                                     open_window) -> None:
    """A full pass over all of it held the window ~75 ms on a 1M store (docs/platform-notes.md)."""
    import gc

    from ui.app import settle_heap_when_ready

    gc.unfreeze()
    try:
        window = open_window(desk, ready=False)
        settle_heap_when_ready(window)
        assert gc.get_freeze_count() == 0
        with qtbot.waitSignal(window.ready, timeout=15_000):
            pass
        assert gc.get_freeze_count() > 10_000  # Qt's wrappers, SQLAlchemy, the models: all frozen
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual


def test_a_quick_search_answer_replaces_the_rows_without_a_loading_flash(qtbot, big, open_window,  # noqa: ANN001
                                                                        monkeypatch) -> None:
    """Each keystroke's answer comes in milliseconds: the footer goes from the old count to the new
    one, never through "Đang tải…" (which flickered and repainted the list under the query). An
    answer that keeps the officer waiting does say it is coming."""
    import time

    from counter_app.desk import Desk
    from ui.views.dossier_list_view import LOADING_NOTE_MS

    window = open_window(big)
    view, model = window.worklist, window.worklist.model
    said: list[str] = []
    real_set_text = view.footer.setText
    monkeypatch.setattr(view.footer, "setText", lambda text: (said.append(text), real_set_text(text)))
    view.search.setFocus()
    for char in "nguyen":
        qtbot.keyClicks(view.search, char)
        qtbot.waitUntil(lambda: not model.loading and model.filter.query == view.search.text().strip())
    qtbot.wait(LOADING_NOTE_MS + 100)
    assert said and strings.Worklist.LOADING not in said

    real_worklist = Desk.worklist

    def slow(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        time.sleep(LOADING_NOTE_MS * 2 / 1000)
        return real_worklist(self, *args, **kwargs)

    monkeypatch.setattr(Desk, "worklist", slow)
    said.clear()
    qtbot.keyClicks(view.search, "x")
    qtbot.waitUntil(lambda: strings.Worklist.LOADING in said, timeout=5000)
    qtbot.waitUntil(lambda: not model.loading and view.footer.text() != strings.Worklist.LOADING, timeout=5000)


def test_a_new_answer_reads_about_two_screens_of_rows_and_more_as_the_officer_scrolls(qtbot, big,  # noqa: ANN001
                                                                                      open_window) -> None:
    """Each keystroke's answer is formatted on the UI thread before the table shows it: a hundred rows
    for a screen of 25 cost a millisecond a key for nothing."""
    window = open_window(big)
    window.find()
    table, model = window.worklist.table, window.worklist.model
    on_screen = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert on_screen < model.rowCount() <= 2 * on_screen + 2
    key_text("nguyen")
    qtbot.waitUntil(lambda: model.filter.query == "nguyen" and not model.loading)
    assert on_screen < model.rowCount() <= 2 * on_screen + 2
    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 2 * on_screen + 2, timeout=5000)
