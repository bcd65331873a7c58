"""The window's start on a store at this build's schema: usable, and searching, before SQLAlchemy
has loaded and the store itself is open (ui/desk_client.py); what needs the store waits for it, and
the officer's own requests pass the background reads queued on the lane."""

from __future__ import annotations

import threading

from counter_app.desk import Desk
from tests.ui.conftest import add_dossiers
from tests.ui.keyboard import key_text

PEOPLE = [("Nguyễn Văn Đức", "001090000001", "2026-03-02T08:00:00+07:00"),
          ("Trần Thị Ánh", "001090000002", "2026-03-02T09:00:00+07:00"),
          ("Nguyễn Thị Hoa", "001090000003", "2026-03-03T08:00:00+07:00")]


def test_the_window_is_usable_and_searches_before_the_store_itself_is_open(qtbot, desk, open_window,  # noqa: ANN001
                                                                          monkeypatch) -> None:
    add_dossiers(desk, PEOPLE)
    release = threading.Event()
    real_open_store = Desk.open_store

    def held_open_store(self: Desk):  # noqa: ANN202
        release.wait(15)
        return real_open_store(self)

    monkeypatch.setattr(Desk, "open_store", held_open_store)
    try:
        window = open_window(desk.path.parent)  # the folder, as `counter-app` opens it
        the_desk = window.client._require()
        assert not the_desk.store_is_open
        model = window.worklist.model
        assert model.rowCount() == 3 and window.intake.picker._specs  # the list and the catalogue are in
        assert window.office is not None

        window.find()
        key_text("nguyen")
        qtbot.waitUntil(lambda: model.filter.query == "nguyen" and not model.loading and model.rowCount() == 2)

        code = model.row_at(0).code
        printed: list[None] = []
        window.client.call(lambda d: d.record_print(code, "01"), printed.append)  # a write: it needs the store
        qtbot.wait(200)
        assert printed == [] and not the_desk.store_is_open
    finally:
        release.set()
    qtbot.waitUntil(lambda: printed == [None], timeout=15_000)
    assert the_desk.store_is_open
    with desk.read() as session:
        from counter_app.services import audit

        assert [e.action for e in audit.entries(session, target=code)] == ["print.slip", "intake"]  # newest first


def test_the_store_itself_opens_once_the_window_is_usable(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk.path.parent)
    with qtbot.waitSignal(window.client.store_opened, timeout=15_000):
        pass
    qtbot.waitUntil(lambda: window.client._require().store_is_open)


def test_a_search_typed_while_background_reads_wait_is_answered_before_them(qtbot, desk,  # noqa: ANN001
                                                                              open_window) -> None:
    add_dossiers(desk, PEOPLE)
    window = open_window(desk)
    model = window.worklist.model
    busy, release = threading.Event(), threading.Event()
    order: list[str] = []
    window.client.call(lambda d: (busy.set(), release.wait(15)))  # a long background call, running
    assert busy.wait(5)
    for _ in range(3):  # counts and settings queued behind it
        window.client.call(lambda d: d.pickup_days(), lambda _days: order.append("background"))
    model.page_loaded.connect(lambda: order.append("search"))
    window.find()
    key_text("tran")
    qtbot.wait(50)
    release.set()
    qtbot.waitUntil(lambda: len(order) == 4)
    assert order[0] == "search" and model.rowCount() == 1


def test_what_the_stores_opening_loaded_is_kept_out_of_the_collectors_full_passes_too(qtbot, desk,  # noqa: ANN001
                                                                                         open_window) -> None:
    """SQLAlchemy, the models and the services load after the window is usable: frozen as well once
    they are in (docs/platform-notes.md, "Start-up"), or each full pass would scan them again."""
    import gc

    from ui.app import settle_heap_when_ready

    gc.unfreeze()
    try:
        window = open_window(desk.path.parent, ready=False)
        settle_heap_when_ready(window)
        with qtbot.waitSignal(window.ready, timeout=15_000):
            pass
        qtbot.waitUntil(lambda: window.client._require().store_is_open, timeout=15_000)
        # Handed over on the UI thread, after the window was ready: the store and what its opening
        # made are in the frozen generation now, which gc.get_objects() (what a pass scans) leaves out.
        store = window.client._require().store
        scanned = {id(o) for o in gc.get_objects()}
        assert id(store) not in scanned and id(store.engine) not in scanned
    finally:
        gc.unfreeze()
