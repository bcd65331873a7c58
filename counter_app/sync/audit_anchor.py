"""The audit trail's head, anchored on the district server (district_server/audit_heads.py).

The trail is hash-chained (services/audit.py), which catches an entry edited or removed anywhere
but at the end; deleting the newest entries leaves a shorter chain that is still sound. So each
push carries the newest entry's number and hash, and the server keeps the newest one it was sent:

- `head_to_send` gives the head and the anchor (the head sent last time, with the hash the trail
  has for that entry now). What is sent is noted before it is sent, so the anchor is never older
  than what the server holds unless this store went back in time (a restore, or entries deleted);
- `check_upstream` is what `counter-app audit verify` adds when the counter is linked: the head
  the server holds must be in the local chain with the same hash, and the server must have no open
  break for this counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, col, select

from counter_app.db.models import AuditEntry
from counter_app.db.store import Store
from counter_app.services import settings
from counter_app.sync.errors import ServerUnreachable, SyncRefused
from counter_app.sync.protocol import AuditCheck, AuditHead

KEY_AUDIT_SENT = "sync.audit_sent"  # {"seq", "hash"}: the head the last push carried
KEY_AUDIT_ACKED = "sync.audit_acked"  # {"seq", "hash"}: the head the server last said it holds


def local_head(session: Session) -> tuple[int, str] | None:
    row = session.exec(select(AuditEntry.seq, AuditEntry.hash).order_by(col(AuditEntry.seq).desc()).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])


def _hash_at(session: Session, seq: int) -> str:
    found = session.exec(select(AuditEntry.hash).where(AuditEntry.seq == seq)).first()
    return found or ""


def _noted(value: object) -> tuple[int, str] | None:
    if isinstance(value, dict) and isinstance(value.get("seq"), int) and isinstance(value.get("hash"), str):
        return value["seq"], value["hash"]
    return None


def head_to_send(store: Store) -> tuple[AuditHead | None, bool]:
    """The head for this pass's pushes, noted as sent; and whether the server has yet to hold it
    (then a pass with no events still sends an empty batch for it)."""
    with store.write() as session:
        head = local_head(session)
        if head is None:
            return None, False
        sent = _noted(settings.get(session, KEY_AUDIT_SENT))
        anchor_seq, anchor_hash = (None, None) if sent is None else (sent[0], _hash_at(session, sent[0]))
        if sent != head:
            settings.put(session, KEY_AUDIT_SENT, {"seq": head[0], "hash": head[1]})
        unheld = _noted(settings.get(session, KEY_AUDIT_ACKED)) != head
    return AuditHead(seq=head[0], hash=head[1], anchor_seq=anchor_seq, anchor_hash=anchor_hash), unheld


def note_held(store: Store, head: AuditHead | None) -> None:
    """The server's answer named the head it now holds."""
    if head is not None:
        with store.write() as session:
            settings.put(session, KEY_AUDIT_ACKED, {"seq": head.seq, "hash": head.hash})


def continued(head: AuditHead) -> AuditHead:
    """The same head for the pass's next batches: anchored on itself, just sent."""
    return AuditHead(seq=head.seq, hash=head.hash, anchor_seq=head.seq, anchor_hash=head.hash)


# What `audit verify` says of the upstream check (Vietnamese, one line each).
NOT_LINKED = "Máy quầy chưa kết nối máy chủ huyện: chỉ kiểm tra được nhật ký trên máy này."
UNREACHABLE = ("Không liên lạc được máy chủ huyện nên chưa đối chiếu được đầu nhật ký với máy chủ "
               "(nhật ký trên máy này đã được kiểm tra).")
NOTHING_HELD = "Máy chủ huyện chưa nhận đầu nhật ký nào của máy quầy này (sẽ nhận ở lần đồng bộ tới)."


UNSUPPORTED = "Máy chủ huyện (phiên bản cũ) chưa hỗ trợ đối chiếu đầu nhật ký; nhật ký trên máy này đã được kiểm tra."

UpstreamStatus = Literal["matched", "nothing_held", "broken", "not_linked", "unreachable", "unsupported"]


@dataclass(frozen=True)
class Upstream:
    status: UpstreamStatus
    message: str
    server_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.status != "broken"


def verify_upstream(store: Store, *, timeout: float = 15.0) -> Upstream:
    """Ask the server what it holds of this counter's trail and compare (the local chain is verified
    on its own first: audit.verify). Raises SyncRefused when the server refuses the token."""
    from counter_app.sync.commands import linked_client

    client = linked_client(store, timeout=timeout)
    if client is None:
        return Upstream("not_linked", NOT_LINKED)
    try:
        with client:
            answer = client.audit_check()
    except ServerUnreachable:
        return Upstream("unreachable", UNREACHABLE)
    except SyncRefused as exc:
        if exc.code == "not_found":
            return Upstream("unsupported", UNSUPPORTED)
        raise
    with store.read() as session:
        return check_upstream(session, answer)


def check_upstream(session: Session, answer: AuditCheck) -> Upstream:
    """The local chain (already verified on its own) against what the server holds."""
    if answer.breaks:
        return Upstream("broken", " ".join(b.message for b in answer.breaks)
                        + " Máy chủ huyện đã ghi nhận; hãy báo quản trị viên huyện.")
    if answer.head is None:
        return Upstream("nothing_held", NOTHING_HELD)
    held = answer.head
    head = local_head(session)
    if head is None or head[0] < held.seq:
        have = 0 if head is None else head[0]
        return Upstream("broken", f"Nhật ký trên máy này chỉ còn đến mục số {have}, nhưng máy chủ huyện đã nhận đến "
                        f"mục số {held.seq}: các mục mới nhất đã bị xóa.", held.seq)
    if _hash_at(session, held.seq) != held.hash:
        return Upstream("broken", f"Mục nhật ký số {held.seq} trên máy này khác với mục máy chủ huyện đã nhận: "
                        "nhật ký đã bị sửa, hoặc bị xóa rồi ghi tiếp.", held.seq)
    return Upstream("matched", f"Khớp với đầu nhật ký máy chủ huyện đã nhận (mục số {held.seq}).", held.seq)
