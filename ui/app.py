"""`counter-app` with no command: the counter window.

The window shows first and answers its first screen through a plain read of the store; SQLAlchemy
loads, and the store opens whole, in the background once it is usable (ui/desk_client.py;
docs/platform-notes.md: it is most of the start-up time).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from counter_app.desk import Desk
from counter_app.resources import resource_path
from ui import strings
from ui.admin.install import install as install_admin
from ui.admin.session import hold_instance_lock, require_login
from ui.desk_client import DeskClient
from ui.prefs import APPLICATION, ORGANISATION, Prefs
from ui.views.main_window import MainWindow


def build_window(data_dir: str | None, *, prefs: Prefs | None = None) -> MainWindow:
    return MainWindow(DeskClient(lambda: Desk.open_reading_first(data_dir)), prefs=prefs)


def run(data_dir: str | None, *, on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Open the window on the store in `data_dir` (None: COUNTER_APP_DATA or the user's folder)
    and run until it closes. `on_ready` is called once the window is usable (the bench uses it)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(resource_path("icons", "counter-app-256.png"))))
    if not hold_instance_lock(data_dir):  # says "Quầy Một Cửa đang mở…" and brings the first window forward
        return 1
    window = build_window(data_dir)
    window.setObjectName(strings.APP)
    compose(window)
    settle_heap_when_ready(window)
    if on_ready is not None:
        window.ready.connect(lambda: on_ready(window))
    if window.prefs.window_geometry is None:
        screen = app.primaryScreen()
        if screen is not None:
            window.resize(screen.availableGeometry().size())
        window.showMaximized()
    else:
        window.show()
    # The first frame first; then the store lane starts its imports, which would otherwise
    # compete with that frame for the interpreter.
    app.processEvents()
    window.start()
    require_login(window, window.client)  # after start(): the lane opens the store first
    code = app.exec()
    if window.sync is not None:
        window.sync.stop()
    return code


def settle_heap_when_ready(window: MainWindow) -> None:
    """Once the window is usable, and again once the store itself is open, what is loaded by then
    (Qt's wrappers, the catalogue; SQLAlchemy, the models and the services) lives as long as it does:
    kept out of the collector's full passes, each of which otherwise scanned all of it holding the
    interpreter, and so the window, ~75 ms at a time on a 1M store (docs/platform-notes.md,
    "Start-up: the window first, SQLAlchemy later")."""
    window.ready.connect(gc.freeze)
    window.client.store_opened.connect(gc.freeze)


def compose(window: MainWindow) -> None:
    """The collaborators around the window, each named on it: the log-in session and the admin
    tools now (window.session, window.admin), the sync lane and its panel once the store is open
    and the office set up (window.sync)."""
    install_admin(window, window.client)

    def attach_sync(store: object) -> None:
        from ui.sync.panel import install

        if window.sync is None:
            window.sync = install(window, store)

    window.ready.connect(lambda: window.client.call(lambda desk: desk.store, attach_sync))
