"""Masking personal numbers wherever text leaves the store (logs, error reports)."""

from __future__ import annotations

import re

_ID_RE = re.compile(r"(?<!\d)(\d{8})(\d{4})(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(0\d{5,6})(\d{4})(?!\d)")


def mask(text: str) -> str:
    """'001090123456' -> '********3456', '0912345678' -> '******5678'."""
    text = _ID_RE.sub(lambda m: "*" * 8 + m.group(2), text)
    return _PHONE_RE.sub(lambda m: "*" * len(m.group(1)) + m.group(2), text)
