"""Draw the app icon once, write it as SVG and render the PNG/ICO files from the same shapes.

    .venv/bin/python installer/make_icon.py      # rewrites resources/icons/counter-app.*

A paper on the counter top with the red seal (con dấu) stamped on it, in the red and gold of the
national palette. Pillow cannot read SVG, so the shapes live here and both outputs come from them;
the outputs are committed, so a build never needs this script.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
UNIT = 256  # the drawing's own coordinate square

RED = "#DA251D"
DARK_RED = "#A3161A"
GOLD = "#FFCD00"
PAPER = "#FFF8E6"
INK = "#D8B25A"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((round(cx + r * math.cos(angle), 2), round(cy + r * math.sin(angle), 2)))
    return points


# (kind, geometry, style): rect = (x0, y0, x1, y1, radius); ring = (cx, cy, r, width); poly = points
SHAPES: list[tuple[str, object, str]] = [
    ("rect", (0, 0, 256, 256, 56), RED),            # the tile
    ("rect", (70, 30, 186, 172, 8), PAPER),         # the paper being handed over
    ("rect", (100, 48, 156, 56, 4), INK),           # its heading
    ("rect", (86, 66, 170, 72, 3), INK),            # lines of text
    ("rect", (86, 80, 170, 86, 3), INK),
    ("rect", (86, 94, 142, 100, 3), INK),
    ("ring", (128, 134, 26, 6), RED),               # the seal stamped on it
    ("poly", _star(128, 134.5, 15), RED),
    ("rect", (26, 168, 230, 190, 7), GOLD),         # the counter top
    ("rect", (44, 190, 212, 226, 5), DARK_RED),     # the counter's front
    ("rect", (124, 194, 132, 222, 2), GOLD),        # a seam between its two panels
]


def svg() -> str:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{UNIT}" height="{UNIT}" '
             f'viewBox="0 0 {UNIT} {UNIT}">', "  <title>Quầy Một Cửa</title>"]
    for kind, geo, colour in SHAPES:
        if kind == "rect":
            x0, y0, x1, y1, r = geo  # type: ignore[misc]
            parts.append(f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{colour}"/>')
        elif kind == "ring":
            cx, cy, r, w = geo  # type: ignore[misc]
            parts.append(f'  <circle cx="{cx}" cy="{cy}" r="{r - w / 2}" fill="none" stroke="{colour}" '
                         f'stroke-width="{w}"/>')
        else:
            pts = " ".join(f"{x:g},{y:g}" for x, y in geo)  # type: ignore[union-attr]
            parts.append(f'  <polygon points="{pts}" fill="{colour}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render(size: int) -> Image.Image:
    """Draw at 8× (at least 1024 px) and scale down: Pillow's own shapes are not anti-aliased."""
    big = max(1024, size * 8)
    k = big / UNIT
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for kind, geo, colour in SHAPES:
        if kind == "rect":
            x0, y0, x1, y1, r = geo  # type: ignore[misc]
            draw.rounded_rectangle((x0 * k, y0 * k, x1 * k - 1, y1 * k - 1), radius=r * k, fill=colour)
        elif kind == "ring":
            cx, cy, r, w = geo  # type: ignore[misc]
            draw.ellipse(((cx - r) * k, (cy - r) * k, (cx + r) * k, (cy + r) * k), outline=colour,
                         width=round(w * k))
        else:
            draw.polygon([(x * k, y * k) for x, y in geo], fill=colour)  # type: ignore[union-attr]
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "counter-app.svg").write_text(svg(), encoding="utf-8")
    renders = {size: render(size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    for size in PNG_SIZES:
        renders[size].save(OUT / f"counter-app-{size}.png", optimize=True)
    largest = renders[max(ICO_SIZES)]
    largest.save(OUT / "counter-app.ico", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[renders[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} B")


if __name__ == "__main__":
    main()
