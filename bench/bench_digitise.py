"""Digitisation's figures (docs/digitisation.md, "Speed and size").

    .venv/bin/python bench/bench_digitise.py [--runs 5] [--dossiers 20]

- a 10-page scan (A4, 200 dpi, grey JPEG as a scanner saves it) into one component PDF through
  normalise(): median of the runs. Goal < 1.5 s. Baseline: bare img2pdf wrapping the same ten JPEGs
  (the floor: no decoding check, no PDF re-save, no metadata);
- the same ten pages as PNG (each re-encoded to a grey JPEG within the page budget): the slow path;
- the store's growth per digitised dossier: dossiers taken in and digitised through the desk (two
  components, 2 + 3 pages), the files/ folder and the store file measured before and after.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402
from timing import median_ms  # noqa: E402

GOAL_MS = 1500.0
A4_200DPI = (1654, 2339)


def scan_page(seed: int, fmt: str = "JPEG") -> bytes:
    """A typed page scanned at 200 dpi grey: lines of word-like marks on a slightly uneven white."""
    rng = random.Random(seed)
    image = Image.effect_noise(A4_200DPI, 6).point(lambda v: 235 + v // 16)
    draw = ImageDraw.Draw(image)
    y = 180
    while y < A4_200DPI[1] - 200:
        x = 150
        while x < A4_200DPI[0] - 200:
            width = rng.randint(30, 140)
            draw.rectangle((x, y, x + width, y + 22), fill=rng.randint(10, 60))
            x += width + rng.randint(14, 24)
        y += rng.choice((44, 44, 44, 90))
    out = io.BytesIO()
    image.save(out, fmt, dpi=(200, 200), **({"quality": 75} if fmt == "JPEG" else {}))
    return out.getvalue()


def ten_page_row(runs: int = 5) -> tuple[float, float, int, int]:
    """(normalise ms, bare img2pdf ms, input bytes, output bytes) for the 10-page JPEG scan."""
    import img2pdf

    from counter_app.digitise.normalise import normalise

    pages = [scan_page(n) for n in range(10)]
    made = normalise(pages, code="000.00.20.H12-261202-0001", component="Tờ khai")  # warm: imports
    now = median_ms(lambda: normalise(pages, code="000.00.20.H12-261202-0001", component="Tờ khai"), runs)
    base = median_ms(lambda: img2pdf.convert(pages), runs)
    return now, base, sum(map(len, pages)), len(made.pdf)


def png_row(runs: int = 3) -> tuple[float, int]:
    from counter_app.digitise.normalise import normalise

    pages = [scan_page(n, "PNG") for n in range(10)]
    made = normalise(pages, code="C", component="P")
    return median_ms(lambda: normalise(pages, code="C", component="P"), runs), len(made.pdf)


def growth_row(dossiers: int = 20) -> tuple[float, float]:
    """(files/ bytes, store file bytes) added per digitised dossier, on a store made for the purpose."""
    from counter_app.db.store import Store
    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach
    from counter_app.digitise.vault import FileVault
    from counter_app.domain.actor import Actor
    from counter_app.services import catalogue, intake
    from counter_app.services.office import init_office

    work = Path(tempfile.mkdtemp(prefix="qmc-bench-digitise-"))
    try:
        store = Store.open(work)
        actor = Actor("bench", "scripted")
        with store.write() as session:
            init_office(session, agency_code="000.00.20.H12", agency_name="UBND xã Bình Mỹ", place="Bình Mỹ")
            catalogue.import_procedures(session, catalogue.parse_procedures([("#1", {
                "code": "9.000003", "name": "Thủ tục thử", "field": "Thử", "working_days": 3, "fee": "",
                "documents": [{"name": "Tờ khai", "form": "bản chính", "count": 1},
                              {"name": "Giấy tờ cư trú", "form": "bản chụp", "count": 1}]})]))
        desk = Desk(store, actor)
        request = intake.parse_intake({"procedure_code": "9.000003", "applicant": {"full_name": "Nguyễn Văn Đức"}})

        def sizes() -> tuple[int, int]:
            with store.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            folder = FileVault.of(store).root
            kept = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
            return kept, store.path.stat().st_size

        codes = []
        for _ in range(dossiers):
            with store.write() as session:
                codes.append(intake.create_dossier(session, request, actor=actor).dossier["code"])
        files_before, db_before = sizes()
        for n, code in enumerate(codes):
            attach(desk, code, [scan_page(100 * n + p) for p in range(2)], component=1)
            attach(desk, code, [scan_page(100 * n + p) for p in range(2, 5)], component=2)
        files_after, db_after = sizes()
        store.close()
        return (files_after - files_before) / dossiers, (db_after - db_before) / dossiers
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dossiers", type=int, default=20)
    args = parser.parse_args()
    now, base, size_in, size_out = ten_page_row(args.runs)
    print(f"10-page 200 dpi grey JPEG scan -> one PDF: {now:.0f} ms (goal < {GOAL_MS:.0f} ms: "
          f"{'met' if now < GOAL_MS else 'NOT met'}); bare img2pdf {base:.0f} ms; "
          f"{size_in / 1024:.0f} KB in, {size_out / 1024:.0f} KB out")
    png_ms, png_size = png_row()
    print(f"the same 10 pages as PNG (re-encoded grey JPEG within the page budget): {png_ms:.0f} ms, "
          f"{png_size / 1024:.0f} KB out")
    files, db = growth_row(args.dossiers)
    print(f"store growth per digitised dossier (2 components, 5 pages): files/ {files / 1024:.0f} KB, "
          f"store file {db / 1024:.1f} KB ({args.dossiers} dossiers)")
    return 0 if now < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
