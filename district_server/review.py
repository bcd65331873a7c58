"""The review table: events kept aside for a person (conflicts, invalid ones, moves waiting for their
predecessor), the daily room each device has there, and what district staff see of it.

The room is bounded so that one device — a counter with a broken clock or the wrong counter
number, or a stolen token — cannot fill the server's disk: per device and per (Vietnam) day at most
MAX_PER_DEVICE_PER_DAY events and MAX_BYTES_PER_DEVICE_PER_DAY of payload. 2,000 is twice what
one counter can issue in a day (999 codes, each with its intake and about one move), so even a
counter misconfigured all day long has every event it sent kept for the admin to see; a healthy
counter parks none. 20 MB is that many events at ten times the size of a real one (~2 KB).
Beyond that, the event is refused without being kept (its reason says so, with the original
reason) and only counted (`review_overflow`), so the admin still sees that a flood happened.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app.domain.codes import normalise_agency_code
from district_server.database import Database
from district_server.schema import device, dossier, event, review, review_overflow
from district_server.timeutil import now_iso

MAX_PER_DEVICE_PER_DAY = 2000
MAX_BYTES_PER_DEVICE_PER_DAY = 20 * 1024 * 1024
WAITING = "waiting"  # review.code of an event held until its predecessor arrives (rules.py)
APPLIED = "applied"  # review.result once a waiting event was applied after all

FULL = ("Máy chủ huyện đã giữ lại {kept} sự kiện lỗi của máy quầy này hôm nay (tối đa {limit} sự kiện mỗi ngày): "
        "sự kiện này không được lưu lại. Lý do: {reason} Hãy báo quản trị viên huyện.")


def keep(db: Database, conn: Connection, device_id: str, agency_code: str, rows: list[dict[str, Any]],
         now: str) -> list[dict[str, Any]]:
    """Store the rows that fit in the device's room for today; return those that do not (not stored),
    their reason rewritten to say so. A row already held (the same refused payload sent again) takes no new room."""
    if not rows:
        return []
    day = now[:10]
    held = set(conn.execute(sa.select(review.c.event_id, review.c.payload_hash)
                            .where(review.c.event_id.in_({r["event_id"] for r in rows}))).all())
    used, size = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.func.length(review.c.payload_json)), 0))
        .where(review.c.device_id == device_id, review.c.received_at >= day)).one()
    fits: list[dict[str, Any]] = []
    over: list[dict[str, Any]] = []
    for row in rows:
        if (row["event_id"], row["payload_hash"]) in held:
            continue
        cost = len(row["payload_json"])
        if used + 1 > MAX_PER_DEVICE_PER_DAY or size + cost > MAX_BYTES_PER_DEVICE_PER_DAY:
            over.append(row)
            continue
        used, size = used + 1, size + cost
        held.add((row["event_id"], row["payload_hash"]))
        fits.append({**{k: v for k, v in row.items() if k != "index"}, "device_id": device_id,
                     "agency_code": agency_code, "received_at": now})
    if fits:
        conn.execute(db.insert(review).on_conflict_do_nothing(index_elements=["event_id", "payload_hash"]), fits)
    if over:
        stmt = db.insert(review_overflow).values(device_id=device_id, day=day, events=len(over), last_at=now)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["device_id", "day"],
            set_={"events": review_overflow.c.events + len(over), "last_at": now}))
    for row in over:
        row["reason"] = FULL.format(kept=used, limit=MAX_PER_DEVICE_PER_DAY, reason=row["reason"])
    return over


# A real dossier has a handful of events waiting at most; the bound keeps a token that parks
# thousands on one dossier (over many days) from making every push to it slow.
MAX_WAITING_RECHECKED = 500


def _open_waiting() -> sa.ColumnElement[bool]:
    # Literal, not a bound parameter: SQLite uses the partial index ix_review_waiting only then.
    return sa.and_(review.c.code == sa.literal_column(f"'{WAITING}'"), review.c.resolved_at.is_(None))


def waiting_for(conn: Connection, agency_code: str, dossier_ids: list[str]) -> list[Any]:
    """The events of these dossiers held until their predecessor arrives (oldest first). Most of
    the time an office has none at all: one probe of the partial index says so."""
    if not dossier_ids or conn.execute(sa.select(review.c.id).where(review.c.agency_code == agency_code,
                                                                    _open_waiting()).limit(1)).first() is None:
        return []
    return conn.execute(
        sa.select(review.c.id, review.c.event_id, review.c.payload_hash, review.c.device_id, review.c.payload_json)
        .where(review.c.agency_code == agency_code, review.c.dossier_id.in_(dossier_ids), _open_waiting())
        .order_by(review.c.id).limit(MAX_WAITING_RECHECKED)).all()


DISMISSED = ("Cán bộ huyện đã xem sự kiện đang chờ này và đóng lại mà không áp dụng; máy chủ huyện sẽ không tự áp "
             "dụng nó nữa. Hãy liên hệ quản trị viên huyện nếu cần ghi lại.")


def dismissed(conn: Connection, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of these (event id, payload hash), the waiting cases district staff closed without them
    being applied: the server no longer holds them, so a resend is not "held" any more."""
    if not keys:
        return set()
    rows = conn.execute(sa.select(review.c.event_id, review.c.payload_hash)
                        .where(review.c.event_id.in_({k[0] for k in keys}), review.c.code == WAITING,
                               review.c.resolved_at.is_not(None), review.c.result != APPLIED)).all()
    return {(r.event_id, r.payload_hash) for r in rows} & set(keys)


def mark_applied(conn: Connection, keys: list[tuple[str, str]], now: str) -> None:
    """Waiting events that fitted after all: no longer a case for a person."""
    for event_id, digest in keys:
        conn.execute(sa.update(review).where(review.c.event_id == event_id, review.c.payload_hash == digest,
                                             review.c.code == WAITING, review.c.resolved_at.is_(None))
                     .values(result=APPLIED, resolved_at=now))


# --- what district staff see ----------------------------------------------------------------------


def list_reviews(db: Database, *, agency_code: str | None = None, include_resolved: bool = False,
                 limit: int | None = None) -> list[dict]:
    stmt = sa.select(review).order_by(review.c.id).limit(limit)
    if agency_code:
        stmt = stmt.where(review.c.agency_code == normalise_agency_code(agency_code))
    if not include_resolved:
        stmt = stmt.where(review.c.resolved_at.is_(None))
    with db.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    out = []
    for r in rows:
        item = dict(r._mapping)
        item["payload"] = json.loads(item.pop("payload_json"))
        out.append(item)
    return out


def with_diffs(db: Database, items: list[dict]) -> list[dict]:
    """Each case with `diff`: (field, kept, stored) for every field where the kept payload differs
    from what the server holds — the stored event of the same id (a conflict), else the payload of
    the dossier's latest event — and `stored_as` saying which; empty when nothing is held."""
    ids = [i["event_id"] for i in items]
    dossier_ids = [i["dossier_id"] for i in items if i.get("dossier_id")]
    with db.engine.connect() as conn:
        same_id = dict(conn.execute(sa.select(event.c.event_id, event.c.payload_json)
                                    .where(event.c.event_id.in_(ids))).all()) if ids else {}
        latest = dict(conn.execute(sa.select(dossier.c.id, event.c.payload_json)
                                   .join(event, event.c.event_id == dossier.c.last_event_id)
                                   .where(dossier.c.id.in_(dossier_ids))).all()) if dossier_ids else {}
    out = []
    for item in items:
        stored_text, stored_as = same_id.get(item["event_id"]), "same_id"
        if stored_text is None:
            stored_text, stored_as = latest.get(item.get("dossier_id") or ""), "latest"
        stored = json.loads(stored_text) if stored_text else None
        out.append({**item, "stored_as": stored_as if stored is not None else "",
                    "diff": _diff(item["payload"], stored) if stored is not None else []})
    return out


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {prefix or "(toàn bộ)": data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        out.update(_flat(value, name) if isinstance(value, dict) else {name: value})
    return out


def _diff(kept: Any, stored: Any) -> list[tuple[str, Any, Any]]:
    a, b = _flat(kept), _flat(stored)
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k) and k != "event_id"]


def resolve_review(db: Database, review_id: int) -> bool:
    with db.write() as conn:
        done = conn.execute(sa.update(review).where(review.c.id == review_id, review.c.resolved_at.is_(None))
                            .values(resolved_at=now_iso()))
    return done.rowcount > 0


def room(db: Database, day: str | None = None) -> list[dict[str, Any]]:
    """Per device that sent anything for review on `day` (YYYY-MM-DD, Vietnam time; today by
    default): how much of its daily room it used, and how many events found no room."""
    day = day or now_iso()[:10]
    with db.engine.connect() as conn:
        kept = dict(conn.execute(sa.select(review.c.device_id, sa.func.count())
                                 .where(review.c.received_at >= day, review.c.received_at < _next(day))
                                 .group_by(review.c.device_id)).all())
        overflow = dict(conn.execute(sa.select(review_overflow.c.device_id, review_overflow.c.events)
                                     .where(review_overflow.c.day == day)).all())
        ids = sorted(set(kept) | set(overflow))
        devices = {r.id: r for r in conn.execute(sa.select(device).where(device.c.id.in_(ids))).all()}
    out = []
    for device_id in ids:
        dev = devices.get(device_id)
        out.append({
            "device_id": device_id, "agency_code": dev.agency_code if dev else None,
            "counter": dev.counter if dev else None, "label": dev.label if dev else "", "day": day,
            "kept": int(kept.get(device_id, 0)), "limit": MAX_PER_DEVICE_PER_DAY,
            "room_left": max(0, MAX_PER_DEVICE_PER_DAY - int(kept.get(device_id, 0))),
            "refused_for_lack_of_room": int(overflow.get(device_id, 0)),
        })
    return out


def _next(day: str) -> str:
    """The first text after every timestamp of `day` ("2026-12-01" < "2026-12-01T…" < "2026-12-01~")."""
    return day + "~"
