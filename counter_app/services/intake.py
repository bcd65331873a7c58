"""Intake: validate what the officer typed (or a script sent), issue the dossier code, compute the
appointment time, and write dossier + documents + first event + outbox entry in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from counter_app import clock
from counter_app.db.models import StatusEvent
from counter_app.domain import json_input, validation
from counter_app.domain.calendar import DueDate
from counter_app.domain.channels import CHANNELS  # noqa: F401 - re-exported
from counter_app.domain.codes import MAX_PER_COUNTER_PER_DAY, format_dossier_code, sequence_number
from counter_app.domain.id_card import IdCard, parse_id_qr
from counter_app.domain.ids import new_id
from counter_app.domain.statuses import Status
from counter_app.domain.text import collapse_spaces, fold, nfc
from counter_app.domain.vn_time import vn_datetime
from counter_app.errors import UserError
from counter_app.services import audit, calendar_store, catalogue
from counter_app.services.lookup import open_by_code
from counter_app.services.office import office_identity
from counter_app.services.permissions import authorize
from counter_app.services.search import key_at
from counter_app.sync import outbox

MAX_FUTURE = timedelta(minutes=10)  # clock skew between counters; more is a typing mistake


@dataclass(frozen=True)
class ApplicantInput:
    full_name: str
    id_number: str = ""
    old_id_number: str = ""
    birth_date: date | None = None
    gender: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IntakeRequest:
    procedure_code: str
    applicant: ApplicantInput
    documents: tuple[catalogue.DocumentSpec, ...] | None = None  # None: the procedure's list
    channel: int = 1
    sets: int = 1
    received_at: datetime | None = None  # None: now (backlog imports pass the real time)
    note: str = ""
    refusal_reason: str = ""  # set: the dossier is refused at intake (status 3, Mẫu 03), with this reason


@dataclass(frozen=True)
class IntakeResult:
    dossier: dict[str, Any]
    warnings: tuple[str, ...]


# --- parsing and validation ---------------------------------------------------------------------


def applicant_from_card(card: IdCard) -> ApplicantInput:
    extra = {f"truong_{i}": v for i, v in enumerate(card.extra, 8) if v}
    if card.issue_date:
        extra["ngay_cap"] = card.issue_date.isoformat()
    return ApplicantInput(
        full_name=card.full_name,
        id_number=card.id_number,
        old_id_number=card.old_id_number,
        birth_date=card.birth_date,
        gender=card.gender,
        address=card.address,
        extra=extra,
    )


def parse_applicant(raw: Any, today: date) -> ApplicantInput:
    if not isinstance(raw, dict):
        raise UserError("'applicant' phải là một đối tượng JSON.", field="applicant")
    name = collapse_spaces(nfc(str(raw.get("full_name") or "")))
    if not name:
        raise UserError("Cần nhập họ tên người nộp hồ sơ.", field="full_name")
    if len(name) > 200:
        raise UserError("Họ tên dài quá 200 ký tự.", field="full_name")
    id_number = str(raw.get("id_number") or "").strip()
    birth = str(raw.get("birth_date") or "").strip()
    return ApplicantInput(
        full_name=name,
        id_number=validation.id_number(id_number) if id_number else "",
        old_id_number=validation.old_id_number(str(raw.get("old_id_number") or "")),
        birth_date=validation.iso_date(birth, field="birth_date", label="Ngày sinh", today=today) if birth else None,
        gender=validation.gender(str(raw.get("gender") or "")),
        address=collapse_spaces(nfc(str(raw.get("address") or ""))),
        phone=validation.phone(str(raw.get("phone") or "")),
        email=validation.email(nfc(str(raw.get("email") or ""))),
    )


def merge_applicant(typed: ApplicantInput | None, card: ApplicantInput | None) -> ApplicantInput:
    """What the officer typed wins over the card; the card fills what was left empty."""
    if typed is None or card is None:
        result = typed or card
        assert result is not None
        return result
    if typed.id_number and typed.id_number != card.id_number:
        raise UserError(
            f"Số định danh nhập tay ({typed.id_number}) khác số trên thẻ vừa quét ({card.id_number}).",
            field="id_number",
        )
    values = {k: getattr(typed, k) or getattr(card, k) for k in ApplicantInput.__dataclass_fields__}
    values["extra"] = {**card.extra, **typed.extra}
    return ApplicantInput(**values)


def parse_received_at(raw: Any, now: datetime) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        value = clock.parse_iso(str(raw).strip())
    except ValueError:
        raise UserError(
            f"Thời điểm tiếp nhận '{raw}' không phải một thời điểm có thật (ISO 8601, ví dụ "
            "2026-02-13T10:00:00+07:00).",
            field="received_at",
        ) from None
    if value > now + MAX_FUTURE:
        raise UserError(f"Thời điểm tiếp nhận {vn_datetime(value)} ở tương lai.", field="received_at")
    if value.year < 2000:
        raise UserError("Thời điểm tiếp nhận phải từ năm 2000 trở đi.", field="received_at")
    return value


def _int_in(raw: Any, default: int, lo: int, hi: int, message: str, field_name: str) -> int:
    if raw in (None, ""):
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise UserError(message, field=field_name)
    try:
        value = int(raw)
    except ValueError:
        raise UserError(message, field=field_name) from None
    if not lo <= value <= hi:
        raise UserError(message, field=field_name)
    return value


def parse_intake(data: Any, *, now: datetime | None = None) -> IntakeRequest:
    """The contract's intake object → a checked request. Raises UserError naming the field."""
    now = now or clock.now()
    if not isinstance(data, dict):
        raise UserError("Mỗi hồ sơ phải là một đối tượng JSON.")
    json_input.check(data)  # a lone surrogate would fail only inside SQLite, after the code was issued
    code = str(data.get("procedure_code") or "").strip()
    if not code:
        raise UserError("Cần chọn thủ tục hành chính (procedure_code).", field="procedure_code")
    typed = parse_applicant(data["applicant"], now.date()) if data.get("applicant") is not None else None
    read = parse_id_qr(str(data["id_qr"])) if data.get("id_qr") else None
    if read is not None and read.unreadable and typed is None:
        raise UserError("Mã QR thẻ căn cước có chữ không đọc được; cần nhập thông tin người nộp ('applicant').",
                        field="applicant")
    card = applicant_from_card(read) if read is not None else None
    if typed is None and card is None:
        raise UserError(
            "Cần thông tin người nộp hồ sơ ('applicant') hoặc mã QR thẻ căn cước ('id_qr').", field="applicant"
        )
    docs_raw = data.get("documents")
    documents = None
    if docs_raw is not None:
        if not isinstance(docs_raw, list):
            raise UserError("'documents' phải là một danh sách giấy tờ.", field="documents")
        documents = tuple(catalogue.parse_document(d, f"Giấy tờ thứ {i}") for i, d in enumerate(docs_raw, 1))
    return IntakeRequest(
        procedure_code=code,
        applicant=merge_applicant(typed, card),
        documents=documents,
        channel=_int_in(
            data.get("channel"),
            1,
            1,
            3,
            "Kênh nộp hồ sơ phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính).",
            "channel",
        ),
        sets=_int_in(data.get("sets"), 1, 1, 99, "Số bộ hồ sơ phải từ 1 đến 99.", "sets"),
        received_at=parse_received_at(data.get("received_at"), now),
        note=collapse_spaces(nfc(str(data.get("note") or ""))),
        refusal_reason=collapse_spaces(nfc(str(data.get("refusal_reason") or ""))),
    )


# --- the transaction ----------------------------------------------------------------------------


def preview_due(session: Session, procedure_code: str, received_at: datetime) -> DueDate:
    """The appointment time the form shows live, before anything is saved."""
    spec = catalogue.get_procedure(session, procedure_code)
    return calendar_store.work_calendar(session).due_at(received_at, spec.working_days)


def issue_code(session: Session, agency_code: str, counter: int, day: date) -> str:
    """The next number of this counter's slice for `day`, inside the caller's transaction: a
    failed intake rolls it back with everything else, so no number is skipped or reused."""
    key = day.isoformat()
    conn = session.connection()
    row = conn.exec_driver_sql("SELECT id, last_n FROM code_counter WHERE agency_code = ? AND day = ? AND counter = ?",
                               (agency_code, key, counter)).first()
    n = (row[1] if row else 0) + 1
    if n > MAX_PER_COUNTER_PER_DAY:
        raise UserError(
            f"Quầy số {counter} đã cấp đủ {MAX_PER_COUNTER_PER_DAY} mã hồ sơ trong ngày {day:%d/%m/%Y}; "
            "không thể cấp thêm mã. Hãy tiếp nhận ở quầy khác."
        )
    if row is None:
        conn.exec_driver_sql("INSERT INTO code_counter (agency_code, day, counter, last_n) VALUES (?, ?, ?, ?)",
                             (agency_code, key, counter, n))
    else:
        conn.exec_driver_sql("UPDATE code_counter SET last_n = ? WHERE id = ?", (n, row[0]))
    return format_dossier_code(agency_code, day, sequence_number(counter, n))


def _search_key(session: Session, received_at: datetime) -> int:
    base = key_at(received_at)
    top = session.connection().exec_driver_sql(
        "SELECT MAX(search_key) FROM dossier WHERE search_key BETWEEN ? AND ?", (base, base + 999)).scalar()
    return base if top is None else top + 1


def create_dossier(
    session: Session,
    request: IntakeRequest,
    *,
    actor: audit.Actor,
    now: datetime | None = None,
) -> IntakeResult:
    authorize(session, actor, "intake")
    now = now or clock.now()
    officer = actor.officer
    agency_code, counter = office_identity(session)
    spec = catalogue.get_procedure(session, request.procedure_code)
    received = request.received_at or now
    refused = bool(request.refusal_reason)
    # A refused dossier gets its code (never reused) but no appointment: nothing is due.
    due = (
        DueDate(received, received, ())
        if refused
        else calendar_store.work_calendar(session).due_at(received, spec.working_days)
    )
    code = issue_code(session, agency_code, counter, received.date())
    documents = request.documents if request.documents is not None else spec.documents
    stamp = clock.iso(now)

    person = request.applicant
    # The rows go in as plain SQL on the session's connection, in its transaction: building ORM
    # objects and flushing them through the unit of work cost several times the inserts.
    applicant = {
        "id": new_id(), "full_name": person.full_name, "name_folded": fold(person.full_name),
        "id_number": person.id_number, "old_id_number": person.old_id_number,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None, "gender": person.gender,
        "address": person.address, "phone": person.phone, "email": person.email,
        "extra_json": json.dumps(person.extra, ensure_ascii=False),
    }
    status = int(Status.REFUSED if refused else Status.RECEIVED)
    dossier = {
        "id": new_id(), "code": code, "search_key": _search_key(session, received), "agency_code": agency_code,
        "counter": counter, "procedure_code": spec.code, "procedure_name": spec.name,
        "working_days": spec.working_days, "applicant_id": applicant["id"], "status": status,
        "channel": request.channel, "sets": request.sets, "received_at": clock.iso(received),
        "start_at": clock.iso(due.start), "due_at": clock.iso(due.due),
        "finished_at": clock.iso(received) if refused else None, "note": request.note, "officer": officer,
        "created_at": stamp, "updated_at": stamp, "extension_count": 0,
    }
    event = StatusEvent(
        id=new_id(), dossier_id=dossier["id"], kind="intake", from_status=None, to_status=status,
        at=clock.iso(received), officer=officer, actor=actor.kind, note=request.refusal_reason or request.note,
    )
    conn = session.connection()
    _insert(conn, "applicant", applicant)
    _insert(conn, "dossier", dossier)
    if documents:
        conn.exec_driver_sql(
            "INSERT INTO dossier_document (dossier_id, position, name, form, count) VALUES (?, ?, ?, ?, ?)",
            [(dossier["id"], i, d.name, d.form, d.count) for i, d in enumerate(documents, 1)])
    _insert(conn, "status_event", {c: getattr(event, c) for c in _EVENT_COLUMNS})
    conn.exec_driver_sql("INSERT INTO dossier_search(rowid, name) VALUES (?, ?)",
                         (dossier["search_key"], applicant["name_folded"]))
    # What was just written, as `show` prints it: the outbox snapshot and the answer are that dict.
    data = {**open_by_code(session, code), "sync": "pending"}
    outbox.enqueue(session, event, data)
    audit.record(session, actor, "intake", code, {"procedure": spec.code, "status": status}, now=now)
    return IntakeResult(data, provisional_warnings(due))


_EVENT_COLUMNS = ("id", "dossier_id", "kind", "from_status", "to_status", "at", "officer", "actor", "note",
                  "payload_json")


def _insert(conn: Any, table: str, row: dict[str, Any]) -> None:  # conn: the session's Connection
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})", row)


def provisional_warnings(due: DueDate) -> tuple[str, ...]:
    if not due.provisional_days:
        return ()
    years = sorted({d.day.year for d in due.provisional_days})
    return (
        "Hạn trả kết quả được tính theo lịch nghỉ lễ tạm tính năm "
        + ", ".join(str(y) for y in years)
        + " (chưa có thông báo chính thức); hãy kiểm tra lại khi có lịch chính thức.",
    )

