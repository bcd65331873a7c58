"""The scanner's hot folder: the office's scanner software saves each scan into a folder, and the
pages it finishes appear in the digitise panel's inbox (docs/digitisation.md, "In the window").

QFileSystemWatcher hears a local folder change at once; a network share tells it nothing, so a
timer looks as well. Every look (listing the folder, reading sizes) runs on the watcher's own lane:
a slow share never holds up the window nor the store. A file is handed on once its size (non-zero)
and time held for SETTLE_MS across looks: the scanner is still writing one whose size moves.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from ui.workers import Lane

PAGE_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
POLL_MS = 300  # a look every 0.3 s: a finished page shows within a second, even on a share
SETTLE_MS = 250  # a size that held this long is a finished file (the watcher's looks can be ms apart)
DONE_FOLDER = "Đã số hóa"  # where the files of saved pages go, so the next start does not offer them again

Seen = dict[str, tuple[int, int]]  # file name -> (size, mtime in ns)


def list_pages(folder: str) -> Seen:
    """The page files in the folder now (on the lane). Hidden and temporary files are not pages."""
    seen: Seen = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return seen  # the share is away for now: the next look tries again
    for entry in entries:
        name = entry.name
        if name.startswith((".", "~")) or Path(name).suffix.lower() not in PAGE_SUFFIXES:
            continue
        try:
            if not entry.is_file():
                continue
            st = entry.stat()
        except OSError:
            continue  # vanished between the listing and its size
        seen[name] = (st.st_size, st.st_mtime_ns)
    return seen


def put_aside(paths: list[Path]) -> None:
    """Move the files whose pages were saved into the hot folder's DONE_FOLDER (on the lane); a
    file already gone is no loss, the saved PDF holds its pages."""
    for path in paths:
        done = path.parent / DONE_FOLDER
        try:
            done.mkdir(exist_ok=True)
            target = done / path.name
            n = 1
            while target.exists():
                target = done / f"{path.stem} ({n}){path.suffix}"
                n += 1
            shutil.move(str(path), str(target))
        except OSError:
            continue


class HotFolder(QObject):
    """Hands each finished page file of the watched folder to `on_arrived` once (on the UI thread)."""

    def __init__(self, on_arrived: Callable[[list[Path]], None], parent: QObject | None = None, *,
                 poll_ms: int = POLL_MS, settle_ms: int = SETTLE_MS) -> None:
        super().__init__(parent)
        self.lane = Lane("hot-folder", self)
        self._on_arrived = on_arrived
        self.folder = ""
        self._settle = settle_ms / 1000
        self._last: dict[str, tuple[tuple[int, int], float]] = {}  # name -> (size and time, seen so since)
        self._handed: set[tuple[str, int, int]] = set()  # (name, size, mtime): a file saved again is new
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _path: self.look())
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.look)

    def watch(self, folder: str) -> None:
        """Watch `folder` ('' stops). What is already there is offered too: pages scanned while the
        window was closed are waiting."""
        self.stop()
        self.folder = folder
        if not folder:
            return
        self._watcher.addPath(folder)  # False on a share it cannot watch: the timer does alone
        self._timer.start()
        self.look()

    def stop(self) -> None:
        self._timer.stop()
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.folder, self._last, self._handed = "", {}, set()

    def look(self) -> None:
        folder = self.folder
        if folder:
            self.lane.submit(lambda: list_pages(folder), lambda seen: self._seen(folder, seen), key="look")

    def put_aside(self, paths: list[Path]) -> None:
        self.lane.submit(lambda: put_aside(paths))

    def _seen(self, folder: str, seen: Seen) -> None:
        if folder != self.folder:
            return  # an answer for the folder watched before
        now = time.monotonic()
        ready, last = [], {}
        for name, stamp in sorted(seen.items()):
            before, since = self._last.get(name, (None, now))
            if before != stamp:
                since = now
            last[name] = (stamp, since)
            key = (name, *stamp)
            if stamp[0] > 0 and before == stamp and now - since >= self._settle and key not in self._handed:
                self._handed.add(key)
                ready.append(Path(folder) / name)
        self._handed = {k for k in self._handed if k[0] in seen}
        self._last = last
        if ready:
            self._on_arrived(ready)
