"""Be Vietnam Pro for every paper: reportlab's built-in fonts have no Vietnamese glyphs.

The TTFs ship in resources/fonts/ (SIL OFL, licence beside them). Registration parses the font files,
so it happens once per process; `register_fonts()` is cheap to call again and thread-safe.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from counter_app.resources import resource_path

FAMILY = "BeVietnamPro"
REGULAR = "BeVietnamPro-Regular"
BOLD = "BeVietnamPro-Bold"
ITALIC = "BeVietnamPro-Italic"
BOLD_ITALIC = "BeVietnamPro-BoldItalic"

_FILES = {
    REGULAR: "BeVietnamPro-Regular.ttf",
    BOLD: "BeVietnamPro-Bold.ttf",
    ITALIC: "BeVietnamPro-Italic.ttf",
    BOLD_ITALIC: "BeVietnamPro-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the four faces and the family mapping (so <b>/<i> in reportlab markup pick them)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = resource_path("fonts", filename)
            if not path.is_file():
                raise FileNotFoundError(f"font missing from the installation: {path}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
        _registered = True
