"""One sync pass: push the outbox in batches (here), then pull what the district and the other
counters did (pull.py), then send the waiting files.

Push: pending outbox rows go up a few hundred at a time, oldest first. A row is marked sent only
from a checked acknowledgement (client.py); a failed or unanswered batch keeps every row pending
and records the attempt and the reason on it. Events the server refuses (same id with another
payload, an unknown kind, a future time …) become `rejected` with the server's reason: they stop
being retried, stay visible, and do not hold back the rest. Events the server `held` (their
predecessor has not reached it yet) stay pending with the reason: the server applies them itself
when the predecessor arrives, and the next pass's resend is then answered `duplicate`. Every
batch carries the audit trail's head (audit_anchor.py) and what will still wait once it is in
(WaitingReport); when the server does not hold the newest head at the end of a pass (no events went
up, or the pull wrote an entry), or the last report it took is wrong by now or over an hour old, an
empty batch carries both.

Pull: pull.py, in the same pass, after the push.

Files (uploads.py): after the events, the pull and the audit head, the file store's waiting files
go up (`send_files`). They never hold events up: a file that fails stays waiting and the pass still
counts as done, and an event recorded while a file is on its way pauses the file (it resumes at the
server's offset next pass) so the next pass sends the event at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, func, select

from counter_app import clock
from counter_app.db.models import Outbox
from counter_app.db.store import Store
from counter_app.domain.ids import new_id
from counter_app.errors import UserError
from counter_app.services import settings
from counter_app.sync import audit_anchor, outbox, uploads
from counter_app.sync.client import SyncClient
from counter_app.sync.errors import BatchTooLarge, CertificateRefused, ServerUnreachable, SyncRefused
from counter_app.sync.protocol import (
    ACKNOWLEDGED,
    CLIENT_BATCH_EVENTS,
    HELD,
    PROCEDURE_ACKNOWLEDGED,
    WAITING_REPORT_EVERY,
    PushResponse,
    WaitingReport,
)

log = logging.getLogger(__name__)

# Settings keys (the `setting` table): one place, so the window reads what the engine writes.
KEY_SERVER = "sync.server_url"
KEY_TOKEN = "sync.token"
KEY_DEVICE = "sync.device"  # {"device_id", "agency_code", "counter"}
KEY_CURSOR = "sync.cursor"  # Cursor as a dict
KEY_LAST_SUCCESS = "sync.last_success"  # ISO time of the last complete pass
KEY_LAST_ERROR = "sync.last_error"  # {"at", "message", "permanent"} or None
KEY_LAST_ATTEMPT = "sync.last_attempt"
KEY_RECOVER_OWN = "sync.recover_own"  # True after a restore: pull this counter's own events back
KEY_FINGERPRINT = "sync.fingerprint"  # the pinned server certificate "AA:BB:…", or None (system CAs)
KEY_PUBLIC_URL = "sync.public_url"  # the district's address for citizens (PullResponse.public_url), or None
KEY_WAITING_REPORTED = "sync.waiting_reported"  # {"at", "events"}: the WaitingReport the server last took

OLDER_SERVER = ("[older_server] Máy chủ huyện chưa nhận được thủ tục riêng của đơn vị (phiên bản cũ); "
                "thủ tục được giữ để gửi lại khi máy chủ được nâng cấp.")

OUTBOX_ERROR_MAX = 500


@dataclass
class PassCounts:
    pushed: int = 0
    pulled: int = 0

    def summary(self, session: Session) -> dict[str, int]:
        counts = outbox_counts(session)
        return {"pushed": self.pushed, "pulled": self.pulled, "pending": counts["pending"],
                "rejected": counts["rejected"]}


# --- reading the outbox ---------------------------------------------------------------------------


def outbox_counts(session: Session) -> dict[str, int]:
    """Waiting and rejected events (both have no sent_at, so the partial pending index serves it)."""
    rows = session.exec(
        select(Outbox.state, func.count()).where(Outbox.sent_at == None).group_by(Outbox.state)  # noqa: E711
    ).all()
    found = dict(rows)
    return {"pending": int(found.get("pending", 0)), "rejected": int(found.get("rejected", 0))}


Row = tuple[int, str, str]  # an outbox row to send: seq, event (or entry) id, payload JSON


def _pending_batch(session: Session, after_seq: int, up_to_seq: int, size: int) -> tuple[list[Row], list[Row]]:
    """The next pending rows, oldest first: (events, the office's own procedures)."""
    stmt = (
        select(Outbox.seq, Outbox.event_id, Outbox.payload_json, Outbox.kind)
        .where(Outbox.sent_at == None, Outbox.state == "pending")  # noqa: E711
        .where(Outbox.seq > after_seq, Outbox.seq <= up_to_seq)
        .order_by(Outbox.seq)
        .limit(size)
    )
    events: list[Row] = []
    procedures: list[Row] = []
    for seq, event_id, payload, kind in session.exec(stmt).all():
        (procedures if kind == outbox.KIND_PROCEDURE else events).append((int(seq), event_id, payload))
    return events, procedures


def waiting_report(session: Session) -> WaitingReport:
    """What the outbox holds pending now, and the age of the oldest (the first by seq: rows are
    written in time order). The count reads every pending row (their state sits past the payload),
    so a pass counts once; its batches work out their reports from it (_Waiting)."""
    count = outbox.pending_count(session)
    return WaitingReport(events=count, oldest_age_s=_age(_first_pending_at(session, 0)) if count else None)


def _first_pending_at(session: Session, after_seq: int) -> str | None:
    """When the first pending row after `after_seq` was written: a seek on the pending index."""
    return session.execute(text("SELECT created_at FROM outbox WHERE sent_at IS NULL AND state = 'pending' "
                                "AND seq > :after ORDER BY seq LIMIT 1"), {"after": after_seq}).scalar()


def _age(at: str | None) -> int | None:
    return None if not at else max(0, int((clock.now() - clock.parse_iso(at)).total_seconds()))


@dataclass
class _Waiting:
    """What will still wait once each batch of a pass is in: the pending rows counted at the first
    batch, less those sent in batches since, plus those the server kept pending (held, or
    procedures an older server did not take); the oldest of them by the next pending row."""

    left: int
    kept: list[int]  # seqs still pending after their batch

    def after(self, session: Session, batch_rows: int, last_seq: int) -> WaitingReport:
        self.left -= batch_rows
        times = [_first_pending_at(session, last_seq)]
        if self.kept:
            times.append(session.execute(text("SELECT created_at FROM outbox WHERE seq = :seq"),
                                         {"seq": min(self.kept)}).scalar())
        oldest = min((t for t in times if t), default=None)
        return WaitingReport(events=max(0, self.left) + len(self.kept), oldest_age_s=_age(oldest))


# --- push -----------------------------------------------------------------------------------------


def push_pending(
    store: Store,
    client: SyncClient,
    *,
    batch_size: int = CLIENT_BATCH_EVENTS,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Push every event that was pending when the pass began; return how many the server now holds.

    Rows added while the pass runs wait for the next pass, so the loop always ends.
    """
    with store.read() as session:
        top = session.exec(select(func.max(Outbox.seq))).one() or 0
    pushed = 0
    after = 0
    size = max(1, batch_size)
    audit_head, _ = audit_anchor.head_to_send(store)
    counted: _Waiting | None = None
    while True:
        with store.read() as session:
            rows, procedures = _pending_batch(session, after, top, size)
            if not rows and not procedures:
                return pushed
            if counted is None:
                counted = _Waiting(outbox.pending_count(session), [])
            last = max(r[0] for r in rows + procedures)
            waiting = counted.after(session, len(rows) + len(procedures), last)
        batch_id = new_id()
        ids = [event_id for _, event_id, _ in rows]
        try:
            ack = client.push(batch_id, ids, [payload for _, _, payload in rows], audit_head=audit_head,
                              waiting=waiting, procedures=[(entry, payload) for _, entry, payload in procedures])
        except BatchTooLarge:
            if size == 1:
                _note_failure(store, rows + procedures, "Sự kiện quá lớn, máy chủ huyện không nhận.")
                raise SyncRefused("Một sự kiện quá lớn để máy chủ huyện nhận; hãy báo quản trị viên.",
                                  code="too_large") from None
            size = max(1, size // 2)  # the server's limit is lower than ours: halve and go on
            counted.left += len(rows) + len(procedures)  # not sent: counted again with the smaller batch
            continue
        except CertificateRefused:
            raise  # nothing was sent: the link is at fault, not these events
        except (ServerUnreachable, SyncRefused) as exc:
            _note_failure(store, rows + procedures, exc.message)
            raise
        audit_anchor.note_held(store, ack.audit_head)
        if audit_head is not None:
            audit_head = audit_anchor.continued(audit_head)
        pushed += _apply_ack(store, rows, ack, procedures, waiting)
        counted.kept += [seq for (seq, _, _), r in zip(rows, ack.results, strict=True) if r.result == HELD]
        if procedures and not ack.procedures:
            counted.kept += [seq for seq, _, _ in procedures]
        after = last
        if on_batch is not None:
            on_batch(pushed)


def report_audit_head(store: Store, client: SyncClient) -> None:
    """At the end of a pass: an empty batch for the audit head when the server does not hold the
    newest one yet. After the pull, so the pull is never kept waiting behind another counter's
    write, and the head includes the pull's own entry."""
    audit_head, unheld = audit_anchor.head_to_send(store)
    with store.read() as session:
        reported = settings.get(session, KEY_WAITING_REPORTED)
        waiting = waiting_report(session)
    if not (isinstance(reported, dict) and isinstance(reported.get("at"), str)):
        reported = {"at": "2000-01-01T00:00:00+07:00", "events": None}
    # The last batch's report said what would wait if the server took it all: events it held, and
    # those written during the pass, make it wrong; and an idle counter reports now and then.
    due = (reported.get("events") != waiting.events
           or clock.now() - clock.parse_iso(reported["at"]) >= WAITING_REPORT_EVERY)
    if not due and (audit_head is None or not unheld):
        return
    ack = client.push(new_id(), [], [], audit_head=audit_head, waiting=waiting)
    audit_anchor.note_held(store, ack.audit_head)
    with store.write() as session:
        settings.put(session, KEY_WAITING_REPORTED, {"at": clock.iso(clock.now()), "events": waiting.events})


def send_files(store: Store, client: SyncClient, files: uploads.FileQueue | None) -> uploads.DrainCounts:
    """The waiting files, last in a pass (no queue: nothing to send). Never raises for the network:
    the events of the pass are already safe, so a file failure is a count in the summary."""
    if files is None:
        return uploads.DrainCounts()
    with store.read() as session:
        top = session.exec(select(func.max(Outbox.seq))).one() or 0

    def new_event() -> bool:  # between chunks: the outbox's newest row, by its primary key
        with store.read() as session:
            return (session.exec(select(func.max(Outbox.seq))).one() or 0) > top

    try:
        return uploads.drain(client, files, stop=new_event)
    except UserError as exc:  # the file store could not say what waits or note a file sent (busy …)
        log.warning("files not sent this pass: %s", exc.message)
        return uploads.DrainCounts(error=exc.message)


def _apply_ack(store: Store, rows: list[Row], ack: PushResponse, procedures: Sequence[Row] = (),
               waiting: WaitingReport | None = None) -> int:
    stamp = clock.iso(clock.now())
    sent: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    if procedures and not ack.procedures:  # a server older than the office's own procedures
        held.extend({"seq": seq, "err": OLDER_SERVER} for seq, _, _ in procedures)
    for (seq, _entry, _payload), answer in zip(procedures if ack.procedures else [], ack.procedures, strict=True):
        if answer.result in PROCEDURE_ACKNOWLEDGED:
            sent.append({"seq": seq, "at": stamp})
        else:
            reason = answer.reason or "Máy chủ huyện không nhận thủ tục này."
            rejected.append({"seq": seq, "err": f"[{answer.code or answer.result}] {reason}"[:OUTBOX_ERROR_MAX]})
    for (seq, _event_id, _payload), result in zip(rows, ack.results, strict=True):
        if result.result in ACKNOWLEDGED:
            sent.append({"seq": seq, "at": stamp})
        elif result.result == HELD:
            reason = result.reason or "Máy chủ huyện giữ sự kiện này chờ sự kiện trước nó."
            held.append({"seq": seq, "err": f"[held] {reason}"[:OUTBOX_ERROR_MAX]})
        else:
            reason = result.reason or "Máy chủ huyện không nhận sự kiện này."
            rejected.append({"seq": seq, "err": f"[{result.code or result.result}] {reason}"[:OUTBOX_ERROR_MAX]})
    with store.write() as session:
        if sent:
            session.execute(text("UPDATE outbox SET sent_at = :at, state = 'sent', last_error = '', "
                                 "attempts = attempts + 1 WHERE seq = :seq"), sent)
        if rejected:
            session.execute(text("UPDATE outbox SET state = 'rejected', last_error = :err, "
                                 "attempts = attempts + 1 WHERE seq = :seq"), rejected)
        if held:  # still pending: resent next pass, answered "duplicate" once the server applied it
            session.execute(text("UPDATE outbox SET last_error = :err, attempts = attempts + 1 WHERE seq = :seq"),
                            held)
        if waiting is not None:
            settings.put(session, KEY_WAITING_REPORTED, {"at": stamp, "events": waiting.events})
    return len(sent)


def _note_failure(store: Store, rows: list[Row], message: str) -> None:
    """The attempt and its reason go on every row of the batch, so "stuck in the outbox" always
    comes with an explanation. Best effort: the store being busy must not hide the real error."""
    params = [{"seq": seq, "err": message[:OUTBOX_ERROR_MAX]} for seq, _, _ in rows]
    try:
        with store.write() as session:
            session.execute(text("UPDATE outbox SET attempts = attempts + 1, last_error = :err WHERE seq = :seq"),
                            params)
    except UserError:
        log.warning("could not record the failed attempt on %d outbox rows", len(rows))
