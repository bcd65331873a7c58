"""Field rules for people's data: ID numbers, phone numbers, e-mail, dates."""

from __future__ import annotations

import re
from datetime import date

from counter_app.errors import UserError

_ID_RE = re.compile(r"^\d{12}$")
_OLD_ID_RE = re.compile(r"^\d{9}$")
_MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE_RE = re.compile(r"^02\d{9}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ISO_DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def id_number(value: str, *, field: str = "id_number") -> str:
    """The 12-digit citizen ID number (CCCD), the only hard rule on an ID card."""
    digits = re.sub(r"[\s.]", "", value or "")
    if not _ID_RE.match(digits):
        raise UserError(
            f"Số định danh cá nhân phải gồm đúng 12 chữ số (nhận được {len(digits)} ký tự: '{value}').",
            field=field,
        )
    return digits


def old_id_number(value: str) -> str:
    digits = (value or "").strip()
    if digits and not _OLD_ID_RE.match(digits):
        raise UserError(f"Số CMND cũ phải gồm 9 chữ số: '{value}'.", field="old_id_number")
    return digits


def phone(value: str, *, field: str = "phone") -> str:
    """Vietnamese mobile (0[35789]xxxxxxxx) or landline (02xxxxxxxxx); +84/84 written as 0."""
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not (_MOBILE_RE.match(digits) or _LANDLINE_RE.match(digits)):
        raise UserError(
            f"Số điện thoại '{raw}' không hợp lệ: di động 10 số bắt đầu bằng 03, 05, 07, 08, 09; "
            "cố định 11 số bắt đầu bằng 02.",
            field=field,
        )
    return digits


def email(value: str, *, field: str = "email") -> str:
    raw = (value or "").strip()
    if raw and not _EMAIL_RE.match(raw):
        raise UserError(f"Địa chỉ thư điện tử '{raw}' không hợp lệ.", field=field)
    return raw


def parse_iso_day(value: str) -> date:
    """Exactly YYYY-MM-DD and a real day, else ValueError. date.fromisoformat alone also takes
    '20270101' and week dates ('2027-W01-5'), forms the messages never offer."""
    text = value.strip() if isinstance(value, str) else ""
    if not _ISO_DAY_RE.fullmatch(text):
        raise ValueError(f"not YYYY-MM-DD: {value!r}")
    return date.fromisoformat(text)


def iso_day(value: str, *, label: str, field: str | None = None) -> date:
    """A real calendar day written YYYY-MM-DD (the one form every message asks for)."""
    try:
        return parse_iso_day(value)
    except ValueError:
        raise UserError(
            f"{label} '{value}' không phải một ngày có thật viết theo dạng YYYY-MM-DD (ví dụ 2027-01-02).",
            field=field,
        ) from None


def iso_date(value: str, *, field: str, label: str, today: date | None = None) -> date:
    """A real calendar date, YYYY-MM-DD, not in the future."""
    parsed = iso_day(value, label=label, field=field)
    if parsed > (today or date.today()):
        raise UserError(f"{label} {parsed:%d/%m/%Y} ở tương lai.", field=field)
    return parsed


def ddmmyyyy(value: str, *, field: str, label: str) -> date:
    """Dates as the ID-card QR writes them: ddMMyyyy."""
    raw = (value or "").strip()
    try:
        if len(raw) != 8 or not raw.isdigit():
            raise ValueError
        return date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise UserError(f"{label} '{value}' không phải một ngày có thật (ddMMyyyy).", field=field) from None


GENDERS = ("Nam", "Nữ")


def gender(value: str) -> str:
    from counter_app.domain.text import fold, nfc

    raw = nfc(value)
    if not raw:
        return ""
    for g in GENDERS:
        if fold(g) == fold(raw):
            return g
    raise UserError(f"Giới tính phải là 'Nam' hoặc 'Nữ' (nhận được '{raw}').", field="gender")
