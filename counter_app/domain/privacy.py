"""Masking personal numbers wherever text leaves the store (logs, error reports)."""

from __future__ import annotations

import re

_ID_RE = re.compile(r"(?<!\d)(\d{8})(\d{4})(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(0\d{5,6})(\d{4})(?!\d)")


def mask(text: str) -> str:
    """'001090123456' -> '********3456', '0912345678' -> '******5678'."""
    text = _ID_RE.sub(lambda m: "*" * 8 + m.group(2), text)
    return _PHONE_RE.sub(lambda m: "*" * len(m.group(1)) + m.group(2), text)


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn Đức' -> 'Nguyễn V. Đ.': the family name and the initials, for pages anyone may
    read (the district's public status page) — enough for the applicant to recognise, not to identify."""
    words = full_name.split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0].upper() + "." for w in words[1:])])
