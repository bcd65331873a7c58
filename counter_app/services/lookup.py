"""What a scan opens: one dossier by its code, refused clearly when it is not ours or not there."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from counter_app.db.models import Dossier
from counter_app.domain.codes import parse_dossier_code
from counter_app.errors import UserError
from counter_app.services.dossiers import dossier_dict
from counter_app.services.office import require_office
from counter_app.services.search import find_by_code


def find_own(session: Session, code: str) -> Dossier:
    """The dossier of this office with `code`; a garbled code, another office's or an unknown one
    is refused with a sentence the officer can act on."""
    office = require_office(session)
    value = (code or "").strip().upper()
    parsed = parse_dossier_code(value)
    if parsed is None:
        raise UserError(f"'{code}' không phải mã hồ sơ (dạng {office.agency_code}-YYMMDD-XXXX).")
    if parsed.agency_code != office.agency_code:
        raise UserError(f"Hồ sơ {value} thuộc cơ quan {parsed.agency_code}, không phải của {office.agency_code}.")
    dossier = find_by_code(session, value)
    if dossier is None:
        raise UserError(f"Không tìm thấy hồ sơ mã {value}.")
    return dossier


def open_by_code(session: Session, code: str) -> dict[str, Any]:
    return dossier_dict(session, find_own(session, code))
