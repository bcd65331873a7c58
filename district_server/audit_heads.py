"""The counters' audit trails, anchored here: each push carries the counter's newest audit entry
(its sequence number and hash, protocol.AuditHead) and the server keeps the newest one per device.

A counter's trail is hash-chained (counter_app/services/audit.py), so an entry edited or removed
anywhere before the newest is caught on the counter itself; removing the newest entries is not.
The head held here closes that gap. A reported head is a break when:

- it is older than the one held (a lower sequence number): the newest entries were deleted, or the
  counter was restored from an older backup;
- it is the held entry with another hash, or the counter's anchor is the held entry with another
  hash: the entry was rewritten, or deleted and written over by newer entries. The anchor is the
  head the counter last sent, with the hash its trail has for that entry now; the counter notes
  what it sends before sending, so normally the anchor is the head held or a later one (a push
  whose answer was lost) — never an earlier one;
- the anchor is older than the head held: the counter's store went back in time (a restore),
  even if it has written more entries since. (Two sync passes of one store running at once, the
  window's and a script's, could in theory race into this; the break then says so and the
  district resolves it.)

A break is kept (`audit_break`) for the district to look at and resolve, and the reported head is
held from then on, so one break is flagged once, not on every push after it. A counter that
reports nothing (an older version) is left alone. `counter-app audit verify` reads the head held
and the open breaks (`GET /v1/audit-head`), and checks its own trail against them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app.domain.codes import normalise_agency_code
from counter_app.sync.protocol import PROTOCOL, AuditHead
from district_server.auth import Device
from district_server.database import Database
from district_server.schema import audit_break, audit_head, device
from district_server.timeutil import now_iso


def record(db: Database, conn: Connection, dev: Device, head: AuditHead, now: str) -> AuditHead:
    """Check `head` against the one held for `dev`, flag a break, hold `head`; in the caller's push
    transaction (which holds the office's lock, so two pushes of one device do not interleave).
    Returns the head now held (what the counter may anchor on)."""
    held = conn.execute(sa.select(audit_head).where(audit_head.c.device_id == dev.id)).first()
    if held is not None:
        found = _break_of(held, head)
        if found is not None:
            kind, reported_seq = found
            conn.execute(sa.insert(audit_break).values(
                device_id=dev.id, agency_code=dev.agency_code, counter=dev.counter, kind=kind,
                reported_seq=reported_seq, reported_hash=head.hash, held_seq=held.seq, held_hash=held.hash,
                held_reported_at=held.reported_at, at=now))
    row = {"device_id": dev.id, "agency_code": dev.agency_code, "counter": dev.counter, "seq": head.seq,
           "hash": head.hash, "reported_at": now, "first_reported_at": now}
    stmt = db.insert(audit_head).values(**row)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=["device_id"],
        set_={"seq": head.seq, "hash": head.hash, "reported_at": now, "agency_code": dev.agency_code,
              "counter": dev.counter}))
    return AuditHead(seq=head.seq, hash=head.hash)


def _break_of(held: Any, head: AuditHead) -> tuple[str, int] | None:  # noqa: ANN401 - a row of audit_head
    """(kind, the sequence number the counter went back to) when `head` does not continue `held`."""
    if head.seq < held.seq:
        return "older", head.seq
    if head.seq == held.seq and head.hash != held.hash:
        return "rewritten", head.seq
    if head.anchor_seq is None or head.anchor_seq > held.seq:
        return None  # nothing to compare the path with (a first report; the previous answer was lost)
    if head.anchor_seq < held.seq:
        return "older", head.anchor_seq  # the counter's record of what it reported went back in time
    if head.anchor_seq == held.seq and head.anchor_hash != held.hash:
        return "rewritten", head.anchor_seq
    return None


def message(kind: str, counter: int, reported_seq: int, held_seq: int, held_at: str) -> str:
    """What a break means, in the words the counter's officer and the district both read."""
    when = _vn_time(held_at)
    if kind == "older":
        return (f"Quầy số {counter} báo nhật ký thao tác chỉ đến mục số {reported_seq}, nhưng trước đó "
                f"({when}) đã báo đến mục số {held_seq}: các mục mới nhất đã bị xóa, hoặc máy quầy đã được "
                "khôi phục từ một bản sao lưu cũ.")
    return (f"Quầy số {counter}: mục nhật ký số {held_seq} không còn giống như đã báo lên máy chủ huyện "
            f"({when}): nhật ký đã bị sửa, hoặc các mục mới nhất đã bị xóa rồi ghi tiếp.")


def _vn_time(value: str) -> str:
    from counter_app import clock
    from counter_app.domain.vn_time import vn_datetime

    try:
        return vn_datetime(clock.parse_iso(value))
    except ValueError:
        return value


def _break_dict(r: Any) -> dict[str, Any]:  # noqa: ANN401 - a row of audit_break
    return {"id": int(r.id), "device_id": r.device_id, "agency_code": r.agency_code, "counter": r.counter,
            "kind": r.kind, "reported_seq": int(r.reported_seq), "reported_hash": r.reported_hash,
            "held_seq": int(r.held_seq), "held_hash": r.held_hash, "held_reported_at": r.held_reported_at,
            "at": r.at, "resolved_at": r.resolved_at,
            "message": message(r.kind, r.counter, int(r.reported_seq), int(r.held_seq), r.held_reported_at)}


# --- what the counter asks (GET /v1/audit-head) ---------------------------------------------------


def check(db: Database, dev: Device) -> dict[str, Any]:
    """The head held for this device and its open breaks, as protocol.AuditCheck."""
    with db.read() as conn:
        held = conn.execute(sa.select(audit_head).where(audit_head.c.device_id == dev.id)).first()
        rows = conn.execute(sa.select(audit_break).where(audit_break.c.device_id == dev.id,
                                                         audit_break.c.resolved_at.is_(None))
                            .order_by(audit_break.c.id)).all()
    breaks = [{k: v for k, v in _break_dict(r).items() if k in ("id", "kind", "reported_seq", "held_seq", "at",
                                                                  "message")} for r in rows]
    return {"protocol": PROTOCOL, "head": {"seq": int(held.seq), "hash": held.hash} if held else None,
            "reported_at": held.reported_at if held else None, "breaks": breaks}


# --- what the district sees (CLI, dashboard) ------------------------------------------------------


def heads(db: Database, *, agency_code: str | None = None) -> list[dict[str, Any]]:
    """Every active device with the head it last reported (None: it never did) and how many breaks
    are open for it: one row per counter, for the dashboard's list of counters."""
    open_breaks = (sa.select(audit_break.c.device_id, sa.func.count().label("n"))
                   .where(audit_break.c.resolved_at.is_(None)).group_by(audit_break.c.device_id).subquery())
    stmt = (sa.select(device.c.id, device.c.agency_code, device.c.counter, device.c.label, audit_head.c.seq,
                      audit_head.c.hash, audit_head.c.reported_at, open_breaks.c.n)
            .select_from(device.outerjoin(audit_head, audit_head.c.device_id == device.c.id)
                         .outerjoin(open_breaks, open_breaks.c.device_id == device.c.id))
            .where(device.c.revoked_at.is_(None))
            .order_by(device.c.agency_code, device.c.counter))
    if agency_code:
        stmt = stmt.where(device.c.agency_code == normalise_agency_code(agency_code))
    with db.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [{"device_id": r.id, "agency_code": r.agency_code, "counter": r.counter, "label": r.label,
             "seq": None if r.seq is None else int(r.seq), "hash": r.hash, "reported_at": r.reported_at,
             "open_breaks": int(r.n or 0)} for r in rows]


def breaks(db: Database, *, agency_code: str | None = None, include_resolved: bool = False) -> list[dict[str, Any]]:
    """The breaks seen, oldest first, each with its Vietnamese explanation."""
    stmt = sa.select(audit_break).order_by(audit_break.c.id)
    if agency_code:
        stmt = stmt.where(audit_break.c.agency_code == normalise_agency_code(agency_code))
    if not include_resolved:
        stmt = stmt.where(audit_break.c.resolved_at.is_(None))
    with db.engine.connect() as conn:
        return [_break_dict(r) for r in conn.execute(stmt).all()]


def resolve_break(db: Database, break_id: int) -> bool:
    """The district looked at it (a restore it knows of, say): no longer open. False if none open."""
    with db.write() as conn:
        done = conn.execute(sa.update(audit_break).where(audit_break.c.id == break_id,
                                                         audit_break.c.resolved_at.is_(None))
                            .values(resolved_at=now_iso()))
    return done.rowcount > 0
