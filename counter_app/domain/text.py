"""Vietnamese text: NFC normalisation and the folded form used for search and matching."""

from __future__ import annotations

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str | None) -> str:
    """NFC and trimmed; decomposed input (common from macOS and some IMEs) breaks PDFs and search."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def fold(value: str | None) -> str:
    """'Nguyễn Văn Đức' -> 'nguyen van duc': lower case, đ->d, no marks, single spaces.

    SQLite's lower()/LIKE fold ASCII only and FTS5's remove_diacritics keeps đ, so every search key
    and every query goes through this one function.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value.translate(_D_MAP).lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return collapse_spaces(text.translate(_D_MAP))
