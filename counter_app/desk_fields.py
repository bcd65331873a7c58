"""The quick, pure helpers the window calls on the UI thread as the officer types (field checks,
reading an ID-card QR, searching the loaded catalogue). counter_app/desk.py offers them as its own
(`desk.check_fields` …): the window's one door to the core."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from counter_app import clock
from counter_app.domain import validation
from counter_app.domain.codes import AGENCY_CODE_RE
from counter_app.domain.id_card import parse_id_qr
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import UserError

if TYPE_CHECKING:
    from counter_app.services.procedure_specs import ProcedureSpec


def agency_code_problem(value: str) -> str:
    """Empty when the agency code has the right shape, else what is wrong (shown live in setup)."""
    code = (value or "").strip().upper()
    if not code:
        return "Cần nhập mã cơ quan (dạng ddd.dd.dd.Ldd, ví dụ 000.00.20.H12)."
    if not AGENCY_CODE_RE.match(code):
        return f"'{code}' chưa đúng dạng ddd.dd.dd.Ldd (ví dụ 000.00.20.H12)."
    return ""


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def birth_date_iso(text: str, *, today: date | None = None) -> str:
    """'01/02/1990', '1/2/1990' or '01021990' as the officer types it -> '1990-02-01'; '' stays ''."""
    raw = (text or "").strip()
    if not raw:
        return ""
    m = _DMY.match(raw)
    if m:
        raw = f"{int(m.group(1)):02d}{int(m.group(2)):02d}{m.group(3)}"
    if not re.fullmatch(r"\d{8}", raw):
        raise UserError(f"Ngày sinh '{text.strip()}' phải có dạng ngày/tháng/năm, ví dụ 01/02/1990.",
                        field="birth_date")
    born = validation.ddmmyyyy(raw, field="birth_date", label="Ngày sinh")
    if born > (today or clock.now().date()):
        raise UserError(f"Ngày sinh {born:%d/%m/%Y} ở tương lai.", field="birth_date")
    return born.isoformat()


def check_fields(applicant: dict[str, str]) -> dict[str, str]:
    """The problem of each applicant field given (field -> message), all at once, for the messages
    beside the fields; the save checks everything again (intake.parse_intake) before writing."""
    checks = {
        "full_name": lambda v: None if collapse_spaces(nfc(v)) else _missing_name(),
        "id_number": lambda v: validation.id_number(v) if v.strip() else None,
        "birth_date": birth_date_iso,
        "gender": validation.gender,
        "phone": validation.phone,
        "email": lambda v: validation.email(nfc(v)),
    }
    problems = {}
    for name, value in applicant.items():
        try:
            checks.get(name, str)(value or "")
        except UserError as exc:
            problems[name] = exc.message
    return problems


def _missing_name() -> None:
    raise UserError("Cần nhập họ tên người nộp hồ sơ.", field="full_name")


def read_id_card(qr: str) -> dict[str, str]:
    """The applicant fields of an ID-card QR, as the form shows them (dates dd/mm/yyyy).
    UserError with a clear message for a half-read or garbled QR."""
    card = parse_id_qr(qr)
    return {
        "full_name": card.full_name,
        "id_number": card.id_number,
        "old_id_number": card.old_id_number,
        "birth_date": f"{card.birth_date:%d/%m/%Y}" if card.birth_date else "",
        "gender": card.gender,
        "address": card.address,
        "issue_date": f"{card.issue_date:%d/%m/%Y}" if card.issue_date else "",
        "unreadable": ",".join(card.unreadable),  # fields left empty: a letter was lost on the way
    }


def search_procedures(specs: list[ProcedureSpec], query: str, limit: int = 50) -> list[ProcedureSpec]:
    """By code or name, diacritics optional. `specs` came from `Desk.procedures`, so the module is
    already imported and this costs no start-up time (nor any SQLAlchemy on the UI thread)."""
    from counter_app.services.procedure_specs import search_procedures as search

    return search(specs, query, limit)
