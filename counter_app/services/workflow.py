"""The dossier's life after intake: status moves, supplements (the clock stops and restarts),
the single extension, hand-overs, and the return of the result.

Every change writes a status event and its outbox entry in the caller's transaction, so the
district server sees exactly what the officer did, in order, with the time it happened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from counter_app import clock
from counter_app.db.models import Dossier, StatusEvent
from counter_app.domain import validation
from counter_app.domain.ids import new_id
from counter_app.domain.statuses import CLOCK_RUNNING, Status, can_move, label
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.domain.vn_time import vn_datetime
from counter_app.errors import UserError
from counter_app.services import audit, calendar_store
from counter_app.services.audit import Actor
from counter_app.services.dossiers import dossier_dict
from counter_app.services.lookup import find_own
from counter_app.services.permissions import authorize

# Moves that must say why: the paper printed for them carries the reason.
REASON_REQUIRED = {
    Status.SUPPLEMENT: "Cần ghi rõ nội dung yêu cầu bổ sung, hoàn thiện hồ sơ.",
    Status.WITHDRAWN: "Cần ghi lý do rút hồ sơ.",
    Status.STOPPED: "Cần ghi lý do dừng giải quyết hồ sơ.",
}
# Processing ends here; statistics compare finished_at with due_at (early / on time / late).
ENDS_PROCESSING = (Status.DONE, Status.WITHDRAWN, Status.STOPPED)
RATINGS = {1: "Hài lòng", 2: "Bình thường", 3: "Không hài lòng"}


def load(session: Session, code: str) -> Dossier:
    return find_own(session, code)


def _clean(text: str | None) -> str:
    return collapse_spaces(nfc(text or ""))


def _record(session: Session, dossier: Dossier, *, kind: str, old: int | None, actor: Actor, at: datetime,
            note: str = "", payload: dict[str, Any] | None = None) -> dict[str, Any]:
    from counter_app.sync import outbox

    dossier.updated_at = clock.iso(at)
    session.add(dossier)
    event = StatusEvent(id=new_id(), dossier_id=dossier.id, kind=kind, from_status=old, to_status=dossier.status,
                        at=clock.iso(at), officer=actor.officer, actor=actor.kind, note=note,
                        payload_json=json.dumps(payload or {}, ensure_ascii=False))
    session.add(event)
    session.flush()
    data = dossier_dict(session, dossier, sync="pending")
    outbox.enqueue(session, event, data)
    audit.record(session, actor, kind, dossier.code, {"from": old, "to": dossier.status, "note": note}, now=at)
    return data


def move(session: Session, code: str, new_status: int, *, actor: Actor, note: str = "",
         missing: list[str] | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Move a dossier along the national status codes (docs/rules.md, "Statuses")."""
    authorize(session, actor, "workflow", target=code)
    now = now or clock.now()
    dossier = load(session, code)
    old = dossier.status
    try:
        target = Status(int(new_status))
    except ValueError:
        raise UserError(f"Mã trạng thái '{new_status}' không có (từ 1 đến 10).") from None
    if target == Status.RETURNED and old == Status.DONE:
        raise UserError("Trả kết quả cần ghi người nhận: dùng chức năng trả kết quả (lệnh 'return').")
    if target == Status.REFUSED:
        raise UserError("Từ chối tiếp nhận chỉ ghi được ngay khi tiếp nhận hồ sơ (Mẫu 03), không phải sau đó.")
    if not can_move(old, target):
        raise UserError(
            f"Không thể chuyển hồ sơ {dossier.code} từ '{label(old)}' sang '{label(target)}'."
        )
    note = _clean(note)
    missing = [m for m in (_clean(x) for x in (missing or [])) if m]
    if target in REASON_REQUIRED and not note and not missing:
        raise UserError(REASON_REQUIRED[target], field="note")
    payload: dict[str, Any] = {}
    dossier.status = int(target)
    if target in ENDS_PROCESSING:
        dossier.finished_at = clock.iso(now)
    if target == Status.SUPPLEMENT:
        # The clock stops; the due time is recomputed when the complete dossier comes back.
        dossier.paused_at = clock.iso(now)
        payload["missing"] = missing
    elif old == Status.SUPPLEMENT and target == Status.PROCESSING:
        # The full processing time starts again from the moment the papers are complete.
        due = calendar_store.work_calendar(session).due_at(now, dossier.working_days)
        payload["previous_due_at"] = dossier.due_at
        dossier.start_at, dossier.due_at = clock.iso(due.start), clock.iso(due.due)
        dossier.paused_at = None
    elif target in (Status.WITHDRAWN,) and dossier.paused_at:
        dossier.paused_at = None
    return _record(session, dossier, kind="move", old=old, actor=actor, at=now, note=note, payload=payload)


def hand_over(session: Session, code: str, *, to_unit: str, actor: Actor, note: str = "",
              now: datetime | None = None) -> dict[str, Any]:
    """Pass the dossier to the processing officer or agency (a line of the control sheet, Mẫu 06).
    A received dossier (2) becomes 'processing' (4) with its first hand-over."""
    authorize(session, actor, "workflow", target=code)
    now = now or clock.now()
    dossier = load(session, code)
    unit = _clean(to_unit)
    if not unit:
        raise UserError("Cần ghi nơi nhận hồ sơ (cán bộ hoặc cơ quan giải quyết).", field="to_unit")
    if dossier.status not in (Status.RECEIVED, Status.PROCESSING, Status.DONE):
        raise UserError(f"Hồ sơ {dossier.code} đang ở trạng thái '{label(dossier.status)}': không bàn giao được.")
    old = dossier.status
    if old == Status.RECEIVED:
        dossier.status = int(Status.PROCESSING)
    return _record(session, dossier, kind="handover", old=old, actor=actor, at=now, note=_clean(note),
                   payload={"to_unit": unit})


def extend(session: Session, code: str, *, new_due: datetime, reason: str, actor: Actor,
           now: datetime | None = None) -> dict[str, Any]:
    """The apology and extension (Mẫu 04): once per dossier, to a later date the officer chooses."""
    authorize(session, actor, "extend", target=code)
    now = now or clock.now()
    dossier = load(session, code)
    reason = _clean(reason)
    if dossier.status not in CLOCK_RUNNING:
        raise UserError(f"Hồ sơ {dossier.code} đang ở trạng thái '{label(dossier.status)}': không gia hạn được.")
    if dossier.extension_count >= 1:
        raise UserError(f"Hồ sơ {dossier.code} đã được gia hạn một lần; theo quy định chỉ được gia hạn một lần.")
    if not reason:
        raise UserError("Cần ghi lý do xin lỗi và gia hạn.", field="reason")
    current = clock.parse_iso(dossier.due_at)
    new_due = new_due.astimezone(current.tzinfo)
    if new_due <= current:
        raise UserError(f"Ngày hẹn mới phải sau ngày hẹn hiện tại ({vn_datetime(current)}).", field="new_due")
    dossier.original_due_at = dossier.original_due_at or dossier.due_at
    dossier.due_at = clock.iso(new_due)
    dossier.extension_count += 1
    return _record(session, dossier, kind="extension", old=dossier.status, actor=actor, at=now, note=reason,
                   payload={"previous_due_at": dossier.original_due_at, "new_due_at": dossier.due_at})


@dataclass(frozen=True)
class Recipient:
    full_name: str
    id_number: str = ""
    relation: str = ""  # empty when the applicant collects it in person


def return_result(session: Session, code: str, recipient: Recipient, *, actor: Actor, rating: int | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    """Hand the result over and record to whom (status 9 → 10)."""
    authorize(session, actor, "return", target=code)
    now = now or clock.now()
    dossier = load(session, code)
    if dossier.status == Status.RETURNED:
        when = vn_datetime(clock.parse_iso(dossier.returned_at)) if dossier.returned_at else ""
        raise UserError(f"Hồ sơ {dossier.code} đã trả kết quả cho {dossier.recipient_name} lúc {when}.")
    if dossier.status != Status.DONE:
        due = vn_datetime(clock.parse_iso(dossier.due_at))
        raise UserError(
            f"Hồ sơ {dossier.code} chưa có kết quả (đang ở trạng thái '{label(dossier.status)}'); hẹn trả: {due}."
        )
    name = _clean(recipient.full_name)
    if not name:
        raise UserError("Cần ghi họ tên người nhận kết quả.", field="recipient_name")
    id_number = validation.id_number(recipient.id_number, field="recipient_id") if recipient.id_number.strip() else ""
    relation = _clean(recipient.relation)
    if rating is not None and rating not in RATINGS:
        raise UserError("Mức hài lòng phải là 1 (hài lòng), 2 (bình thường) hoặc 3 (không hài lòng).", field="rating")
    dossier.status = int(Status.RETURNED)
    dossier.returned_at = clock.iso(now)
    dossier.recipient_name, dossier.recipient_id_number, dossier.recipient_relation = name, id_number, relation
    dossier.rating = rating
    return _record(session, dossier, kind="return", old=Status.DONE, actor=actor, at=now,
                   payload={"recipient": {"full_name": name, "id_number": id_number, "relation": relation},
                            "rating": rating})


def history(session: Session, code: str) -> list[dict[str, Any]]:
    from sqlmodel import select

    dossier = load(session, code)
    events = session.exec(select(StatusEvent).where(StatusEvent.dossier_id == dossier.id)
                          .order_by(StatusEvent.at, StatusEvent.id)).all()
    return [{"event_id": e.id, "kind": e.kind, "from_status": e.from_status, "status": e.to_status, "at": e.at,
             "officer": e.officer, "actor": e.actor, "note": e.note, **json.loads(e.payload_json or "{}")}
            for e in events]
