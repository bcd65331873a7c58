"""Agency codes and dossier codes (Thông tư 01/2018 Điều 19, docs/legal.md §3; docs/rules.md, "Dossier code")."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from counter_app.errors import UserError

# ddd.dd.dd.Ldd; the first two groups may hold letters (000.A0.01.H26). Validate the shape only.
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")
DOSSIER_CODE_RE = re.compile(
    r"^(?P<agency>[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9]{2}\.[A-Z][0-9]{2})-(?P<day>\d{6})-(?P<seq>\d{4})$"
)

MAX_PER_COUNTER_PER_DAY = 999
MAX_COUNTER = 9


def normalise_agency_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not AGENCY_CODE_RE.match(code):
        raise UserError(
            f"Mã cơ quan '{value}' không đúng dạng ddd.dd.dd.Ldd (ví dụ 000.00.20.H12).",
            field="agency_code",
        )
    return code


def check_counter(k: int) -> int:
    if not isinstance(k, int) or not 0 <= k <= MAX_COUNTER:
        raise UserError(f"Số quầy phải từ 0 đến {MAX_COUNTER}.", field="counter")
    return k


def sequence_number(counter: int, n: int) -> int:
    """Counter k owns k×1000+1 … k×1000+999 of each day, so offline counters never collide."""
    if not 1 <= n <= MAX_PER_COUNTER_PER_DAY:
        raise ValueError(n)
    return counter * 1000 + n


def format_dossier_code(agency_code: str, day: date, seq: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{seq:04d}"


@dataclass(frozen=True)
class DossierCode:
    agency_code: str
    day: date
    seq: int

    @property
    def counter(self) -> int:
        return self.seq // 1000


def parse_dossier_code(value: str) -> DossierCode | None:
    """The parts of a well-formed code, or None (a scan of something else)."""
    m = DOSSIER_CODE_RE.match((value or "").strip().upper())
    if not m:
        return None
    raw = m.group("day")
    try:
        day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:]))
    except ValueError:
        return None
    seq = int(m.group("seq"))
    if seq % 1000 == 0:
        return None
    return DossierCode(m.group("agency"), day, seq)


def looks_like_dossier_code(value: str) -> bool:
    return parse_dossier_code(value) is not None


def code_day_range(prefix: str) -> tuple[date | None, date | None]:
    """'000.00.20.H12-260' -> 1 January to 30 September 2026. Intake issues a code on its received
    day, so the day digits typed so far bound the received range and the walk stays short."""
    m = re.match(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9]{2}\.[A-Z][0-9]{2}-(\d{1,6})", prefix)
    if not m:
        return None, None
    digits = m.group(1)
    return _day_of(digits.ljust(6, "0")), _day_of(digits.ljust(6, "9"))


def _day_of(yymmdd: str) -> date:
    """The nearest real day to six digits that may not make one (month 00 or 19, day 00 or 99)."""
    year, month = 2000 + int(yymmdd[:2]), min(max(int(yymmdd[2:4]), 1), 12)
    return date(year, month, min(max(int(yymmdd[4:]), 1), monthrange(year, month)[1]))
