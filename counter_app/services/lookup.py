"""What a scan opens: one dossier by its code, refused clearly when it is not ours or not there.

`open_by_code` is the counter's hottest read (every scan, every `show`): one SQL statement brings
the office's agency code, the dossier, its applicant, its documents (as JSON) and its sync state,
and the dict is built straight from that row. It answers exactly what
`dossier_dict(session, find_own(session, code))` answers (tests/unit/test_lookup.py compares the
two on every kind of dossier); that slower ORM path stays for callers that go on to change the
dossier (workflow, papers).
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from counter_app.db.models import Dossier
from counter_app.domain.codes import parse_dossier_code
from counter_app.domain.statuses import label
from counter_app.errors import UserError
from counter_app.services.dossiers import applicant_dict
from counter_app.services.office import require_office
from counter_app.services.search import find_by_code


def _checked_code(code: str, agency_code: str) -> str:
    """The code as stored (upper case, trimmed); refused when garbled or another office's."""
    value = (code or "").strip().upper()
    parsed = parse_dossier_code(value)
    if parsed is None:
        raise UserError(f"'{code}' không phải mã hồ sơ (dạng {agency_code}-YYMMDD-XXXX).")
    if parsed.agency_code != agency_code:
        raise UserError(f"Hồ sơ {value} thuộc cơ quan {parsed.agency_code}, không phải của {agency_code}.")
    return value


def _not_found(value: str) -> UserError:
    return UserError(f"Không tìm thấy hồ sơ mã {value}.")


def find_own(session: Session, code: str) -> Dossier:
    """The dossier of this office with `code`; a garbled code, another office's or an unknown one
    is refused with a sentence the officer can act on."""
    value = _checked_code(code, require_office(session).agency_code)
    dossier = find_by_code(session, value)
    if dossier is None:
        raise _not_found(value)
    return dossier


# Column order is the order _dossier reads them in. The documents come as JSON pairs [position, …]
# and are sorted in Python (SQLite does not promise an aggregate follows a subquery's ORDER BY).
# The sync state is read from the unsent rows' own index (ix_outbox_unsent_dossier, migration 0010:
# only unsent rows, so it stays cached), not through the dossier's history.
_OPEN_SQL = """
SELECT o.agency_code,
       d.id, d.code, d.status, d.procedure_code, d.procedure_name, d.working_days, d.channel, d.sets,
       d.received_at, d.start_at, d.due_at, d.finished_at, d.returned_at, d.recipient_name,
       d.recipient_id_number, d.recipient_relation, d.note, d.officer, d.agency_code,
       a.id, a.full_name, a.id_number, a.birth_date, a.gender, a.address, a.phone, a.email, a.old_id_number,
       a.extra_json,
       (SELECT json_group_array(json_array(x.position, x.name, x.form, x.count))
          FROM dossier_document x WHERE x.dossier_id = d.id),
       (SELECT MAX(CASE b.state WHEN 'rejected' THEN 2 ELSE 1 END)
          FROM outbox b WHERE b.dossier_id = d.id AND b.sent_at IS NULL)
FROM office o LEFT JOIN dossier d ON d.code = :code LEFT JOIN applicant a ON a.id = d.applicant_id
WHERE o.id = 1
"""
_SYNC = {None: "synced", 1: "pending", 2: "rejected"}  # services.dossiers.sync_state's three answers


def open_by_code(session: Session, code: str) -> dict[str, Any]:
    """The dossier as `show` prints it (services.dossiers.dossier_dict's shape), in one statement."""
    value = (code or "").strip().upper()
    # The driver's own SQL (no text() construct to compile): this path is a handful of microseconds.
    row = session.connection().exec_driver_sql(_OPEN_SQL, {"code": value}).first()
    if row is None:
        require_office(session)  # no office yet: its own refusal
    assert row is not None
    _checked_code(code, row[0])
    if row[1] is None:
        raise _not_found(value)
    return _dossier(row)


def _dossier(r: Any) -> dict[str, Any]:
    applicant = None
    if r[20] is not None:
        applicant = applicant_dict(_Applicant(*r[21:30]))
    documents = sorted(json.loads(r[30] or "[]"))
    recipient = None
    if r[14]:
        recipient = {"full_name": r[14], "id_number": r[15] or "", "relation": r[16] or ""}
    return {
        "id": r[1],
        "code": r[2],
        "status": r[3],
        "status_label": label(r[3]),
        "procedure_code": r[4],
        "procedure_name": r[5],
        "working_days": r[6],
        "applicant": applicant,
        "documents": [{"name": name, "form": form, "count": count} for _pos, name, form, count in documents],
        "channel": r[7],
        "sets": r[8],
        "received_at": r[9],
        "start_at": r[10],
        "due_at": r[11],
        "finished_at": r[12],
        "returned_at": r[13],
        "recipient": recipient,
        "note": r[17],
        "officer": r[18],
        "agency_code": r[19],
        "sync": _SYNC[r[31]],
    }


class _Applicant:
    """The applicant columns under the names applicant_dict reads (no ORM object to build)."""

    __slots__ = ("full_name", "id_number", "birth_date", "gender", "address", "phone", "email", "old_id_number",
                 "extra_json")

    def __init__(self, *values: Any) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)
