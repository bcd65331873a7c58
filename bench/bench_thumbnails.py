"""The digitise panel's thumbnail strip (issue 15: 50 pages < 300 ms), as its lane draws it:

    .venv/bin/python bench/bench_thumbnails.py

- 50 JPEG pages (A4, 200 dpi grey, one file each, as a scanner's hot folder gets them): each read
  from disk and decoded at thumbnail size by QImageReader (ui/digitise_pages.read_file);
- one 50-page PDF (the same pages as a scanner's multi-page PDF): QPdfDocument renders each page.

The CPU time is printed beside the wall time: on a machine shared with other work the wall time
counts the waits for a core, the CPU time what the strip costs on an idle counter PC. Runs
offscreen; the files are made first (not timed) in a temporary folder.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAGES = 50
GOAL_MS = 300


def a4_scan(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1654, 2339), "white")
    draw = ImageDraw.Draw(image)
    for row in range(30):
        y = 150 + row * 70
        draw.rectangle((150, y, 1500 - 23 * ((row + seed) % 11), y + 28), fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, dpi=(200, 200))
    return out.getvalue()


def main() -> int:
    import img2pdf
    from PySide6.QtGui import QGuiApplication

    from ui.digitise_pages import read_file

    _app = QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        scans = [a4_scan(i) for i in range(PAGES)]
        paths = []
        for i, data in enumerate(scans):
            paths.append(Path(folder) / f"scan_{i:04d}.jpg")
            paths[-1].write_bytes(data)
        pdf = Path(folder) / "scan.pdf"
        pdf.write_bytes(img2pdf.convert(scans))
        rows = {"50 JPEG files": lambda: [read_file(p, from_hot_folder=True) for p in paths],
                "one 50-page PDF": lambda: read_file(pdf, from_hot_folder=False)}
        for name, run in rows.items():
            run()  # the first run loads Qt's image and PDF plugins
            times, cpu = [], []
            for _ in range(5):
                t0, c0 = time.perf_counter(), time.process_time()
                run()
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            median = statistics.median(times) * 1000
            verdict = "met" if median < GOAL_MS else "NOT met"
            print(f"thumbnails, {name:<16} median {median:6.1f} ms   max {max(times) * 1000:6.1f} ms"
                  f"   cpu {statistics.median(cpu) * 1000:6.1f} ms   goal < {GOAL_MS} ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
