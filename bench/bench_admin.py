"""Log-in to a usable window (target < 1 s), and the screenshots of the admin screens.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python bench/bench_admin.py [--shots screenshots]

Times, on a store with an office, the demo catalogue, an account and the March dossiers of
tests/unit/test_statistics.py: (1) start -> log-in dialog on screen, (2) the password submitted ->
the window unlocked with its first screens in (the argon2 check, the audit entry, the curtain
lifted), (3) the first automatic backup. Runs offscreen when there is no display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

PASSWORD = "mật-khẩu-123"


def build_store(folder: Path) -> None:
    from counter_app.db.store import Store
    from counter_app.services import accounts, audit, catalogue
    from counter_app.services.office import init_office
    from tests.conftest import AGENCY, TEST_PROCEDURES

    store = Store.open(folder)
    with store.write() as s:
        init_office(s, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=1)
        specs = catalogue.parse_procedures([(f"#{i}", p) for i, p in enumerate(TEST_PROCEDURES, 1)])
        catalogue.import_procedures(s, specs)
        accounts.create_account(s, "admin", "Trần Văn Bình", "admin", PASSWORD, actor=audit.SYSTEM)
        accounts.create_account(s, "cb.an", "Nguyễn Thị An", "officer", PASSWORD, actor=audit.SYSTEM)
        accounts.create_account(s, "ld.hoa", "Phạm Thị Hoa", "leader", PASSWORD, actor=audit.SYSTEM)
    import tests.unit.test_statistics as ts

    ts.march.__wrapped__(store)  # the fixture's body (pytest keeps the plain function there)
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", help="write screenshots into this folder")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from counter_app.desk import Desk
    from ui.admin.install import install, tools_of
    from ui.admin.session import require_login
    from ui.desk_client import DeskClient
    from ui.prefs import Prefs
    from ui.views.main_window import MainWindow
    from ui.views.report_view import MONTH

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="bench-admin-"))
    folder = tmp / "data"
    build_store(folder)

    def wait(cond, timeout: float = 20.0) -> None:  # noqa: ANN001
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError
            app.processEvents()
            time.sleep(0.001)

    to_dialog, to_usable, to_backup = [], [], []
    window = None
    for run in range(args.runs):
        t0 = time.perf_counter()
        window = MainWindow(DeskClient(lambda: Desk.open(str(folder))), prefs=Prefs(str(tmp / f"p{run}.ini")))
        install(window, window.client)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        window.start()
        session = require_login(window, window.client)
        wait(lambda s=session: s.dialog is not None and s.dialog.isVisible())
        to_dialog.append(time.perf_counter() - t0)
        dialog = session.dialog
        if args.shots and run == 0:
            app.processEvents()
            dialog.grab().save(str(Path(args.shots) / "login_dialog.png"))
            window.grab().save(str(Path(args.shots) / "login_window.png"))
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORD)
        t1 = time.perf_counter()
        dialog._submit()
        ready = []
        window.ready.connect(lambda r=ready: r.append(1))
        wait(lambda s=session, w=window: s.login is not None and not s.locked and w.office is not None
             and not w._waiting_for)
        to_usable.append(time.perf_counter() - t1)
        tools = tools_of(window)
        wait(lambda t=tools: t.backups_done or t.backup_error)
        to_backup.append(time.perf_counter() - t1)
        if run < args.runs - 1:
            window.close()
            app.processEvents()
    print(f"start -> log-in dialog: median {sorted(to_dialog)[len(to_dialog) // 2] * 1000:.0f} ms "
          f"(first {to_dialog[0] * 1000:.0f} ms)")
    print(f"password submitted -> usable window: median {sorted(to_usable)[len(to_usable) // 2] * 1000:.0f} ms "
          f"(max {max(to_usable) * 1000:.0f} ms)")
    print(f"password submitted -> first automatic backup written: median "
          f"{sorted(to_backup)[len(to_backup) // 2] * 1000:.0f} ms")

    if args.shots:
        assert window is not None
        shots = Path(args.shots)
        tools = tools_of(window)
        tools.show_reports()
        view = tools.report_view
        view.set_period(MONTH, year=2026, month=3)
        wait(lambda: view.report is not None and view.report.date_from.month == 3)
        for _ in range(20):
            app.processEvents()
        window.grab().save(str(shots / "report_view.png"))
        tools.show_audit()
        audit = tools.audit_view
        wait(lambda: audit.table.rowCount() > 0)
        audit.verify()
        wait(lambda: audit.verification is not None)
        app.processEvents()
        window.grab().save(str(shots / "audit_view.png"))
        tools.show_accounts()
        accounts = tools.accounts_dialog
        wait(lambda: accounts.table.rowCount() > 0)
        for _ in range(20):
            app.processEvents()
        accounts.grab().save(str(shots / "accounts_dialog.png"))
        accounts.accept()
        session = window.session
        session.lock()
        wait(lambda: session.dialog is not None and session.dialog.isVisible())
        for _ in range(10):
            app.processEvents()
        session.dialog.grab().save(str(shots / "lock_dialog.png"))
        print(f"screenshots in {shots}")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
