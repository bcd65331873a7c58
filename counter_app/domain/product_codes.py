"""Retail product barcodes (GTIN: EAN-13, EAN-8, UPC-A), told apart from what a counter scans.

A citizen sometimes hands over a box or a booklet and the officer scans its barcode by mistake; the
window says what it is instead of typing it into a field. Only the shape and the GS1 check digit
are looked at.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")
# The first three digits of a citizen ID number are the province of birth registration, 001–096
# (Thông tư 07/2016/TT-BCA). A 12-digit string that starts like that is an ID number, never read
# as a UPC-A (also 12 digits, and one in ten ID numbers passes its check digit).
_PROVINCE_MAX = 96


def gtin_check_digit_ok(digits: str) -> bool:
    """GS1 mod-10: weights 3,1,3,1… from the right, leaving out the check digit itself."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def product_barcode(text: str) -> str | None:
    """'EAN-13', 'EAN-8' or 'UPC-A' when the text is such a barcode, else None."""
    value = (text or "").strip()
    if not _DIGITS.fullmatch(value) or not gtin_check_digit_ok(value):
        return None
    if len(value) == 13:
        return "EAN-13"
    if len(value) == 8:
        return "EAN-8"
    if len(value) == 12 and not 1 <= int(value[:3]) <= _PROVINCE_MAX:
        return "UPC-A"
    return None
