"""The QR on a chip ID card (CCCD), as a 2D scanner types it (docs/rules.md, "Citizen ID QR").

Fields split by '|': 12-digit number | old 9-digit number (may be empty) | full name |
birth date ddMMyyyy | gender | address | issue date ddMMyyyy. Newer cards add fields: we parse the
known ones by pattern and keep the rest, and the officer confirms what we found.

A scanner in keyboard mode can lose a character on the way (the window system delivered a key
without its letter, ui/scanner.py): it arrives as UNREADABLE. A text field holding one is left
empty and named in `unreadable`, so the officer types it rather than saving a name with a letter
missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from counter_app.domain import validation
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import UserError

_DDMMYYYY = re.compile(r"^\d{8}$")
UNREADABLE = "\ufffd"  # a character the keyboard path lost (Unicode's replacement character)

NOT_AN_ID_CARD = (
    "Chuỗi vừa quét không phải mã QR của thẻ căn cước (cần bắt đầu bằng số định danh 12 chữ số, "
    "các trường cách nhau bằng dấu |)."
)


@dataclass(frozen=True)
class IdCard:
    id_number: str
    old_id_number: str
    full_name: str
    birth_date: date | None
    gender: str
    address: str
    issue_date: date | None
    extra: tuple[str, ...] = field(default_factory=tuple)
    unreadable: tuple[str, ...] = ()  # full_name / gender / address: left empty, to be typed


def looks_like_id_qr(text: str) -> bool:
    """Cheap shape test used by the scanner filter before a full parse."""
    parts = (text or "").strip().split("|")
    return len(parts) >= 6 and bool(re.fullmatch(r"\d{12}", parts[0].strip()))


def parse_id_qr(text: str) -> IdCard:
    raw = nfc(text)
    parts = [p.strip() for p in raw.split("|")]
    if len(parts) < 6 or not re.fullmatch(r"\d{12}", parts[0]):
        raise UserError(NOT_AN_ID_CARD, field="id_qr")
    number, old_number, name = parts[0], parts[1], collapse_spaces(parts[2])
    unreadable: list[str] = []
    if UNREADABLE in name:
        name, unreadable = "", ["full_name"]
    elif not name:
        raise UserError("Mã QR của thẻ căn cước thiếu họ tên; vui lòng quét lại.", field="id_qr")
    if old_number and not re.fullmatch(r"\d{9}", old_number):
        raise UserError(NOT_AN_ID_CARD, field="id_qr")
    rest = parts[3:]
    birth = _take_date(rest, "Ngày sinh trên thẻ")
    gender = ""
    if rest and UNREADABLE in rest[0]:
        rest.pop(0)
        unreadable.append("gender")
    elif rest and rest[0] and rest[0] in validation.GENDERS:
        gender = rest.pop(0)
    elif rest and rest[0]:
        gender = validation.gender(rest.pop(0))
    else:
        rest = rest[1:]
    address = collapse_spaces(rest.pop(0)) if rest else ""
    if UNREADABLE in address:
        address = ""
        unreadable.append("address")
    issue = _take_date(rest, "Ngày cấp trên thẻ")
    if birth is None:
        raise UserError("Mã QR của thẻ căn cước thiếu ngày sinh; vui lòng quét lại.", field="id_qr")
    return IdCard(number, old_number, name, birth, gender, address, issue,
                  tuple("" if UNREADABLE in r else r for r in rest), tuple(unreadable))


def _take_date(rest: list[str], label: str) -> date | None:
    if rest and _DDMMYYYY.match(rest[0]):
        return validation.ddmmyyyy(rest.pop(0), field="id_qr", label=label)
    if rest and not rest[0]:
        rest.pop(0)
    return None
