"""The counter window's speed on a big store (make one first with bench/make_dataset.py):

    .venv/bin/python bench/bench_ui.py --data-dir /tmp/qmc-1m

- start-up: a new process running `counter-app --data-dir DIR` (cli.main) until the window is
  usable (office, catalogue and first list page in), from just before the process is spawned;
- list open: a reload of the dossier list to its first page on screen, per filter;
- search: one keystroke in the list's search box to its results on screen (the scanner filter's
  hold of a typed key included);
- scan: a scanner's burst and Enter to the return view shown (target < 100 ms);
- preview: Ctrl+P on a dossier to the slip's preview on screen with its pages (target < 300 ms);
- attention: F5 to the attention list on screen;
- the UI thread's worst blocking: a 5 ms timer records how late it fires, all along.

Only reads: the store is not changed (the window never saves here). Runs offscreen unless a
DISPLAY is given.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


KEYSTROKE_LINE = "keystroke ms (median, worst):"  # read by bench_memory.window_run


def ms(samples: list[float]) -> str:
    samples = sorted(samples)
    return (f"median {statistics.median(samples) * 1000:6.1f} ms   max {samples[-1] * 1000:6.1f} ms"
            f"   (n={len(samples)})")


# --- start-up, in a fresh process ---------------------------------------------------------------------


def child_start(data_dir: str) -> None:
    """Runs in the measured process: `counter-app --data-dir DIR`, told to quit once usable."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import ui.app
    from counter_app import cli

    app = QApplication(sys.argv[:1])
    probe = LatenessProbe()
    real_run = ui.app.run

    def ready(window) -> None:  # noqa: ANN001
        print(f"READY {probe.worst_since_shown * 1000:.1f}", flush=True)  # from the first frame on
        QTimer.singleShot(0, window.close)

    def run(data_dir: str | None) -> int:
        return real_run(data_dir, on_ready=ready)

    ui.app.run = run
    probe.start()
    code = cli.main(["--data-dir", data_dir])
    del app
    sys.exit(code)


def child_bare_start() -> None:
    """The bare baseline of a start: PySide6 imported, an empty main window shown, nothing of ours."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    print("READY 0", flush=True)


def timed_starts(data_dir: str, runs: int, *, bare: bool = False) -> tuple[list[float], list[float]]:
    """Each start from just before its process is spawned to its READY line: (seconds, lateness)."""
    times, lateness = [], []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    command = [sys.executable, __file__, "--child-bare-start" if bare else "--child-start", "--data-dir", data_dir]
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = home  # a first start: no saved window geometry
        for _ in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                                    cwd=ROOT)
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("READY"):
                    times.append(time.perf_counter() - t0)
                    lateness.append(float(line.split()[1]) / 1000)
                    break
            proc.wait(timeout=60)
    return times, lateness


def bench_start(data_dir: str, runs: int) -> None:
    times, lateness = timed_starts(data_dir, runs)
    print(f"start-up to a usable window:          {ms(times)}")
    print(f"  UI thread's worst lateness once on screen (first frame drawn): {max(lateness) * 1000:.1f} ms")


# --- in one window ----------------------------------------------------------------------------------


class LatenessProbe:
    """A 5 ms timer that notes how late it fires: the longest the UI thread could not answer."""

    INTERVAL = 0.005

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(int(self.INTERVAL * 1000))
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0
        self.worst_since_shown = 0.0
        self.shown = False
        self.where = ""
        self.phase = "start"
        self.by_phase: dict[str, float] = {}
        self.peak_before: dict[str, float] = {}  # the process's peak RSS (MiB) as each phase began

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def reset(self, phase: str) -> None:
        from bench_memory import peak_rss_mib

        self.phase = phase
        self.peak_before[phase] = peak_rss_mib()
        self.last = time.perf_counter()  # a wait that ended before the phase (the bench's own reading) is not its

    def _tick(self) -> None:
        from PySide6.QtWidgets import QApplication

        now = time.perf_counter()
        late = now - self.last - self.INTERVAL
        self.last = now
        if late > self.worst:
            self.worst, self.where = late, self.phase
        self.by_phase[self.phase] = max(self.by_phase.get(self.phase, 0.0), late)
        if self.shown:  # building the window before it shows is not the window being unresponsive
            self.worst_since_shown = max(self.worst_since_shown, late)
        self.shown = self.shown or any(w.isVisible() for w in QApplication.topLevelWidgets())


class Waiter:
    """Runs the event loop until a signal fires. One connection for the whole run: PySide6 6.12's
    disconnect() drops a reference to True each call and a few hundred calls crash Python."""

    def __init__(self, signal) -> None:  # noqa: ANN001
        from PySide6.QtCore import QEventLoop

        self.loop = QEventLoop()
        self.fired = 0
        signal.connect(self._fired)

    def _fired(self, *_args: object) -> None:
        self.fired += 1
        self.loop.quit()

    def __call__(self, timeout: float = 10.0) -> None:
        from PySide6.QtCore import QTimer

        seen = self.fired
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(self.loop.quit)
        timer.start(int(timeout * 1000))
        while self.fired == seen and timer.isActive():
            self.loop.exec()
        if self.fired == seen:
            raise TimeoutError(f"no answer within {timeout} s")


def painted() -> float:
    """Let the window paint what just arrived; the time it is on screen."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    return time.perf_counter()


def sample_codes(data_dir: str, n: int) -> list[str]:
    from summary import bare_connect

    con = bare_connect(Path(data_dir) / "counter.sqlite3", readonly=True)
    try:
        top = con.execute("SELECT MAX(rowid) FROM dossier").fetchone()[0]
        rng = random.Random(3)
        codes = []
        while len(codes) < n:
            row = con.execute("SELECT code FROM dossier WHERE rowid = ?", (rng.randrange(1, top + 1),)).fetchone()
            if row:
                codes.append(row[0])
        return codes
    finally:
        con.close()


def bench_window(data_dir: str, scans: int) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from counter_app.desk import Desk, ListFilter
    from counter_app.domain.actor import Actor
    from ui.app import settle_heap_when_ready
    from ui.desk_client import DeskClient
    from ui.prefs import Prefs
    from ui.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    probe = LatenessProbe()
    with tempfile.TemporaryDirectory() as folder:
        # Someone acts at the desk from the start (as the window tests do): printing and every other
        # action pass the permission gate, which refuses an empty desk (docs/roles.md).
        actor = Actor("bench", "scripted")
        window = MainWindow(DeskClient(lambda: Desk.open(data_dir, actor=actor)),
                            prefs=Prefs(str(Path(folder) / "prefs.ini")))
        settle_heap_when_ready(window)  # as ui/app.run does
        window.resize(1366, 768)
        window.show()
        t0 = time.perf_counter()
        painted()
        print(f"first frame of the window (in-process, 1366×768): {(time.perf_counter() - t0) * 1000:.1f} ms")
        probe.reset("start-up after the first frame")
        probe.start()
        ready, page_loaded, shown = Waiter(window.ready), Waiter(window.worklist.model.page_loaded), \
            Waiter(window.return_shown)
        window.start()
        ready(120)
        painted()
        model, view = window.worklist.model, window.worklist

        probe.reset("in use: list open")
        filters = {
            "everything, newest first": ListFilter(),
            "not returned yet (1,2,4,5,6,9)": ListFilter(statuses=frozenset({1, 2, 4, 5, 6, 9})),
            "returned (10)": ListFilter(statuses=frozenset({10})),
            "refused (3), none in store": ListFilter(statuses=frozenset({3})),
            "overdue": ListFilter(deadline="overdue"),
            "due today": ListFilter(deadline="today"),
        }
        window.find()
        for label, flt in filters.items():
            samples = []
            for _ in range(5):
                t0 = time.perf_counter()
                model.set_filter(flt)
                page_loaded()
                samples.append(painted() - t0)
            print(f"list open, {label:32} {ms(samples)}   ({model.rowCount()} rows on screen)")
        model.set_filter(ListFilter())
        page_loaded()

        probe.reset("in use: search")
        samples = []
        worst_query = ("", 0.0)
        for query in ("nguyen van d", "tran thi h", "le minh", "dang quoc viet", "ly thi oanh", "001090123456",
                      "000.00.20.H12-2603"):
            if view.search.text():
                view.search.clear()
                page_loaded()
            view.search.setFocus()
            for i, char in enumerate(query):
                typed, before = query[: i + 1].strip(), model.filter.query
                t0 = time.perf_counter()
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(view.search, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
                if typed == before:
                    continue  # a space: the same query, nothing new to show
                # A digit may be held a moment by the scanner filter before the query even starts.
                while model.filter.query != typed or model.loading:
                    page_loaded()
                took = painted() - t0
                samples.append(took)
                if took > worst_query[1]:
                    worst_query = (typed, took)
                app.processEvents()
        print(f"search, keystroke to results:          {ms(samples)}   (slowest: {worst_query[0]!r})")
        print(f"{KEYSTROKE_LINE} {statistics.median(samples) * 1000:.2f} {max(samples) * 1000:.2f}")

        codes = sample_codes(data_dir, scans)  # the bench's own reading, before the probe's phase
        probe.reset("in use: scan")
        window.new_intake()
        samples = []
        for code in codes:
            target = QApplication.focusWidget() or window
            for char in code:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
            t0 = time.perf_counter()
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                                     Qt.KeyboardModifier.NoModifier, "\r"))
            shown()
            samples.append(painted() - t0)
            assert window.returns.code == code
            window.new_intake()
        print(f"scan, Enter to the return view shown:  {ms(samples)}   (target < 100 ms)")

        probe.reset("in use: preview")
        samples = []
        for code in codes[:10]:
            before = window.printing.dialog  # the last run's dialog may linger until deleted
            t0 = time.perf_counter()
            window.request_print_slip(code)
            # A refused print (a message box instead of the preview) would leave this loop waiting
            # for ever: give up after 30 s and say what the screen shows.
            while (window.printing.dialog is None or window.printing.dialog is before
                   or window.printing.dialog.page_count() == 0):
                if time.perf_counter() - t0 > 30:
                    shown_now = [w.windowTitle() for w in app.topLevelWidgets() if w.isVisible()]
                    raise TimeoutError(f"no slip preview for {code} within 30 s; on screen: {shown_now}")
                app.processEvents()
                time.sleep(0.001)
            samples.append(painted() - t0)
            window.printing.dialog.reject()
            app.processEvents()
        print(f"preview of the slip shown:             {ms(samples)}   (target < 300 ms)")

        probe.reset("in use: attention")
        attention = Waiter(window.attention_shown)
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            window.attention_desk.show()
            attention()
            samples.append(painted() - t0)
        print(f"attention list shown:                  {ms(samples)}   ({window.attention.total} rows)")
        window.close()
    phases = ", ".join(f"{phase} {late * 1000:.0f} ms" for phase, late in probe.by_phase.items())
    print(f"UI thread's worst lateness, by phase: {phases}")
    grown = ", ".join(f"{phase} {peak:.0f}" for phase, peak in probe.peak_before.items())
    print(f"peak RSS (MiB) as each phase began: {grown}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--scans", type=int, default=50)
    ap.add_argument("--peak-rss", action="store_true",
                    help="print the process's peak RSS at the end (bench_memory.py reads it)")
    ap.add_argument("--child-start", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-bare-start", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_start:
        child_start(args.data_dir)
        return
    if args.child_bare_start:
        child_bare_start()
        return
    from counter_app.db import cipher
    from counter_app.db.store import HEAD_REVISION, raw_connection

    path = Path(args.data_dir) / "counter.sqlite3"
    if cipher.is_clear(path):  # the window encrypts a clear store as it opens it: not a read-only bench
        sys.exit("the store is clear (make_dataset.py --clear): the window would encrypt it on opening; "
                 "bench a store made without --clear")
    con = raw_connection(path, readonly=True)
    total = con.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    con.close()
    if revision != HEAD_REVISION:  # opening would migrate it, after a full backup: not a read-only bench
        sys.exit(f"the store is at schema {revision}, this build at {HEAD_REVISION}: migrate it first "
                 "(or bench a copy)")
    print(f"store: {total:,} dossiers; Qt platform {os.environ['QT_QPA_PLATFORM']}")
    if args.starts:
        bench_start(args.data_dir, args.starts)
    bench_window(args.data_dir, args.scans)
    if args.peak_rss:
        from bench_memory import PEAK_LINE, peak_rss_mib

        print(f"{PEAK_LINE} {peak_rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
