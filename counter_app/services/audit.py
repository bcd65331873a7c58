"""The audit trail: who did what and when, append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, and sequence numbers are
contiguous, so an edited, inserted or deleted entry anywhere before the last is detected by
`verify`. Triggers refuse UPDATE and DELETE through SQLite; the chain catches edits made to the
file by other means. (Removing the newest entries cannot be told from the file alone: the head is
worth anchoring outside it, e.g. on the district server.)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_app import clock
from counter_app.db.models import AuditEntry
from counter_app.domain.actor import SYSTEM, Actor, scripted_actor  # noqa: F401 - re-exported

GENESIS = "0" * 64




def _digest(seq: int, at: str, actor: str, actor_kind: str, action: str, target: str, detail_json: str,
            prev_hash: str) -> str:
    body = json.dumps([seq, at, actor, actor_kind, action, target, detail_json, prev_hash], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(session: Session, actor: Actor, action: str, target: str = "", detail: dict[str, Any] | None = None,
           *, now: datetime | None = None) -> None:
    """Append one entry in the caller's transaction (so it commits or rolls back with the action).

    Plain SQL on the session's connection, and no ORM object: it runs inside every change the
    counter makes, and the ORM's select, object and flush cost more than the change itself. Every
    entry is written here, so the newest row read is the chain's head."""
    conn = session.connection()
    last = conn.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
    seq = last[0] + 1 if last else 1
    prev_hash = last[1] if last else GENESIS
    at = clock.iso(now or clock.now())
    detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    values = (seq, at, actor.officer, actor.kind, action, target, detail_json, prev_hash,
              _digest(seq, at, actor.officer, actor.kind, action, target, detail_json, prev_hash))
    conn.exec_driver_sql("INSERT INTO audit_log (seq, at, actor, actor_kind, action, target, detail_json, prev_hash, "
                         "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_bad_seq: int | None
    message: str


def verify(session: Session) -> Verification:
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.seq))):
        count += 1
        if e.seq != expected_seq:
            return Verification(False, count, expected_seq,
                                f"Nhật ký bị mất mục số {expected_seq} (mục tiếp theo là {e.seq}).")
        if e.prev_hash != prev_hash:
            return Verification(False, count, e.seq, f"Mục nhật ký số {e.seq} không nối đúng với mục trước.")
        if e.hash != _digest(e.seq, e.at, e.actor, e.actor_kind, e.action, e.target, e.detail_json, e.prev_hash):
            return Verification(False, count, e.seq, f"Mục nhật ký số {e.seq} đã bị sửa.")
        expected_seq, prev_hash = e.seq + 1, e.hash
    return Verification(True, count, None, f"Nhật ký nguyên vẹn: {count} mục.")


def entries(session: Session, *, target: str | None = None, limit: int = 200,
            before_seq: int | None = None) -> list[AuditEntry]:
    """Newest first, a page at a time (for the leader's view)."""
    stmt = select(AuditEntry)
    if target:
        stmt = stmt.where(AuditEntry.target == target)
    if before_seq is not None:
        stmt = stmt.where(col(AuditEntry.seq) < before_seq)
    return list(session.exec(stmt.order_by(col(AuditEntry.seq).desc()).limit(limit)))
